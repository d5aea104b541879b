/**
 * A canonical dump of Lua values, computed the same way in Lua and in
 * TypeScript, so that a value read back from real Lua can be compared byte for byte.
 */
import type { LuaValue } from "../../src/render/lua";

/** Canonical dump: s<len>:<bytes>, i<int>;, T/F, {<key><value>...} with keys sorted (numbers first, then bytes). */
export const DUMPER = `
local function less(a, b)
  if type(a) ~= type(b) then return type(a) == "number" end
  return a < b
end
local function dump(v)
  local t = type(v)
  if t == "string" then return "s" .. #v .. ":" .. v end
  -- A float (1e+21, 0.5) as text that reads back as the same double (17 significant digits).
  if t == "number" then
    return "i" .. (math.type(v) == "integer" and string.format("%d", v) or string.format("%.17g", v)) .. ";"
  end
  if t == "boolean" then return v and "T" or "F" end
  local keys = {}
  for k in pairs(v) do keys[#keys + 1] = k end
  table.sort(keys, less)
  local out = {}
  for _, k in ipairs(keys) do out[#out + 1] = dump(k) .. dump(v[k]) end
  return "{" .. table.concat(out) .. "}"
end
`;

/**
 * Prosody's config environment, reduced (VirtualHost and Component calls, ENV_ globals): options land in
 * the table of the current host. `load_config(text)` returns those tables, or nil and why the config did not load.
 */
export const CONFIG_LOADER = `
${DUMPER}
local function load_config(config)
  local hosts, current = { ["*"] = {} }, "*"
  local env = setmetatable({}, {
    __index = function(_, key)
      if key == "VirtualHost" then
        return function(name) current = name; hosts[name] = { ["(kind)"] = "host" } end
      elseif key == "Component" then
        return function(name)
          current = name; hosts[name] = { ["(kind)"] = "component" }
          return function(module) hosts[name]["(module)"] = module end
        end
      elseif key:match("^ENV_") then
        return "(env " .. key:sub(5) .. ")"
      end
      error("the config read an unknown global: " .. key)
    end,
    __newindex = function(_, key, value) hosts[current][key] = value end,
  })
  local chunk, problem = load(config, "prosody.cfg.lua", "t", env)
  if not chunk then return nil, problem end
  local ok, failure = pcall(chunk)
  if not ok then return nil, tostring(failure) end
  return hosts
end
`;

export function canonical(value: LuaValue): Buffer {
  if (typeof value === "string") {
    const bytes = Buffer.from(value, "utf8");
    return Buffer.concat([Buffer.from(`s${bytes.length}:`), bytes]);
  }
  if (typeof value === "number") return Buffer.from(`i${value};`);
  if (typeof value === "boolean") return Buffer.from(value ? "T" : "F");
  const entries: [number | Buffer, LuaValue][] = Array.isArray(value)
    ? value.map((item, index) => [index + 1, item])
    : Object.entries(value as Record<string, LuaValue>).map(([key, item]) => [Buffer.from(key, "utf8"), item]);
  entries.sort(([a], [b]) =>
    typeof a === "number" ? (typeof b === "number" ? a - b : -1) : typeof b === "number" ? 1 : Buffer.compare(a, b),
  );
  const parts = entries.map(([key, item]) =>
    Buffer.concat([
      typeof key === "number" ? Buffer.from(`i${key};`) : canonical(key.toString("utf8")),
      canonical(item),
    ]),
  );
  return Buffer.concat([Buffer.from("{"), ...parts, Buffer.from("}")]);
}

/** Reads a canonical dump back into values: tables with keys 1..n become lists, strings are UTF-8. */
export function parseDump(dump: Buffer): LuaValue {
  let at = 0;
  const read = (): LuaValue => {
    const tag = String.fromCharCode(dump[at] ?? 0);
    at += 1;
    if (tag === "T" || tag === "F") return tag === "T";
    if (tag === "i") {
      const end = dump.indexOf(";", at);
      const value = Number(dump.subarray(at, end).toString());
      at = end + 1;
      return value;
    }
    if (tag === "s") {
      const colon = dump.indexOf(":", at);
      const size = Number(dump.subarray(at, colon).toString());
      const value = dump.subarray(colon + 1, colon + 1 + size).toString("utf8");
      at = colon + 1 + size;
      return value;
    }
    if (tag !== "{") throw new Error(`not a canonical dump at byte ${at - 1}`);
    const entries: [LuaValue, LuaValue][] = [];
    while (dump[at] !== "}".charCodeAt(0)) entries.push([read(), read()]);
    at += 1;
    const isList = entries.length > 0 && entries.every(([key], index) => key === index + 1);
    return isList
      ? entries.map(([, value]) => value)
      : Object.fromEntries(entries.map(([key, value]) => [String(key), value]));
  };
  return read();
}
