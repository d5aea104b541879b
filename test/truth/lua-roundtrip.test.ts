/**
 * Any value from a spec survives the trip through real Lua (Debian's lua5.4)
 * unchanged: strings byte for byte, numbers exactly, tables with any keys.
 */
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import fc from "fast-check";
import { type LuaValue, luaString, luaValue } from "../../src/render/lua";
import { canonical, DUMPER } from "./lua-dump";

const LUA = "lua5.4";

const runLua = (chunk: string): Buffer => execFileSync(LUA, ["-"], { input: chunk });

describe("Lua serializer against real Lua 5.4", function () {
  this.timeout(120_000);

  before(() => {
    try {
      execFileSync(LUA, ["-v"]);
    } catch {
      assert.fail(`${LUA} is missing: install Debian's lua5.4 package`);
    }
  });

  it("gives back every string byte for byte, and the code after it still runs", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 64 }), (text) => {
        const out = runLua(
          `local marker = "broken"\nlocal v = ${luaString(text)}\nmarker = "intact"\nio.write(marker, ":", v)`,
        );
        assert.deepEqual(out, Buffer.concat([Buffer.from("intact:"), Buffer.from(text, "utf8")]));
      }),
      { numRuns: 300 },
    );
  });

  it("cannot be broken out of by strings built from Lua's own syntax", () => {
    const pieces = fc.constantFrom(
      '"',
      "'",
      "\\",
      "\n",
      "\r",
      "]]",
      "[[",
      "--",
      "]=]",
      "\0",
      ")",
      "os.exit(3)",
      "\\ddd",
      "\\z",
      "\\x41",
      "\\u{41}",
    );
    fc.assert(
      fc.property(
        fc.array(pieces, { maxLength: 8 }).map((parts) => parts.join("")),
        (text) => {
          const out = runLua(`local v = ${luaString(text)}\nio.write("ok:", v)`);
          assert.deepEqual(out, Buffer.concat([Buffer.from("ok:"), Buffer.from(text, "utf8")]));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("keeps every finite number exactly, integers as integers", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer(),
          fc.maxSafeInteger(),
          fc.constantFrom(2 ** 53, -(2 ** 53), 2 ** 62, -(2 ** 63), 2 ** 63, 1e21),
          fc.double({ noNaN: true, noDefaultInfinity: true }),
        ),
        (n) => {
          const out = runLua(
            `local v = ${luaValue(n)}\nio.write(math.type(v), " ", string.format("%.17g", v))`,
          ).toString();
          const [kind, text] = out.split(" ");
          assert.equal(Number(text), Object.is(n, -0) ? 0 : n, `${n} came back as ${out}`);
          const expected = Number.isInteger(n) && Math.abs(n) < 2 ** 63 ? "integer" : "float";
          assert.equal(kind, expected, `${n} came back as ${out}`);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("rebuilds nested tables with any keys and values", () => {
    const { value } = fc.letrec<{ value: LuaValue }>((tie) => ({
      value: fc.oneof(
        { depthSize: "small" },
        fc.string({ unit: "binary", maxLength: 12 }),
        fc.maxSafeInteger(),
        fc.boolean(),
        fc.array(tie("value"), { maxLength: 4 }),
        fc.dictionary(fc.string({ unit: "binary", maxLength: 8 }), tie("value"), { maxKeys: 4 }),
      ),
    }));
    fc.assert(
      fc.property(value, (v) => {
        const out = runLua(`${DUMPER}\nlocal v = ${luaValue(v)}\nio.write(dump(v))`);
        assert.deepEqual(out, canonical(v));
      }),
      { numRuns: 200 },
    );
  });
});
