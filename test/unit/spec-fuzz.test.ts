/**
 * The schema is the one gate (issue 18): of 10,000 generated specs, seeded and
 * reproducible, each is accepted and renders, or is refused with problems that
 * each name a field, what is wrong and the fix. Nothing else: zero exceptions
 * that are not refusals. The accepted ones are loaded by real Lua in the truth suite.
 */
import { strict as assert } from "node:assert";
import fc from "fast-check";
import { recordFigure } from "../support/figures";
import { badRefusal, BASE_SPECS, generatedSpec, outcome, SPEC_FUZZ_RUNS, SPEC_FUZZ_SEED } from "../support/spec-fuzz";

describe("10,000 generated specs", function () {
  this.timeout(300_000);

  it("start from bases that are valid", () => {
    for (const base of BASE_SPECS) assert.equal(outcome(base).kind, "accepted", JSON.stringify(base));
  });

  it("are each accepted and rendered, or refused naming the field and the fix: no other exception", () => {
    const counts = { accepted: 0, refused: 0 };
    fc.assert(
      fc.property(generatedSpec(), ({ spec }) => {
        const result = outcome(spec);
        if (result.kind === "failed") throw result.error;
        if (result.kind === "refused") {
          const bad = badRefusal(result.problems);
          if (bad) throw new Error(bad);
        }
        counts[result.kind] += 1;
      }),
      { numRuns: SPEC_FUZZ_RUNS, seed: SPEC_FUZZ_SEED, endOnFailure: true },
    );
    recordFigure("spec-fuzz", {
      title: "Generated specs: the schema is the one gate",
      done: "A fast-check property generates specs from valid bases with wrong types, out-of-range ports, bad host names and JIDs, unicode and long strings, Lua, shell and YAML metacharacters, unknown and removed fields, nulls and nested garbage; each is parsed, planned and rendered.",
      test: __filename,
      figures: { specs: SPEC_FUZZ_RUNS, seed: SPEC_FUZZ_SEED, ...counts, "other exceptions": 0 },
    });
    assert.equal(counts.accepted + counts.refused, SPEC_FUZZ_RUNS);
  });
});
