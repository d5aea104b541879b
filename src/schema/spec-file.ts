/** A spec written as a JSON or YAML file (the keys of the schema, without the stack's `prosody:` prefix). */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import type { DeploymentSpec } from "./deployment-spec";
import { type Problem, ProblemError } from "../common/problems";
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
  try {
    return parse(text);
  } catch (error) {
    throw new ProblemError(
      [
        {
          field: file,
          message: `not valid ${format} (${(error as Error).message.split("\n")[0]})`,
          fix: `correct the ${format} syntax`,
        },
      ],
      context,
    );
  }
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
