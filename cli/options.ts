/** Command-line arguments → a module selection spec, through the same zod schema as stack files. */
import { parseArgs } from "node:util";
import { closestWord } from "../common/closest";
import { TOGGLES } from "../src/catalog/tiers";
import { type DeploymentSpec, parseDeploymentSpec, parseModulesSpec, type ModulesSpec } from "../src/schema";
import { ProblemError } from "../common/problems";
import { INVALID_ARGUMENTS, readSpecFile } from "../src/schema/spec-file";
import { readStackSpec } from "../src/schema/stack-file";

/** A mistake on the command line itself (exit 2): an unknown command or flag, a missing argument. */
export class UsageError extends Error {}

const toggleOptions = Object.fromEntries(TOGGLES.map((toggle) => [toggle, { type: "boolean" as const }]));

/** The flags that refine a module selection, on every command that reads one. */
export const MODULE_FLAGS: readonly string[] = ["tier", "prosody", ...TOGGLES, "add", "remove"];

export const OPTIONS = {
  tier: { type: "string" },
  prosody: { type: "string" },
  stack: { type: "string" },
  spec: { type: "string" },
  out: { type: "string" },
  resolver: { type: "string" },
  ca: { type: "string" },
  jid: { type: "string" },
  from: { type: "string" },
  backups: { type: "string" },
  "backups-bucket": { type: "string" },
  image: { type: "string" },
  renewal: { type: "string" },
  peer: { type: "string" },
  job: { type: "boolean" },
  task: { type: "boolean" },
  add: { type: "string", multiple: true },
  remove: { type: "string", multiple: true },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "V" },
  ...toggleOptions,
} as const;

/** Every spelling of a flag the parser knows, for suggestions. */
const FLAG_SPELLINGS: readonly string[] = [
  ...Object.keys(OPTIONS).map((name) => `--${name}`),
  ...TOGGLES.map((toggle) => `--no-${toggle}`),
];

/** The closest known flag to a mistyped one, when one is close. */
export const closestFlag = (flag: string): string | undefined => closestWord(flag, FLAG_SPELLINGS);

export interface ParsedCommandLine {
  command: string | undefined;
  positionals: string[];
  values: Record<string, string | boolean | string[] | undefined>;
}

export function parseCommandLine(argv: readonly string[]): ParsedCommandLine {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options: OPTIONS,
      allowPositionals: true,
      allowNegative: true,
      strict: true,
    });
    const [command, ...rest] = positionals;
    return { command, positionals: rest, values: values as ParsedCommandLine["values"] };
  } catch (error) {
    const unknown = /Unknown option '(-{1,2}[^']+)'/.exec((error as Error).message)?.[1];
    if (unknown === undefined) throw new UsageError((error as Error).message);
    const near = closestFlag(unknown);
    throw new UsageError(`unknown option ${unknown}${near ? `; did you mean ${near}?` : ""}`);
  }
}

const list = (values: string[] | undefined): string[] =>
  (values ?? [])
    .flatMap((value) => value.split(","))
    .map((value) => value.trim())
    .filter((value) => value !== "");

/** The spec file or stack file named on the command line, validated whole. */
function baseSpec(values: ParsedCommandLine["values"]): ModulesSpec | DeploymentSpec {
  const stack = values.stack as string | undefined;
  const file = values.spec as string | undefined;
  if (stack !== undefined && file !== undefined) throw new UsageError("give --stack or --spec, not both");
  if (stack !== undefined) return readStackSpec(stack);
  if (file !== undefined) return readSpecFile(file);
  return parseModulesSpec({});
}

/** The base spec with the module flags applied on top. */
function withModuleFlags(values: ParsedCommandLine["values"], base: ModulesSpec): ModulesSpec {
  const features: Record<string, boolean> = { ...base.features } as Record<string, boolean>;
  for (const toggle of TOGGLES) {
    const value = values[toggle];
    if (typeof value === "boolean") features[toggle] = value;
  }
  return {
    ...base,
    prosodyVersion: (values.prosody ?? base.prosodyVersion) as ModulesSpec["prosodyVersion"],
    tier: (values.tier ?? base.tier) as ModulesSpec["tier"],
    features,
    modules: {
      add: [...base.modules.add, ...list(values.add as string[] | undefined)],
      remove: [...base.modules.remove, ...list(values.remove as string[] | undefined)],
    },
  };
}

/** Validates again after the flags, naming the flag the user typed rather than the spec field behind it. */
function validateWithFlagNames<T>(parse: (input: unknown) => T, input: unknown): T {
  try {
    return parse(input);
  } catch (error) {
    if (!(error instanceof ProblemError)) throw error;
    const flagOf: Record<string, string> = { prosodyVersion: "--prosody", tier: "--tier" };
    throw new ProblemError(
      error.problems.map((problem) => ({
        ...problem,
        field: flagOf[problem.field] ?? problem.field.replace(/^modules\.(add|remove)\[\d+\]$/, "--$1"),
      })),
      INVALID_ARGUMENTS,
    );
  }
}

/** The module selection a command works on: a stack or spec file, refined by flags. */
export function specFromOptions(values: ParsedCommandLine["values"]): ModulesSpec {
  const { prosodyVersion, tier, features, modules } = withModuleFlags(values, baseSpec(values));
  return validateWithFlagNames((input) => parseModulesSpec(input), { prosodyVersion, tier, features, modules });
}

/** The whole spec `render` works on: a stack or spec file (required), refined by the module flags. */
export function deploymentSpecFromOptions(values: ParsedCommandLine["values"]): DeploymentSpec {
  if (values.stack === undefined && values.spec === undefined) {
    throw new UsageError("render needs --stack NAME (reads Pulumi.NAME.yaml) or --spec FILE (JSON or YAML)");
  }
  return validateWithFlagNames((input) => parseDeploymentSpec(input), withModuleFlags(values, baseSpec(values)));
}
