/**
 * The accepted half of the unit suite's 10,000 generated specs (same generator and
 * seed), each rendered prosody.cfg.lua loaded by real Lua 5.4 the way Prosody's
 * config loader does: it loads, every virtual host is a section of its own, and
 * every option of the user's comes back byte for byte in the section it was given for.
 */
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import fc from "fast-check";
import type { LuaValue } from "../../src/render/lua";
import { recordFigure } from "../support/figures";
import { generatedSpec, outcome, SPEC_FUZZ_RUNS, SPEC_FUZZ_SEED } from "../support/spec-fuzz";
import { canonical, CONFIG_LOADER, parseDump } from "./lua-dump";

/** Reads configs framed as "<bytes>\n<config>" from stdin; writes each one's dump, or why it did not load, framed the same way. */
const BATCH_LOADER = `
${CONFIG_LOADER}
local function load_one(config)
  local hosts, problem = load_config(config)
  if not hosts then return "E" .. problem end
  return "D" .. dump(hosts)
end
while true do
  local size = io.read("n")
  if not size then break end
  io.read(1)
  local out = load_one(io.read(size))
  io.write(#out, "\\n", out)
end
`;

function loadConfigs(configs: readonly string[]): Buffer[] {
  const input = Buffer.concat(
    configs.flatMap((config) => [Buffer.from(`${Buffer.byteLength(config)}\n`), Buffer.from(config)]),
  );
  const output = execFileSync("lua5.4", ["-e", BATCH_LOADER], { input, maxBuffer: 1 << 30 });
  const dumps: Buffer[] = [];
  for (let at = 0; at < output.length;) {
    const newline = output.indexOf(10, at);
    const size = Number(output.subarray(at, newline).toString());
    dumps.push(output.subarray(newline + 1, newline + 1 + size));
    at = newline + 1 + size;
  }
  return dumps;
}

describe("the accepted generated specs in real Lua 5.4", function () {
  this.timeout(300_000);

  it("load, with each virtual host its own section and the user's options byte for byte on it", () => {
    const accepted = fc
      .sample(generatedSpec(), { numRuns: SPEC_FUZZ_RUNS, seed: SPEC_FUZZ_SEED })
      .map(({ spec }) => outcome(spec))
      .filter((result) => result.kind === "accepted");
    const dumps = loadConfigs(accepted.map(({ config }) => config));
    assert.equal(dumps.length, accepted.length);
    let options = 0;
    accepted.forEach(({ plan }, index) => {
      const dump = dumps[index] ?? Buffer.alloc(0);
      const context = () => `spec ${JSON.stringify(plan.spec).slice(0, 400)}\n${dump.toString().slice(0, 400)}`;
      assert.equal(dump.subarray(0, 1).toString(), "D", context());
      const hosts = parseDump(dump.subarray(1)) as Record<string, Record<string, LuaValue>>;
      for (const name of [plan.spec.domain, ...plan.spec.extraDomains]) {
        assert.equal(hosts[name]?.["(kind)"], "host", `no section for ${name}: ${context()}`);
      }
      const sections: [string, Record<string, unknown>][] = [
        ["*", plan.spec.options.global],
        ...Object.entries(plan.spec.options.virtualHosts),
      ];
      for (const [section, table] of sections) {
        for (const [name, value] of Object.entries(table)) {
          options += 1;
          const read = hosts[section]?.[name];
          assert.ok(
            read !== undefined && canonical(read).equals(canonical(value as LuaValue)),
            `option ${name} = ${JSON.stringify(value)} is not in section ${section}: ${context()}`,
          );
        }
      }
    });
    recordFigure("spec-fuzz-lua", {
      title: "Accepted generated specs in real Lua 5.4",
      done: "The accepted specs of the generated-spec figure (same generator and seed) are rendered and loaded by lua5.4 the way Prosody's config loader loads them; every user option is compared byte for byte in its host's section.",
      test: __filename,
      figures: {
        specs: SPEC_FUZZ_RUNS,
        seed: SPEC_FUZZ_SEED,
        accepted: accepted.length,
        loaded: dumps.length,
        "user options back byte for byte": options,
      },
    });
  });
});
