/**
 * The one way ProsodyStack writes Lua. Every value that reaches
 * prosody.cfg.lua goes through here: strings are escaped byte by byte so no
 * input can end a string or inject code, keys are checked, numbers are finite,
 * and secrets appear only as references to Prosody's ENV_<NAME> globals.
 */

/** Marks an environment reference, so no table a user writes can ever be taken for one. */
const ENV_REFERENCE: unique symbol = Symbol("Lua environment reference");

/** A reference to an environment variable, rendered as Prosody's `ENV_<NAME>` global. */
export interface LuaEnvReference {
  readonly [ENV_REFERENCE]: string;
}

export type LuaValue =
  string | number | boolean | LuaEnvReference | readonly LuaValue[] | { readonly [key: string]: LuaValue | undefined };

export class LuaSerializationError extends Error {
  constructor(
    public readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
    this.name = "LuaSerializationError";
  }
}

const LUA_KEYWORDS = new Set(
  "and break do else elseif end false for function goto if in local nil not or repeat return then true until while".split(
    " ",
  ),
);
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ENV_NAME = /^[A-Z][A-Z0-9_]*$/;

/** A name that can be written bare in Lua (a global option name or a table key). */
export const isLuaIdentifier = (name: string): boolean => IDENTIFIER.test(name) && !LUA_KEYWORDS.has(name);

/** Longest list of plain values written on one line. */
const INLINE_WIDTH = 72;

export const env = (name: string): LuaEnvReference => ({ [ENV_REFERENCE]: name });
const isEnvReference = (value: unknown): value is LuaEnvReference =>
  typeof value === "object" && value !== null && ENV_REFERENCE in value;

/**
 * A Lua string literal with the same bytes as the UTF-8 encoding of `text`.
 * Printable ASCII other than `"` and `\` is written as is; every other byte
 * becomes a three-digit decimal escape, so the literal is plain ASCII on one line.
 */
export function luaString(text: string, path = "value"): string {
  if (!text.isWellFormed()) {
    throw new LuaSerializationError(path, "contains an unpaired UTF-16 surrogate, so it is not valid Unicode text");
  }
  let out = '"';
  for (const byte of Buffer.from(text, "utf8")) {
    const printable = byte >= 0x20 && byte <= 0x7e && byte !== 0x22 && byte !== 0x5c;
    out += printable ? String.fromCharCode(byte) : `\\${byte.toString().padStart(3, "0")}`;
  }
  return `${out}"`;
}

function luaNumber(value: number, path: string): string {
  if (!Number.isFinite(value)) throw new LuaSerializationError(path, `${value} is not a finite number`);
  if (Object.is(value, -0)) return "0";
  // Every integer-valued double below 2^63 is exactly a Lua integer.
  if (Number.isInteger(value) && Math.abs(value) < 2 ** 63) return BigInt(value).toString();
  // JavaScript's shortest round-trip form is valid Lua (1.5, 1e+21, 5e-324); Lua reads it as a float.
  const text = String(value);
  return /[.eE]/.test(text) ? text : `${text}.0`;
}

function tableKey(key: string, path: string): string {
  if (!key.isWellFormed()) throw new LuaSerializationError(path, "a key is not valid Unicode text");
  return isLuaIdentifier(key) ? key : `[${luaString(key, path)}]`;
}

/** A Lua expression for `value`. Nested tables are indented by `indent` levels of a tab. */
export function luaValue(value: LuaValue, path = "value", indent = 0, seen = new Set<object>()): string {
  switch (typeof value) {
    case "string":
      return luaString(value, path);
    case "number":
      return luaNumber(value, path);
    case "boolean":
      return value ? "true" : "false";
    case "object":
      break;
    default:
      throw new LuaSerializationError(path, `cannot write a ${typeof value} as Lua`);
  }
  if (value === null) throw new LuaSerializationError(path, "cannot write null as Lua; leave the field out instead");
  if (isEnvReference(value)) {
    const name = value[ENV_REFERENCE];
    if (typeof name !== "string" || !ENV_NAME.test(name)) {
      throw new LuaSerializationError(
        path,
        `${JSON.stringify(name)} is not an environment variable name (A-Z, 0-9, _)`,
      );
    }
    return `ENV_${name}`;
  }
  if (seen.has(value)) throw new LuaSerializationError(path, "refers to itself");
  seen.add(value);
  const inner = "\t".repeat(indent + 1);
  let entries: string[];
  if (Array.isArray(value)) {
    entries = value.map((item, index) => luaValue(item, `${path}[${index}]`, indent + 1, seen));
  } else {
    entries = Object.entries(value)
      .filter((entry): entry is [string, LuaValue] => entry[1] !== undefined)
      .map(([key, item]) => `${tableKey(key, path)} = ${luaValue(item, `${path}.${key}`, indent + 1, seen)}`);
  }
  seen.delete(value);
  if (entries.length === 0) return "{}";
  // Short lists of plain values read best on one line: { 5222 }, { "*", "::" }.
  const scalars = Array.isArray(value) && value.every((item) => typeof item !== "object");
  const inline = `{ ${entries.join(", ")} }`;
  if (scalars && inline.length <= INLINE_WIDTH) return inline;
  return `{\n${entries.map((entry) => `${inner}${entry};`).join("\n")}\n${"\t".repeat(indent)}}`;
}

/** One global option line, `name = value`. The name must be a Lua identifier. */
export function luaAssignment(name: string, value: LuaValue): string {
  if (!isLuaIdentifier(name)) {
    throw new LuaSerializationError(
      name,
      "is not a valid option name (letters, digits and _, not starting with a digit)",
    );
  }
  return `${name} = ${luaValue(value, name)}`;
}

/**
 * A one-line Lua comment. The space after `--` keeps it from opening a long
 * comment; control characters (which would end the line) and non-ASCII become spaces and '?'.
 */
export function luaComment(text: string): string {
  // eslint-disable-next-line no-control-regex
  return `-- ${text.replace(/[\u0000-\u001f\u007f]/g, " ").replace(/[^\u0020-\u007e]/gu, "?")}`;
}
