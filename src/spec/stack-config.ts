/**
 * Reads `Pulumi.<stack>.yaml` the way the Pulumi program will: the keys of the
 * `prosody` project namespace, validated by the same zod schema. Keys of other
 * namespaces (aws:region, …) belong to providers and are left alone; encrypted
 * values never get decrypted here, they become a placeholder.
 */
import { join } from "node:path";
import type { DeploymentSpec } from "./deployment";
import { type Problem, SpecError } from "./errors";
import { parseDeploymentSpec } from "./index";
import { readYamlDocument } from "./spec-file";

export const PROJECT = "prosody";
export const SECRET_PLACEHOLDER = "[secret]";
const STACK_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export function stackFile(stack: string, directory = process.cwd()): string {
  if (!STACK_NAME.test(stack)) {
    throw new SpecError(
      [
        {
          field: "--stack",
          value: JSON.stringify(stack),
          message: "not a stack name",
          fix: "use letters, digits, '.', '_' and '-' (e.g. dev, prod)",
        },
      ],
      "invalid arguments",
    );
  }
  return join(directory, `Pulumi.${stack}.yaml`);
}

/** The project's keys of a stack file's `config` map, with `prosody:` stripped and secrets masked. */
export function projectConfig(document: unknown, file: string): Record<string, unknown> {
  const config = (document as { config?: unknown } | null)?.config ?? {};
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new SpecError(
      [
        {
          field: `${file}: config`,
          value: JSON.stringify(config),
          message: "not a map",
          fix: "write config as key: value pairs",
        },
      ],
      "invalid stack file",
    );
  }
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (!key.startsWith(`${PROJECT}:`)) continue;
    const isSecret = typeof value === "object" && value !== null && "secure" in value;
    result[key.slice(PROJECT.length + 1)] = isSecret ? SECRET_PLACEHOLDER : value;
  }
  return result;
}

export function readStackSpec(stack: string, directory = process.cwd()): DeploymentSpec {
  const file = stackFile(stack, directory);
  const unreadable: Problem = {
    field: "--stack",
    value: JSON.stringify(stack),
    message: `${file} does not exist`,
    fix: "run from the project folder, or name an existing stack (dev, prod)",
  };
  const document = readYamlDocument(file, unreadable, "YAML", "invalid stack file");
  return parseDeploymentSpec(projectConfig(document, file), `${file}: ${PROJECT}:`);
}
