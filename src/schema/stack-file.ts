/**
 * Reads `Pulumi.<stack>.yaml` the way the Pulumi program will: the keys of the
 * `prosody` project namespace, validated by the same zod schema. Keys of other
 * namespaces (aws:region, …) belong to providers and are left alone; encrypted
 * values never get decrypted here, they become a placeholder.
 */
import { join } from "node:path";
import type { DeploymentSpec } from "./deployment-spec";
import { type Problem, ProblemError } from "../common/problems";
import { parseDeploymentSpec } from "./index";
import { EXISTING_KEY, PROJECT, SECRET_KEYS } from "./pulumi-config";
import { INVALID_ARGUMENTS, readYamlDocument } from "./spec-file";

export const SECRET_PLACEHOLDER = "[secret]";
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
  /** every key of the stack's `config` map (all namespaces), secure values replaced by the placeholder */
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
    values[key] = isSecret ? SECRET_PLACEHOLDER : value;
  }
  return { file, values, secretKeys };
}

/** The project's keys of a stack config, with `prosody:` stripped. */
export function projectConfig<T>(values: Readonly<Record<string, T>>): Record<string, T> {
  const result: Record<string, T> = {};
  for (const [key, value] of Object.entries(values)) {
    if (key.startsWith(`${PROJECT}:`)) result[key.slice(PROJECT.length + 1)] = value;
  }
  return result;
}

/** The spec a stack file describes; its secret keys and existing resources are left to the program. */
export function readStackSpec(stack: string, directory = process.cwd()): DeploymentSpec {
  return stackSpec(readStackConfig(stack, directory));
}

export function stackSpec({ file, values }: Pick<StackConfig, "file" | "values">): DeploymentSpec {
  const config = projectConfig(values);
  for (const key of [...SECRET_KEYS, EXISTING_KEY]) delete config[key];
  return parseDeploymentSpec(config, `${file}: ${PROJECT}:`);
}
