/**
 * Generated specs for issue 18's bad-input figure: a valid base spec with a few
 * mutations, each on any of the spec's fields (read from the schema itself, so
 * a new field is fuzzed the day it lands). A mutation sets a value of the
 * field's own kind, in or out of range, or garbage (a wrong type, null, a very
 * long or non-Unicode string, Lua, shell and YAML metacharacters, nested
 * junk), removes the field, or adds an unknown one. `outcome` runs what the
 * CLI's `render` runs and sorts the result: accepted, refused, or anything
 * else, which is a defect.
 */
import fc from "fast-check";
import { type Problem, ProblemError } from "../../common/problems";
import { planDeployment } from "../../src/plan";
import type { DeploymentPlan } from "../../src/plan/types";
import { renderArtifacts } from "../../src/render";
import { parseDeploymentSpec } from "../../src/schema";
import { type SpecNode, specJsonSchema } from "../../scripts/spec-json-schema";

/** How many specs the unit suite generates, and from which seed: the truth suite loads the same ones' configs. */
export const SPEC_FUZZ_RUNS = 10_000;
export const SPEC_FUZZ_SEED = 20261203;

export interface Field {
  path: string[];
  node: SpecNode;
}

/** Every field of the spec and every section holding fields, from the schema. */
export function specFields(root: SpecNode = specJsonSchema()): { fields: Field[]; sections: string[][] } {
  const fields: Field[] = [];
  const sections: string[][] = [[]];
  const walk = (node: SpecNode, path: string[]) => {
    if (!node.properties) {
      fields.push({ path, node });
      return;
    }
    if (path.length > 0) sections.push(path);
    for (const [key, child] of Object.entries(node.properties)) walk(child, [...path, key]);
  };
  walk(root, []);
  return { fields, sections };
}

/** Valid starting points, one per platform and storage and the tiers' defaults; the test proves each is accepted. */
export const BASE_SPECS: readonly Record<string, unknown>[] = [
  { domain: "example.org" },
  { domain: "chat.example.org", tier: "community", extraDomains: ["example.net"], admins: ["admin@chat.example.org"] },
  {
    domain: "example.org",
    tier: "enterprise",
    storage: "postgresql",
    uploads: "s3",
    upload: { s3: { bucket: "files-bucket" } },
  },
  { domain: "example.org", tier: "enterprise", platform: "aws", storage: "postgresql", uploads: "s3" },
  {
    domain: "example.org",
    tier: "community",
    platform: "kubernetes",
    tls: { mode: "cert-manager", certManager: { issuer: "letsencrypt" } },
    kubernetes: { context: "prod" },
    image: { registry: "registry.example.org" },
  },
  {
    domain: "example.org",
    prosodyVersion: "0.12",
    features: { beta: true },
    modules: { add: ["csi_battery_saver"], remove: ["csi_simple"] },
  },
];

/** Text that has broken a renderer or a shell somewhere: metacharacters, control characters, non-Unicode, length. */
const NASTY_TEXT = [
  "",
  " ",
  "]]",
  "]=]",
  "'; os.exit() --",
  '"\\',
  "$(reboot)",
  "`id`",
  "a: b\n- c",
  "key: &anchor *anchor",
  "\u0000",
  "\u0007\u001b[2J",
  "\uD800",
  "\uDFFF\uD800",
  "\u202Eevil",
  "😀",
  "é.example.org",
  "xn--e1afmkfd.xn--p1ai",
  "..",
  "-leading.example.org",
  "example.org.",
  "a@b@c",
  "@example.org",
  "user@",
  "localhost",
  "127.0.0.1",
  "::1",
  "10.0.0.0/8",
  "300.1.1.1",
  "https://",
  "https://example.org:99999/",
  "javascript:alert(1)",
  "mailto:",
  "10kb/s",
  "100b/s",
  "1Gi",
  "-1Gi",
  "*",
  "x".repeat(300),
  "x".repeat(70_000),
];

