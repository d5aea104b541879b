/**
 * The schema is the one gate: text that is not Unicode and nesting deeper than any field are
 * refused by it, naming the field, instead of failing later in the renderer (an "internal error")
 * or overflowing the stack. The property puts any string (lone surrogates, control characters,
 * Lua, shell and YAML metacharacters) into text fields of a valid spec: each spec is refused with
 * problems, or it plans and renders.
 */
import { strict as assert } from "node:assert";
import fc from "fast-check";
import { ProblemError } from "../../common/problems";
import { planDeployment } from "../../src/plan";
import { renderArtifacts } from "../../src/render";
import { parseDeploymentSpec } from "../../src/schema";

const refusal = (input: Record<string, unknown>): ProblemError => {
  try {
    renderArtifacts(planDeployment(parseDeploymentSpec({ domain: "example.org", ...input })));
  } catch (error) {
    assert.ok(error instanceof ProblemError, `not a refusal: ${String(error)}`);
    return error;
  }
  assert.fail("accepted");
};

describe("spec text and shape", () => {
  it("refuses a lone UTF-16 surrogate in any text, naming the field", () => {
    for (const [input, field] of [
      [{ contact: { admin: ["mailto:a\uD800@example.org"] }, tier: "community" }, "contact.admin[0]"],
      [{ http: { externalUrl: "https://example.org/\uDC00" } }, "http.externalUrl"],
      [{ upload: { gatewayUrl: "https://example.org/\uD800" }, uploads: "s3" }, "upload.gatewayUrl"],
      [{ options: { global: { ["motd\uD800"]: "x" } } }, "options.global.motd\uD800"],
      // A key with no name (found by the spec fuzzer): the field still names where the text is.
      [{ "": "\uDFFF\uD800" }, '""'],
      [{ options: { global: { "": "\uD800" } } }, 'options.global.""'],
    ] as const) {
      const [problem] = refusal(input).problems;
      assert.equal(problem?.field, field);
      assert.match(problem?.message ?? "", /lone UTF-16 surrogate/);
      assert.ok(problem?.fix);
    }
    // A whole character outside the BMP is text like any other.
    const plan = planDeployment(parseDeploymentSpec({ domain: "example.org", options: { global: { motd: "hi 😀" } } }));
    assert.match(renderArtifacts(plan)["prosody.cfg.lua"] ?? "", /^motd = "hi /m);
  });

  it("names values JSON cannot write as JavaScript does, in every refusal", () => {
    // A BigInt made the refusal itself throw ("Do not know how to serialize a BigInt"); NaN showed as null.
    for (const [value, shown] of [
      [10n, "10n"],
      [Number.NaN, "NaN"],
      [Infinity, "Infinity"],
      [{ big: 1n }, '{"big":"1n"}'],
      [() => 1, "[object Function]"],
    ] as const) {
      for (const input of [{ ports: { c2s: value } }, { options: { global: { k: value } } }]) {
        const [problem] = refusal(input).problems;
        assert.equal(problem?.value, shown, `${Object.keys(input)[0]}: ${shown}`);
        assert.ok(problem?.fix);
      }
    }
  });

  it("refuses nesting ten thousand deep without exhausting the stack", () => {
    let nested: unknown = "x";
    for (let level = 0; level < 10_000; level += 1) nested = [nested];
    for (const input of [{ options: { global: { deep: nested } } }, { extraDomains: nested }]) {
      const [problem] = refusal(input).problems;
      assert.match(problem?.message ?? "", /nested more than 32 levels deep/);
    }
  });

  it("any string in a text field: refused with problems that name a field and a fix, or planned and rendered", () => {
    const text = fc.oneof(
      fc.string({ unit: "binary", maxLength: 40 }),
      fc.string({ unit: "grapheme", maxLength: 40 }),
      fc.constantFrom("]]", "]=]", "'; os.exit() --", "$(reboot)", "`id`", "a: b\n- c", "\u0000", "\uD800"),
    );
    const field = fc.constantFrom(
      (value: string) => ({ contact: { admin: [`mailto:${value}@example.org`] }, tier: "community" }),
      (value: string) => ({ contact: { abuse: [`https://example.org/${value}`] }, tier: "community" }),
      (value: string) => ({ http: { externalUrl: `https://example.org/${value}` } }),
      (value: string) => ({ upload: { s3: { endpoint: `https://s3.example.org/${value}` } }, uploads: "s3" }),
      (value: string) => ({ options: { global: { motd: value } } }),
      (value: string) => ({ options: { global: { [value || "k"]: 1 } } }),
      (value: string) => ({ admins: [`${value}@example.org`] }),
      (value: string) => ({ extraDomains: [value] }),
      (value: string) => ({ image: { repository: value } }),
    );
    fc.assert(
      fc.property(field, text, (build, value) => {
        try {
          renderArtifacts(planDeployment(parseDeploymentSpec({ domain: "example.org", ...build(value) })));
        } catch (error) {
          if (!(error instanceof ProblemError)) throw error;
          for (const problem of error.problems) assert.ok(problem.field !== undefined && problem.fix.length > 0);
        }
      }),
      { numRuns: 2000, seed: 20261202 },
    );
  });
});
