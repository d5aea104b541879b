/** A spec written as a JSON or YAML file (the keys of the schema, without the stack's `prosody:` prefix). */
import { readFileSync } from "node:fs";
import { isCollection, parseDocument, visit } from "yaml";
import type { DeploymentSpec } from "./deployment-spec";
import { type Problem, ProblemError } from "../../common/problems";
import { parseDeploymentSpec } from "./index";

/** What a refusal of the command line's own arguments (a file it names, a stack name) is called. */
export const INVALID_ARGUMENTS = "invalid arguments";

/**
 * Reads and parses a YAML (or JSON: YAML is a superset) file. `unreadable` is the
 * problem reported when the file cannot be read; `format` names what it must be.
 */
export function readYamlDocument(file: string, unreadable: Problem, format: string, context: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new ProblemError([unreadable], INVALID_ARGUMENTS);
  }
  const refuse = (message: string, fix = `correct the ${format} syntax`, field = file): never => {
    throw new ProblemError([{ field, message, fix }], context);
  };
  let value: unknown;
  try {
    // Warnings too (an unknown tag, a map as a key): the value would not be what the file seems to say.
    const document = parseDocument(text, { prettyErrors: false });
    const [first] = [...document.errors, ...document.warnings];
    if (first) refuse(`not valid ${format} (${first.message.split("\n")[0]})`);
    visit(document, {
      Pair(_, pair) {
        if (isCollection(pair.key))
          refuse(`not valid ${format} (a list or map used as a key)`, "write keys as plain text");
      },
    });
    value = document.toJS();
  } catch (error) {
    if (error instanceof ProblemError) throw error;
    // toJS refuses an alias expanded too often (a "billion laughs" file).
    refuse(`not valid ${format} (${(error as Error).message.split("\n")[0]})`);
  }
  const cycle = aliasCycle(value, []);
  if (cycle) {
    refuse(
      "a YAML alias refers to the value that holds it, so the value never ends",
      "write the value out instead of the alias",
      `${file}: ${cycle.join(".") || "(top)"}`,
    );
  }
  return value;
}

/** The path to a value that contains itself (only an alias can make one), if any. */
function aliasCycle(value: unknown, path: string[], holders = new Set<unknown>()): string[] | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  if (holders.has(value)) return path;
  holders.add(value);
  for (const [key, child] of Object.entries(value)) {
    const found = aliasCycle(child, [...path, key], holders);
    if (found) return found;
  }
  holders.delete(value);
  return undefined;
}

export function readSpecFile(file: string): DeploymentSpec {
  const unreadable: Problem = {
    field: "--spec",
    value: JSON.stringify(file),
    message: "cannot read the file",
    fix: "give the path of a JSON or YAML spec",
  };
  return parseDeploymentSpec(readYamlDocument(file, unreadable, "JSON or YAML", "invalid spec file"), `${file}: `);
}
