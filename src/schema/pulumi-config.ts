/**
 * Pulumi hands a program its stack config as strings: text values as they
 * are, everything else (lists, maps, numbers, booleans) as JSON. This turns
 * the `prosody:` keys back into a spec input with the help of the schema
 * (a field that holds text is never JSON-decoded, so "13" stays "13"), and
 * keeps the secret keys apart: they are not part of the spec.
 */
import type { z } from "zod";
import { deploymentSpecSchema } from "./deployment-spec";
import { ProblemError } from "../common/problems";

export const PROJECT = "prosody";

/** Secret stack config keys (`pulumi config set --secret prosody:<key>`), each generated when absent. */
export const SECRET_KEYS = [
  "databasePassword",
  "uploadSecret",
  "turnSecret",
  "s3AccessKeyId",
  "s3SecretAccessKey",
] as const;
export type SecretKey = (typeof SECRET_KEYS)[number];

/** The stack config key (`prosody:existing`) naming resources of yours to use; it goes to the component, not the spec. */
export const EXISTING_KEY = "existing";

const isSecretKey = (key: string): key is SecretKey => (SECRET_KEYS as readonly string[]).includes(key);

function holdsText(field: z.ZodType | undefined): boolean {
  let current = field;
  while (current && (current.def.type === "default" || current.def.type === "optional")) {
    current = (current.def as unknown as { innerType: z.ZodType }).innerType;
  }
  return current?.def.type === "string" || current?.def.type === "enum";
}

export interface ProgramConfig {
  /** the spec part, decoded and ready for parseDeploymentSpec */
  spec: Record<string, unknown>;
  /** names of the secret keys that were set */
  secrets: SecretKey[];
  /** the decoded `existing` value, when set */
  existing?: unknown;
}

/** Splits raw config (keys without the `prosody:` prefix) into the spec input and the secret key names. */
export function decodeProgramConfig(raw: Readonly<Record<string, string>>): ProgramConfig {
  const shape = deploymentSpecSchema.shape as Record<string, z.ZodType>;
  const spec: Record<string, unknown> = {};
  const secrets: SecretKey[] = [];
  let existing: unknown;
  for (const [key, text] of Object.entries(raw)) {
    if (isSecretKey(key)) {
      secrets.push(key);
    } else if (key === EXISTING_KEY) {
      existing = decodeJson(key, text);
    } else {
      spec[key] = holdsText(shape[key]) ? text : decodeJson(key, text);
    }
  }
  return { spec, secrets, ...(existing === undefined ? {} : { existing }) };
}

function decodeJson(key: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    throw new ProblemError(
      [
        {
          field: `${PROJECT}:${key}`,
          value: JSON.stringify(text),
          message: "not a list, map, number or boolean",
          fix: "write it in YAML structure in the stack file, or as JSON with `pulumi config set --path`",
        },
      ],
      "invalid stack config",
    );
  }
}

/** The raw, string-valued config of a project namespace, as Pulumi would pass it to the program. */
export function encodeProgramConfig(values: Readonly<Record<string, unknown>>): Record<string, string> {
  const encoded: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    encoded[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return encoded;
}
