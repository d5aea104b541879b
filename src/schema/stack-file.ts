/**
 * Reads `Pulumi.<stack>.yaml` the way the Pulumi program will: the keys of the
 * `prosody` project namespace, validated by the same zod schema. Keys of other
 * namespaces (aws:region, …) belong to providers and are left alone; encrypted
 * values never get decrypted here, they become a placeholder.
 */
import { join } from "node:path";
import type { DeploymentSpec } from "./deployment-spec";
import { type Problem, ProblemError } from "../../common/problems";
import { parseDeploymentSpec } from "./index";
import { encodeProgramConfig, PROJECT, readProgramConfig } from "./pulumi-config";
import { INVALID_ARGUMENTS, readYamlDocument } from "./spec-file";

/** How a secret shows in everything the CLI prints. */
export const SECRET_PLACEHOLDER = "[secret]";
/**
 * What stands in for an encrypted value, never decrypted here: long enough and
 * printable, so a program that checks a given secret accepts it as one.
 */
export const ENCRYPTED_STAND_IN = "encrypted-value-not-decrypted-by-prosody-stack";
const STACK_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export function stackFile(stack: string, directory = process.cwd()): string {
  if (!STACK_NAME.test(stack)) {
    throw new ProblemError(
      [
        {
          field: "--stack",
          value: JSON.stringify(stack),
          message: "not a stack name",
          fix: "use letters, digits, '.', '_' and '-' (e.g. dev, prod)",
        },
      ],
      INVALID_ARGUMENTS,
    );
  }
  return join(directory, `Pulumi.${stack}.yaml`);
}

export interface StackConfig {
  file: string;
  /** every key of the stack's `config` map (all namespaces), secure values replaced by ENCRYPTED_STAND_IN */
  values: Record<string, unknown>;
  /** the keys whose values were secure */
  secretKeys: string[];
}

/** Reads a stack file's `config` map without decrypting anything. */
export function readStackConfig(stack: string, directory = process.cwd()): StackConfig {
  const file = stackFile(stack, directory);
  const unreadable: Problem = {
    field: "--stack",
    value: JSON.stringify(stack),
    message: `${file} does not exist`,
    fix: "run from the project folder, or name an existing stack (dev, prod)",
  };
  const document = readYamlDocument(file, unreadable, "YAML", "invalid stack file");
  const config = (document as { config?: unknown } | null)?.config ?? {};
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new ProblemError(
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
  const values: Record<string, unknown> = {};
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries(config)) {
    const isSecret = typeof value === "object" && value !== null && "secure" in value;
    if (isSecret) secretKeys.push(key);
    values[key] = isSecret ? ENCRYPTED_STAND_IN : value;
  }
  return { file, values, secretKeys };
}

/** The spec a stack file describes; its secret keys and existing resources are left to the program. */
export function readStackSpec(stack: string, directory = process.cwd()): DeploymentSpec {
  return stackSpec(readStackConfig(stack, directory));
}

/** The spec, read exactly as the Pulumi program reads it (readProgramConfig), from Pulumi's string form. */
export function stackSpec({
  file,
  values,
  secretKeys = [],
}: Pick<StackConfig, "file" | "values"> & Partial<StackConfig>) {
  const decoded = readProgramConfig(encodeProgramConfig(values), new Set(secretKeys), `${file}: `, true);
  return parseDeploymentSpec(decoded.spec, `${file}: ${PROJECT}:`);
}