/** Plausible values of a string field: what a user would type, right or slightly wrong. */
const PLAUSIBLE_TEXT = [
  "example.org",
  "chat.example.org",
  "alice@example.org",
  "https://example.org/",
  "https://s3.example.org",
  "mailto:admin@example.org",
  "xmpp:admin@example.org",
  "eu-west-1",
  "files-bucket",
  "10Gi",
  "500m",
  "256Mi",
  "prod",
  "letsencrypt",
  "Issuer",
  "ClusterIssuer",
  "192.0.2.1",
  "2001:db8::1",
  "0.0.0.0/0",
  "debug",
  "info",
  "1w",
  "never",
  "1d",
  "/var/lib/prosody",
];

const garbage: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, 0, -1, 1.5, 2 ** 53, -(2 ** 31), Number.NaN, Infinity, [], {}, [[[]]]),
  fc.constantFrom(...NASTY_TEXT),
  fc.string({ unit: "binary", maxLength: 30 }),
  fc.string({ unit: "grapheme", maxLength: 30 }),
  fc.anything({ maxDepth: 3, maxKeys: 4, withNullPrototype: true, withBigInt: true, withDate: true, withMap: true }),
);

/** Keys of a map field: Prosody option names and host names mostly (so some reach the config), any text sometimes. */
const mapKey = fc.oneof(
  {
    arbitrary: fc.constantFrom("motd", "c2s_timeout", "x_custom", "welcome_message", "example.org", "chat.example.org"),
    weight: 3,
  },
  { arbitrary: fc.string({ maxLength: 12 }), weight: 1 },
);

const text = fc.oneof(fc.constantFrom(...PLAUSIBLE_TEXT), fc.constantFrom(...NASTY_TEXT), fc.string({ maxLength: 20 }));

/** A value of the field's own kind (which may still be out of range or badly formed), or garbage. */
export function valueFor(node: SpecNode, depth = 0): fc.Arbitrary<unknown> {
  const own: fc.Arbitrary<unknown>[] = [];
  if (node.enum) own.push(fc.constantFrom(...node.enum));
  if (node.const !== undefined) own.push(fc.constant(node.const));
  if (node.anyOf && depth < 2) own.push(...node.anyOf.map((entry) => valueFor(entry, depth + 1)));
  if (node.type === "boolean") own.push(fc.boolean());
  if (node.type === "integer" || node.type === "number") {
    const min = node.minimum ?? -70_000;
    const max = node.maximum ?? 70_000;
    own.push(
      fc.integer({ min: Math.max(min, -1e9), max: Math.min(max, 1e9) }),
      fc.constantFrom(min - 1, max + 1, 0, 65_535, 65_536, 0.5),
    );
  }
  if (node.type === "string" || node.tsType === "string") own.push(text);
  if (node.type === "array" && depth < 2) {
    own.push(fc.array(node.items ? valueFor(node.items, depth + 1) : text, { maxLength: 4 }));
  }
  if (node.type === "object" && depth < 2) {
    const values =
      typeof node.additionalProperties === "object" ? valueFor(node.additionalProperties, depth + 1) : text;
    own.push(fc.dictionary(mapKey, values, { maxKeys: 3 }));
  }
  if (own.length === 0) own.push(text, fc.integer(), fc.boolean());
  // Three in four keep to the field's kind: those are the values that reach the planner and the renderer.
  return fc.oneof({ arbitrary: fc.oneof(...own), weight: 3 }, { arbitrary: garbage, weight: 1 });
}

export type Mutation =
  | { kind: "set"; path: string[]; value: unknown }
  | { kind: "remove"; path: string[] }
  | { kind: "unknown"; path: string[]; value: unknown };

export function mutation(fields: readonly Field[], sections: readonly string[][]): fc.Arbitrary<Mutation> {
  const set = fc
    .constantFrom(...fields)
    .chain(({ path, node }) => valueFor(node).map((value): Mutation => ({ kind: "set", path, value })));
  const remove = fc.constantFrom(...fields).map(({ path }): Mutation => ({ kind: "remove", path }));
  const unknown = fc
    .tuple(
      fc.constantFrom(...sections),
      fc.oneof(fc.constantFrom("domian", "tiers", "enabled", "__proto__", "constructor"), fc.string()),
      garbage,
    )
    .map(([section, key, value]): Mutation => ({ kind: "unknown", path: [...section, key], value }));
  return fc.oneof(
    { arbitrary: set, weight: 6 },
    { arbitrary: remove, weight: 1 },
    { arbitrary: unknown, weight: 1 },
    { arbitrary: userOptions, weight: 1 },
  );
}

