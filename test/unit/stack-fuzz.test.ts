/**
 * Stack files are the other way a spec arrives (issue 18): of 10,000 generated
 * `Pulumi.<stack>.yaml` files, seeded and reproducible, each is read, planned
 * and rendered, or refused with problems that each name a field, what is wrong
 * and the fix, exactly as `prosody-stack render --stack` reads it. Nothing else.
 */
import { strict as assert } from "node:assert";
import fc from "fast-check";
import { recordFigure } from "../support/figures";
import { badRefusal } from "../support/spec-fuzz";
import { generatedStackFile, STACK_FUZZ_RUNS, STACK_FUZZ_SEED, stackFolder } from "../support/stack-fuzz";

describe("10,000 generated stack files", function () {
  this.timeout(300_000);
  const folder = stackFolder();
  after(() => folder.remove());

  it("are each read and rendered, or refused naming the field and the fix: no other exception", () => {
    const counts = { accepted: 0, refused: 0 };
    const refusedFor = { yaml: 0, namespace: 0, encrypted: 0, plainSecret: 0 };
    fc.assert(
      fc.property(generatedStackFile(), ({ text }) => {
        folder.write(text);
        const result = folder.outcome();
        if (result.kind === "failed") throw result.error;
        if (result.kind === "refused") {
          const bad = badRefusal(result.problems);
          if (bad) throw new Error(bad);
          const messages = result.problems.map((problem) => problem.message).join("\n");
          if (/YAML|not a map/.test(messages)) refusedFor.yaml += 1;
          if (/not the project's namespace/.test(messages)) refusedFor.namespace += 1;
          if (/is encrypted, but it is not a secret/.test(messages)) refusedFor.encrypted += 1;
          if (/is a secret, but it is written in plain text/.test(messages)) refusedFor.plainSecret += 1;
        }
        counts[result.kind] += 1;
      }),
      { numRuns: STACK_FUZZ_RUNS, seed: STACK_FUZZ_SEED, endOnFailure: true },
    );
    recordFigure("stack-fuzz", {
      title: "Generated stack files: read as `render --stack` reads them",
      done: "Pulumi.<stack>.yaml files are generated from the spec fuzzer's values, keys moved to misspelt or other providers' namespaces, encrypted values where plain ones belong and the reverse, 18 kinds of YAML break and whole other files; each is read, planned and rendered.",
      test: __filename,
      figures: {
        "stack files": STACK_FUZZ_RUNS,
        seed: STACK_FUZZ_SEED,
        ...counts,
        "refused for YAML": refusedFor.yaml,
        "refused for namespace": refusedFor.namespace,
        "refused for an encrypted plain value": refusedFor.encrypted,
        "refused for a secret in plain text": refusedFor.plainSecret,
        "other exceptions": 0,
      },
    });
    assert.equal(counts.accepted + counts.refused, STACK_FUZZ_RUNS);
    // Each kind of hand-made mistake is generated often enough to be refused many times.
    for (const [kind, count] of Object.entries(refusedFor)) assert.ok(count > 100, `${kind}: ${count}`);
  });
});
