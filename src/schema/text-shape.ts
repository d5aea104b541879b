/**
 * What no field of the spec may hold, whatever its rule: text that is not
 * Unicode (a lone UTF-16 surrogate, which no file, environment or Lua string
 * can carry) and nesting deeper than any field goes (which would exhaust the
 * stack of whoever walks it). Checked before the schema, so the schema's
 * verdict is the only one: what it accepts, every later step can write.
 */
import type { Problem } from "../../common/problems";

/** Deeper than any field of the spec nests (options tables included). */
export const MAX_DEPTH = 32;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A key with no name is shown as "" (quoted), so the field is never empty. */
const keyText = (part: string): string => (part === "" ? '""' : part);

const fieldOf = (prefix: string, path: readonly (string | number)[]): string =>
  `${prefix}${path.map((part, index) => (typeof part === "number" ? `[${part}]` : index === 0 ? keyText(part) : `.${keyText(part)}`)).join("")}`;

export function textShapeProblems(input: unknown, prefix = ""): Problem[] {
  const problems: Problem[] = [];
  // Iterative, so a value nested ten thousand deep costs a loop, not the stack.
  const pending: { value: unknown; path: (string | number)[] }[] = [{ value: input, path: [] }];
  while (pending.length > 0 && problems.length < 20) {
    const { value, path } = pending.pop() as { value: unknown; path: (string | number)[] };
    if (path.length > MAX_DEPTH) {
      problems.push({
        field: fieldOf(prefix, path.slice(0, MAX_DEPTH)),
        message: `nested more than ${MAX_DEPTH} levels deep, deeper than any field of the spec`,
        fix: "give the field the shape its documentation shows",
      });
      continue;
    }
    if (typeof value === "string") {
      if (LONE_SURROGATE.test(value)) {
        problems.push({
          field: fieldOf(prefix, path),
          message: "holds a lone UTF-16 surrogate, which is not Unicode text",
          fix: "remove it, or write the whole character it was part of",
        });
      }
      continue;
    }
    if (Array.isArray(value)) {
      value.forEach((entry, index) => pending.push({ value: entry, path: [...path, index] }));
    } else if (typeof value === "object" && value !== null) {
      for (const [key, entry] of Object.entries(value)) {
        if (LONE_SURROGATE.test(key)) {
          problems.push({
            field: fieldOf(prefix, [...path, key]),
            message: "its name holds a lone UTF-16 surrogate",
            fix: "rename it",
          });
        }
        pending.push({ value: entry, path: [...path, key] });
      }
    }
  }
  return problems;
}