/** Text a user may put in an option's value: any Unicode, metacharacters included (lone surrogates are refused earlier). */
const optionText = fc.oneof(
  fc.constantFrom(...NASTY_TEXT.filter((value) => value.isWellFormed())),
  fc.string({ unit: "grapheme", maxLength: 30 }),
);
const optionValue: fc.Arbitrary<unknown> = fc.oneof(
  optionText,
  fc.boolean(),
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
  fc.array(optionText, { maxLength: 3 }),
  fc.dictionary(fc.stringMatching(/^[a-z_][a-z0-9_]{0,10}$/), optionText, { maxKeys: 2 }),
);

/**
 * A table of well-named options for the global section or the spec's domain. Set through `set`, an
 * option table almost never survives (a host name as key, a lone surrogate as value), so without
 * this no accepted spec would carry the user's text into the config for the truth suite to read back.
 */
const userOptions: fc.Arbitrary<Mutation> = fc
  .tuple(
    fc.constantFrom<string[]>(["options", "global"], ["options", "virtualHosts", "example.org"]),
    fc.dictionary(fc.stringMatching(/^x_[a-z0-9_]{1,12}$/), optionValue, { minKeys: 1, maxKeys: 3 }),
  )
  .map(([path, value]): Mutation => ({ kind: "set", path, value }));

/** A copy of `spec` with the mutation applied; a section on the way that is not a map is replaced by one. */
export function applyMutation(spec: Record<string, unknown>, change: Mutation): Record<string, unknown> {
  const copy = structuredClone(spec);
  let section: Record<string, unknown> = copy;
  for (const key of change.path.slice(0, -1)) {
    const next = section[key];
    if (typeof next !== "object" || next === null || Array.isArray(next)) section[key] = {};
    section = section[key] as Record<string, unknown>;
  }
  const last = change.path[change.path.length - 1] ?? "";
  if (change.kind === "remove") delete section[last];
  else
    Object.defineProperty(section, last, { value: change.value, enumerable: true, writable: true, configurable: true });
  return copy;
}

export const generatedSpec = (): fc.Arbitrary<{
  base: number;
  mutations: Mutation[];
  spec: Record<string, unknown>;
}> => {
  const { fields, sections } = specFields();
  return fc
    .tuple(fc.nat({ max: BASE_SPECS.length - 1 }), fc.array(mutation(fields, sections), { minLength: 0, maxLength: 4 }))
    .map(([base, mutations]) => ({
      base,
      mutations,
      spec: mutations.reduce(applyMutation, BASE_SPECS[base] as Record<string, unknown>),
    }));
};

export type Outcome =
  | { kind: "accepted"; plan: DeploymentPlan; config: string }
  | { kind: "refused"; problems: readonly Problem[] }
  | { kind: "failed"; error: unknown };

/** What `prosody-stack render` does with the spec: validate, plan, render. */
export function outcome(spec: unknown): Outcome {
  try {
    const plan = planDeployment(parseDeploymentSpec(spec));
    return { kind: "accepted", plan, config: renderArtifacts(plan)["prosody.cfg.lua"] ?? "" };
  } catch (error) {
    if (error instanceof ProblemError) return { kind: "refused", problems: error.problems };
    return { kind: "failed", error };
  }
}

/** Why a refusal is not a good one: each problem names a field, says what is wrong and how to fix it. */
export const badRefusal = (problems: readonly Problem[]): string | undefined =>
  problems.length === 0
    ? "no problems listed"
    : problems
        .filter((p) => !p.field || !p.message || !p.fix)
        .map((p) => `a problem without a field, message or fix: ${JSON.stringify(p)}`)[0];
