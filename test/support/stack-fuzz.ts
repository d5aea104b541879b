/**
 * Generated stack files for issue 18's bad-input figure: the project's own
 * `Pulumi.<stack>.yaml` files with changes a user makes by hand. A change is
 * one of the spec fuzzer's mutations on a `prosody:` key, a key moved to
 * another or a misspelt namespace, an encrypted value where a plain one
 * belongs, a secret in plain text or encrypted, or a break of the YAML itself
 * (tabs, unclosed brackets, duplicate keys, aliases to nothing, deep nesting).
 * `stackOutcome` reads the file the way `prosody-stack render --stack` does.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { parse, stringify } from "yaml";
import { ProblemError } from "../../common/problems";
import { planDeployment } from "../../src/plan";
import { renderArtifacts } from "../../src/render";
import { PROJECT, SECRET_KEYS } from "../../src/schema/pulumi-config";
import { readStackSpec } from "../../src/schema/stack-file";
import { applyMutation, type Mutation, mutation, type Outcome, specFields } from "./spec-fuzz";

export const STACK_FUZZ_RUNS = 10_000;
export const STACK_FUZZ_SEED = 20261204;

const ROOT = join(__dirname, "..", "..");
/** The stack files users start from. */
export const BASE_STACKS = ["dev", "prod", "k8s"] as const;

type Config = Record<string, unknown>;

const baseConfig = (stack: string): Config =>
  (parse(readFileSync(join(ROOT, `Pulumi.${stack}.yaml`), "utf8")) as { config: Config }).config;

/** Namespaces a `prosody:` key may land in by hand: misspellings of ours (refused) and providers' (ignored). */
const NAMESPACES = ["prosdy", "Prosody", "PROSODY", "prosody-stack", "prosodyy", "aws", "kubernetes", "cloudflare", ""];

/** Lines that break YAML, or the map Pulumi expects, inserted anywhere in the file. */
const YAML_BREAKS = [
  "\tprosody:tier: community",
  "  prosody:tier: [community",
  '  prosody:domain: "unterminated',
  "  : a value without a key",
  "  prosody:domain: example.org",
  "  prosody:tier: *nowhere",
  "  prosody:x: &a [*a]",
  "config: again",
  "%YAML 9.9",
  "---",
  "  - a list item inside a map",
  "\u0000",
  "  prosody:tier: community # ]]; os.exit() $(reboot)",
  `  prosody:dns: ${"[".repeat(500)}${"]".repeat(500)}`,
  `  prosody:dns: ${"{a: ".repeat(300)}1${"}".repeat(300)}`,
  "  ? [complex, key]\n  : value",
  "  prosody:tier: !!binary aGVsbG8=",
  "  prosody:tier: !custom community",
];

/** Whole files users have ended up with. */
const WHOLE_FILES = [
  "",
  "config:",
  "config: 5",
  "config: [1, 2]",
  "just text",
  "\uFEFFconfig:\n  prosody:domain: example.org",
];

export type StackChange =
  | { kind: "spec"; mutation: Mutation }
  | { kind: "namespace"; pick: number; namespace: string }
  | { kind: "encrypted"; key: string }
  | { kind: "secret"; key: string; value: unknown };

const secretValue = fc.oneof(
  fc.constant({ secure: "v1:AAAAAAAAAAAAAAAAAAAAAAAAAAAA" }),
  fc.string({ minLength: 0, maxLength: 40 }),
  fc.constantFrom("short", "a-plain-secret-long-enough-to-use-1234", "'; os.exit() --", 5, null, ["x"]),
);

function change(): fc.Arbitrary<StackChange> {
  const { fields, sections } = specFields();
  const keys = fc.constantFrom(...fields.map(({ path }) => `${PROJECT}:${path[0] ?? ""}`));
  return fc.oneof(
    { arbitrary: mutation(fields, sections).map((m): StackChange => ({ kind: "spec", mutation: m })), weight: 4 },
    {
      arbitrary: fc
        .tuple(fc.nat(), fc.constantFrom(...NAMESPACES))
        .map(([pick, namespace]): StackChange => ({ kind: "namespace", pick, namespace })),
      weight: 1,
    },
    { arbitrary: keys.map((key): StackChange => ({ kind: "encrypted", key })), weight: 1 },
    {
      arbitrary: fc
        .tuple(fc.constantFrom(...SECRET_KEYS), secretValue)
        .map(([key, value]): StackChange => ({ kind: "secret", key: `${PROJECT}:${key}`, value })),
      weight: 1,
    },
  );
}

