/** A spec written as a JSON or YAML file (the keys of the schema, without the stack's `prosody:` prefix). */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import type { DeploymentSpec } from "./deployment";
import { SpecError } from "./errors";
import { parseDeploymentSpec } from "./index";

export function readSpecInput(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new SpecError(
      [
        {
          field: "--spec",
          value: JSON.stringify(file),
          message: "cannot read the file",
          fix: "give the path of a JSON or YAML spec",
        },
      ],
      "invalid arguments",
    );
  }
  try {
    // YAML is a superset of JSON, so one parser reads both.
    return parse(text);
  } catch (error) {
    throw new SpecError(
      [
        {
          field: file,
          message: `neither JSON nor YAML (${(error as Error).message.split("\n")[0]})`,
          fix: "correct the syntax",
        },
      ],
      "invalid spec file",
    );
  }
}

export function readSpecFile(file: string): DeploymentSpec {
  return parseDeploymentSpec(readSpecInput(file), `${file}: `);
}
