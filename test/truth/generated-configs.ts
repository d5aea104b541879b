/**
 * Rendered configs of generated inputs, loaded by real Lua 5.4 the way Prosody's
 * config loader does, in one lua5.4 process: each loads, every virtual host is a
 * section of its own, and every option of the user's comes back byte for byte in
 * the section it was given for. Shared by the spec and stack-file figures.
 */
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import type { DeploymentPlan } from "../../src/plan";
import type { LuaValue } from "../../src/render/lua";
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

/** Loads each accepted config and checks it; returns how many loaded and how many user options came back. */
export function checkInLua(accepted: readonly { plan: DeploymentPlan; config: string }[]): {
  loaded: number;
  options: number;
} {
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
  return { loaded: dumps.length, options };
}
