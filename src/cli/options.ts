/** Command-line arguments → a module selection spec, through the same zod schema as stack files. */
import { parseArgs } from "node:util";
import { TOGGLES } from "../catalog/tiers";
import { parseModulesSpec, type ModulesSpec } from "../spec";
import { SpecError } from "../spec/errors";
import { readStackSpec } from "../spec/stack-config";

export class UsageError extends Error {}

const toggleOptions = Object.fromEntries(TOGGLES.map((toggle) => [toggle, { type: "boolean" as const }]));

export const OPTIONS = {
  tier: { type: "string" },
  prosody: { type: "string" },
  stack: { type: "string" },
  add: { type: "string", multiple: true },
  remove: { type: "string", multiple: true },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  ...toggleOptions,
} as const;

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
    throw new UsageError((error as Error).message);
  }
}

const list = (values: string[] | undefined): string[] =>
  (values ?? [])
    .flatMap((value) => value.split(","))
    .map((value) => value.trim())
    .filter((value) => value !== "");

/** The spec a command works on: a stack file, or flags (flags refine a stack file). */
export function specFromOptions(values: ParsedCommandLine["values"]): ModulesSpec {
  const stack = values.stack as string | undefined;
  const base = stack === undefined ? parseModulesSpec({}) : readStackSpec(stack);
  const features: Record<string, boolean> = { ...base.features } as Record<string, boolean>;
  for (const toggle of TOGGLES) {
    const value = values[toggle];
    if (typeof value === "boolean") features[toggle] = value;
  }
  const input = {
    prosodyVersion: values.prosody ?? base.prosodyVersion,
    tier: values.tier ?? base.tier,
    features,
    modules: {
      add: [...base.modules.add, ...list(values.add as string[] | undefined)],
      remove: [...base.modules.remove, ...list(values.remove as string[] | undefined)],
    },
  };
  try {
    return parseModulesSpec(input);
  } catch (error) {
    if (!(error instanceof SpecError)) throw error;
    // Name the flag the user typed, not the spec field behind it.
    const flagOf: Record<string, string> = { prosodyVersion: "--prosody", tier: "--tier" };
    throw new SpecError(
      error.problems.map((problem) => ({
        ...problem,
        field: flagOf[problem.field] ?? problem.field.replace(/^modules\.(add|remove)\[\d+\]$/, "--$1"),
      })),
      "invalid arguments",
    );
  }
}
