/**
 * One way to report bad input, everywhere: the spec, the plan, the platforms'
 * rules, the command line's files and the upload gateway's settings. Every
 * problem names the field, the value that was given and what would be accepted.
 * This module imports nothing of the product, so every layer can use it.
 */
import type { z } from "zod";

export interface Problem {
  /** dotted path of the field, e.g. "modules.add[2]" */
  field: string;
  /** what the user gave, as JSON (undefined when the field was missing) */
  value?: string;
  message: string;
  fix: string;
}

/** A refusal: `context` says what was refused (e.g. "invalid ProsodyStack spec"), the problems say why. */
export class ProblemError extends Error {
  constructor(
    public readonly problems: readonly Problem[],
    public readonly context: string,
  ) {
    super(`${context}:\n${problems.map(formatProblem).join("\n")}`);
    this.name = "ProblemError";
  }
}

export function formatProblem(problem: Problem): string {
  const given = problem.value === undefined ? "" : ` (given ${problem.value})`;
  return `  - ${problem.field}${given}: ${problem.message}. Fix: ${problem.fix}`;
}

/** `["modules", "add", 2]` → `modules.add[2]`; the prefix (e.g. a file and namespace) goes in front. */
export function fieldPath(path: readonly PropertyKey[], prefix = ""): string {
  let out = "";
  for (const key of path) {
    out += typeof key === "number" ? `[${key}]` : out === "" ? String(key) : `.${String(key)}`;
  }
  return `${prefix}${out === "" ? "(spec)" : out}`;
}

/** The given value as JSON; a value JSON cannot write (a BigInt, a function, a cycle) as JavaScript names it. */
export const describeValue = (value: unknown): string | undefined => {
  if (value === undefined) return undefined;
  let text: string | undefined;
  if (typeof value === "bigint") text = `${value}n`;
  else if (typeof value === "number" && !Number.isFinite(value)) text = String(value);
  else {
    try {
      text = JSON.stringify(value, (_key, item: unknown) =>
        typeof item === "bigint"
          ? `${item}n`
          : typeof item === "number" && !Number.isFinite(item)
            ? String(item)
            : item,
      );
    } catch {
      text = undefined;
    }
  }
  text ??= typeof value === "symbol" ? value.toString() : Object.prototype.toString.call(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
};

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** Separates a rule's message from its fix inside a zod error string (see `rule`). */
const FIX_SEPARATOR = " | fix: ";

/** A zod error string that carries its own fix, e.g. `rule("not a DNS name", "write example.org")`. */
export const rule = (message: string, fix: string): string => `${message}${FIX_SEPARATOR}${fix}`;

/** zod's names of types, as a fix says them. */
const EXPECTED: Record<string, string> = {
  array: "a list",
  object: "a map of its fields",
  int: "a whole number",
  number: "a number",
  boolean: "true or false",
};

function fixFor(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_value":
      return `use one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "invalid_type":
      return `give ${EXPECTED[issue.expected] ?? `a ${issue.expected}`}`;
    case "unrecognized_keys":
      return "remove it, or check its spelling against the documented fields";
    case "too_small":
      return issue.origin === "array"
        ? `give at least ${issue.minimum} ${issue.minimum === 1 ? "entry" : "entries"}`
        : `use ${issue.inclusive === false ? "more than" : "at least"} ${issue.minimum}`;
    case "too_big":
      return issue.origin === "array"
        ? `give at most ${issue.maximum} entries`
        : `use ${issue.inclusive === false ? "less than" : "at most"} ${issue.maximum}`;
    case "invalid_union":
      return "give one of the forms the field's documentation lists";
    default:
      return "see the field's documentation in the README";
  }
}

/** Turns zod's issues into our problems, reading the offending values from the original input. */
export function problemsFromZod(
  error: z.ZodError,
  input: unknown,
  prefix = "",
  /** the known field closest to an unknown one at `path`, for the fix */
  closestField?: (path: readonly PropertyKey[], key: string) => string | undefined,
): Problem[] {
  return error.issues.flatMap((issue): Problem[] => {
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => {
        const near = closestField?.(issue.path, key);
        return {
          field: fieldPath([...issue.path, key], prefix),
          value: describeValue(valueAt(input, [...issue.path, key])),
          message: "unknown field",
          fix: near === undefined ? fixFor(issue) : `did you mean "${near}"?`,
        };
      });
    }
    const value = valueAt(input, issue.path);
    // A bad key of a map: its own rule says what a key must look like.
    const message = issue.code === "invalid_key" ? (issue.issues[0]?.message ?? issue.message) : issue.message;
    const [ruleMessage, ruleFix] = message.split(FIX_SEPARATOR);
    if (ruleFix !== undefined && ruleMessage !== undefined) {
      return [
        { field: fieldPath(issue.path, prefix), value: describeValue(value), message: ruleMessage, fix: ruleFix },
      ];
    }
    return [
      {
        field: fieldPath(issue.path, prefix),
        value: describeValue(value),
        message:
          value === undefined && issue.code === "invalid_type"
            ? "required"
            : issue.code === "invalid_value"
              ? "not one of the accepted values"
              : issue.message,
        fix: fixFor(issue),
      },
    ];
  });
}
