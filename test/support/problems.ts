/** Expecting a refusal: the one helper every test of a ProblemError uses. */
import { strict as assert } from "node:assert";
import { type Problem, ProblemError } from "../../common/problems";

/** Runs `fn`, expecting a ProblemError, and returns its problems. */
export function problemsOf(fn: () => unknown): readonly Problem[] {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ProblemError, `expected a ProblemError, got ${String(error)}`);
    return error.problems;
  }
  assert.fail("expected a ProblemError");
}

/** The same problems as one line each: field, value, message and fix. */
export const problemLines = (fn: () => unknown): string[] =>
  problemsOf(fn).map((p) => `${p.field} ${p.value ?? ""} ${p.message} FIX ${p.fix}`);
