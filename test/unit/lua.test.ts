import { strict as assert } from "node:assert";
import fc from "fast-check";
import { env, luaAssignment, luaString, luaValue, LuaSerializationError } from "../../src/render/lua";

/** A string literal whose interior is printable ASCII without `"` or `\`, or three-digit escapes. */
const SAFE_LITERAL = /^"(?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\\d{3})*"$/;

describe("Lua serializer", () => {
  it("escapes quotes, backslashes, control characters and non-ASCII bytes", () => {
    assert.equal(luaString('a"b\\c\n'), '"a\\034b\\092c\\010"');
    assert.equal(luaString("é"), '"\\195\\169"');
    assert.equal(luaString("]]--"), '"]]--"');
    assert.equal(luaString(""), '""');
  });

  it("writes every string as one line that cannot end early", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (text) => {
        assert.match(luaString(text), SAFE_LITERAL);
      }),
      { numRuns: 2000 },
    );
  });

  it("writes numbers, booleans, arrays, tables and ENV_ references", () => {
    assert.equal(luaValue(5222), "5222");
    assert.equal(luaValue(-0), "0");
    assert.equal(luaValue(1.5), "1.5");
    assert.equal(luaValue(1e21), "1e+21");
    assert.equal(luaValue(-(2 ** 53)), "-9007199254740992");
    assert.equal(luaValue(2 ** 63), "9223372036854776000.0");
    assert.equal(luaValue(true), "true");
    assert.equal(luaValue([]), "{}");
    assert.equal(luaValue(["a", 1]), '{ "a", 1 }');
    const long = Array.from({ length: 20 }, (_, index) => `item${index}`);
    assert.equal(luaValue(long), `{\n${long.map((item) => `\t"${item}";`).join("\n")}\n}`);
    assert.equal(luaValue([{ to: "console" }]), '{\n\t{\n\t\tto = "console";\n\t};\n}');
    assert.equal(
      luaValue({ driver: "PostgreSQL", password: env("PROSODY_DB_PASSWORD"), skipped: undefined }),
      '{\n\tdriver = "PostgreSQL";\n\tpassword = ENV_PROSODY_DB_PASSWORD;\n}',
    );
    assert.equal(luaValue({ c2s: { rate: "10kb/s" } }), '{\n\tc2s = {\n\t\trate = "10kb/s";\n\t};\n}');
    assert.equal(luaValue({ "not-an-identifier": 1, end: 2 }), '{\n\t["not-an-identifier"] = 1;\n\t["end"] = 2;\n}');
    assert.equal(luaAssignment("c2s_direct_tls_ports", [5223]), "c2s_direct_tls_ports = { 5223 }");
  });

  it("rejects what Lua cannot hold faithfully, naming where", () => {
    const rejects = (fn: () => unknown, pattern: RegExp) =>
      assert.throws(fn, (error: unknown) => error instanceof LuaSerializationError && pattern.test(error.message));
    rejects(() => luaValue({ limit: Number.NaN }, "limits"), /^limits\.limit: NaN is not a finite number/);
    rejects(() => luaValue(Infinity), /Infinity is not a finite number/);
    rejects(() => luaString("a\ud800b", "admins[0]"), /^admins\[0\]: contains an unpaired UTF-16 surrogate/);
    rejects(() => luaValue(env("lower")), /"lower" is not an environment variable name/);
    rejects(() => luaValue(env("X; os.exit()")), /is not an environment variable name/);
    rejects(() => luaAssignment("os.execute", 1), /^os\.execute: is not a valid option name/);
    rejects(() => luaAssignment("end", 1), /is not a valid option name/);
    rejects(() => luaValue(null as never), /cannot write null/);
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    rejects(() => luaValue(loop as never), /refers to itself/);
  });
});