/** The `prosody:` keys of a config as a spec input, and back, so the spec fuzzer's mutations apply. */
const asSpec = (config: Config): Config =>
  Object.fromEntries(
    Object.entries(config)
      .filter(([key]) => key.startsWith(`${PROJECT}:`))
      .map(([key, value]) => [key.slice(PROJECT.length + 1), value]),
  );
const withSpec = (config: Config, spec: Config): Config => ({
  ...Object.fromEntries(Object.entries(config).filter(([key]) => !key.startsWith(`${PROJECT}:`))),
  ...Object.fromEntries(Object.entries(spec).map(([key, value]) => [`${PROJECT}:${key}`, value])),
});

export function applyChange(config: Config, step: StackChange): Config {
  switch (step.kind) {
    case "spec":
      return withSpec(config, applyMutation(asSpec(config), step.mutation));
    case "namespace": {
      // One of the keys the file has, moved.
      const ours = Object.keys(config).filter((key) => key.startsWith(`${PROJECT}:`));
      const key = ours[step.pick % Math.max(1, ours.length)];
      if (key === undefined) return config;
      const { [key]: value, ...rest } = config;
      const bare = key.slice(PROJECT.length + 1);
      return { ...rest, [step.namespace ? `${step.namespace}:${bare}` : bare]: value };
    }
    case "encrypted":
      return { ...config, [step.key]: { secure: "v1:AAAAAAAAAAAAAAAAAAAAAAAAAAAA" } };
    case "secret":
      return { ...config, [step.key]: step.value };
  }
}

/** `arbitrary` once in `every` draws, null otherwise. */
const sometimes = <T>(arbitrary: fc.Arbitrary<T>, every: number): fc.Arbitrary<T | null> =>
  fc.oneof({ arbitrary: fc.constant(null), weight: every - 1 }, { arbitrary, weight: 1 });

/** The text of the stack file: the changed config as YAML, then maybe a line that breaks it, or a whole other file. */
export const generatedStackFile = (): fc.Arbitrary<{ base: string; changes: StackChange[]; text: string }> =>
  fc
    .tuple(
      fc.constantFrom(...BASE_STACKS),
      fc.array(change(), { maxLength: 3 }),
      sometimes(fc.tuple(fc.constantFrom(...YAML_BREAKS), fc.nat()), 4),
      sometimes(fc.constantFrom(...WHOLE_FILES), 40),
    )
    .map(([base, changes, yamlBreak, whole]) => {
      const config = changes.reduce(applyChange, baseConfig(base));
      let text = stringify({ config }, { lineWidth: 0 });
      if (yamlBreak) {
        const lines = text.split("\n");
        lines.splice(1 + (yamlBreak[1] % lines.length), 0, yamlBreak[0]);
        text = lines.join("\n");
      }
      return { base, changes, text: whole ?? text };
    });

/** A folder the fuzzer writes its one stack file into, read back as `--stack fuzz`. */
export function stackFolder(): { write(text: string): void; outcome(): Outcome; remove(): void } {
  const folder = mkdtempSync(join(tmpdir(), "prosody-stack-fuzz-"));
  return {
    write: (text) => writeFileSync(join(folder, "Pulumi.fuzz.yaml"), text),
    outcome(): Outcome {
      try {
        const plan = planDeployment(readStackSpec("fuzz", folder));
        return { kind: "accepted", plan, config: renderArtifacts(plan)["prosody.cfg.lua"] ?? "" };
      } catch (error) {
        if (error instanceof ProblemError) return { kind: "refused", problems: error.problems };
        return { kind: "failed", error };
      }
    },
    remove: () => rmSync(folder, { recursive: true, force: true }),
  };
}
