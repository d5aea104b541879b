/**
 * The accepted half of the unit suite's 10,000 generated stack files (same
 * generator and seed), each read as `render --stack` reads it, its rendered
 * prosody.cfg.lua loaded by real Lua 5.4 the way Prosody's config loader does:
 * it loads, every virtual host is a section of its own, and every option of the
 * user's comes back byte for byte in the section it was given for.
 */
import fc from "fast-check";
import { recordFigure } from "../support/figures";
import type { Outcome } from "../support/spec-fuzz";
import { generatedStackFile, STACK_FUZZ_RUNS, STACK_FUZZ_SEED, stackFolder } from "../support/stack-fuzz";
import { checkInLua } from "./generated-configs";

describe("the accepted generated stack files in real Lua 5.4", function () {
  this.timeout(300_000);
  const folder = stackFolder();
  after(() => folder.remove());

  it("load, with each virtual host its own section and the user's options byte for byte on it", () => {
    const accepted = fc
      .sample(generatedStackFile(), { numRuns: STACK_FUZZ_RUNS, seed: STACK_FUZZ_SEED })
      .map(({ text }) => {
        folder.write(text);
        return folder.outcome();
      })
      .filter((result): result is Extract<Outcome, { kind: "accepted" }> => result.kind === "accepted");
    const { loaded, options } = checkInLua(accepted);
    recordFigure("stack-fuzz-lua", {
      title: "Accepted generated stack files in real Lua 5.4",
      done: "The accepted stack files of the generated-stack-file figure (same generator and seed) are rendered and loaded by lua5.4 the way Prosody's config loader loads them; every user option is compared byte for byte in its host's section.",
      test: __filename,
      figures: {
        "stack files": STACK_FUZZ_RUNS,
        seed: STACK_FUZZ_SEED,
        accepted: accepted.length,
        loaded,
        "user options back byte for byte": options,
      },
    });
  });
});
