/**
 * The accepted half of the unit suite's 10,000 generated specs (same generator and
 * seed), each rendered prosody.cfg.lua loaded by real Lua 5.4 the way Prosody's
 * config loader does: it loads, every virtual host is a section of its own, and
 * every option of the user's comes back byte for byte in the section it was given for.
 */
import fc from "fast-check";
import { recordFigure } from "../support/figures";
import { generatedSpec, outcome, SPEC_FUZZ_RUNS, SPEC_FUZZ_SEED } from "../support/spec-fuzz";
import { checkInLua } from "./generated-configs";

describe("the accepted generated specs in real Lua 5.4", function () {
  this.timeout(300_000);

  it("load, with each virtual host its own section and the user's options byte for byte on it", () => {
    const accepted = fc
      .sample(generatedSpec(), { numRuns: SPEC_FUZZ_RUNS, seed: SPEC_FUZZ_SEED })
      .map(({ spec }) => outcome(spec))
      .filter((result) => result.kind === "accepted");
    const { loaded, options } = checkInLua(accepted);
    recordFigure("spec-fuzz-lua", {
      title: "Accepted generated specs in real Lua 5.4",
      done: "The accepted specs of the generated-spec figure (same generator and seed) are rendered and loaded by lua5.4 the way Prosody's config loader loads them; every user option is compared byte for byte in its host's section.",
      test: __filename,
      figures: {
        specs: SPEC_FUZZ_RUNS,
        seed: SPEC_FUZZ_SEED,
        accepted: accepted.length,
        loaded,
        "user options back byte for byte": options,
      },
    });
  });
});
