/**
 * The one reader of a stack's config, for the Pulumi program and for every
 * command of the CLI. Pulumi hands a program its config as strings: text as
 * it is, everything else (lists, maps, numbers, booleans) as JSON, and a
 * top-level `pulumi config set prosody:protectData false` as the text "false".
 * This turns the `prosody:` keys back into a spec input with the help of the
 * schema (a field that holds text is never JSON-decoded, so "13" stays "13"),
 * keeps the secret keys and `existing` apart, and refuses what would be
 * silently ignored: a namespace that is a misspelling of ours, an encrypted
 * value where the spec needs plain text.
 */
import { distance } from "fastest-levenshtein";
import type { z } from "zod";
import { type Problem, ProblemError } from "../../common/problems";
import { deploymentSpecSchema } from "./deployment-spec";
import { innerSchema } from "./schema-walk";

export const PROJECT = "prosody";

/** Secret stack config keys (`pulumi config set --secret prosody:<key>`); src/containers/secrets.ts says which are generated when absent. */
export const SECRET_KEYS = [
  "databasePassword",
  "uploadSecret",
  "turnSecret",
  "s3AccessKeyId",
  "s3SecretAccessKey",
  "backupS3AccessKeyId",
  "backupS3SecretAccessKey",
  "tlsCertificate",
  "tlsPrivateKey",
  "cloudflareApiToken",
  "route53AccessKeyId",
  "route53SecretAccessKey",
  "watchdogPassword",
  "alertsWebhookUrl",
  "alertsSmtpPassword",
] as const;
export type SecretKey = (typeof SECRET_KEYS)[number];

/** The stack config key (`prosody:existing`) naming resources of yours to use; it goes to the component, not the spec. */
export const EXISTING_KEY = "existing";

/** What a refused stack config is called. */
export const INVALID_STACK_CONFIG = "invalid stack config";

const isSecretKey = (key: string): key is SecretKey => (SECRET_KEYS as readonly string[]).includes(key);

function holdsText(field: z.ZodType | undefined): boolean {
  const type = field && innerSchema(field).def.type;
  return type === "string" || type === "enum";
}

export interface ProgramConfig {
  /** the spec part, decoded and ready for parseDeploymentSpec */
  spec: Record<string, unknown>;
  /** names of the secret keys that were set */
  secrets: SecretKey[];
  /** the decoded `existing` value, when set */
  existing?: unknown;
}

/** A namespace that is ours misspelt (`prosdy:`, `Prosody:`): its keys would be ignored. */
const looksLikeOurs = (namespace: string): boolean =>
  namespace !== PROJECT && (namespace.toLowerCase() === PROJECT || distance(namespace.toLowerCase(), PROJECT) <= 2);

/**
 * Every key of a stack's config (all namespaces, as Pulumi hands them over:
 * strings), into the spec input, the secret key names and `existing`.
 * `encrypted` names the keys whose values were `secure:` and are not known here.
 * When `encryptedIsComplete` (a stack file read here, or the list Pulumi's CLI
 * hands its program), a secret written in plain text is refused: it would sit
 * readable in Pulumi.<stack>.yaml, in the repository.
 */
export function readProgramConfig(
  raw: Readonly<Record<string, string>>,
  encrypted: ReadonlySet<string> = new Set(),
  fieldPrefix = "",
  encryptedIsComplete = false,
): ProgramConfig {
  const shape = deploymentSpecSchema.shape as Record<string, z.ZodType>;
  const spec: Record<string, unknown> = {};
  const secrets: SecretKey[] = [];
  const problems: Problem[] = [];
  let existing: unknown;
  for (const [fullKey, text] of Object.entries(raw)) {
    const colon = fullKey.indexOf(":");
    const namespace = colon === -1 ? "" : fullKey.slice(0, colon);
    const key = fullKey.slice(colon + 1);
    const field = `${fieldPrefix}${fullKey}`;
    if (namespace !== PROJECT) {
      if (looksLikeOurs(namespace)) {
        problems.push({
          field,
          message: `"${namespace}" is not the project's namespace, so this key would be ignored`,
          fix: `write it as ${PROJECT}:${key}`,
        });
      }
      continue;
    }
    if (isSecretKey(key)) {
      secrets.push(key);
      if (encryptedIsComplete && !encrypted.has(fullKey)) {
        problems.push({
          field,
          value: "[hidden]",
          message: "is a secret, but it is written in plain text: anyone who can read the stack file can read it",
          fix: `encrypt it: \`pulumi config set --secret ${fullKey}\` (it replaces the plain value)`,
        });
      }
    } else if (encrypted.has(fullKey)) {
      problems.push({
        field,
        message: "is encrypted, but it is not a secret: the spec needs its plain value, which is never decrypted here",
        fix: `set it in plain text: \`pulumi config set ${fullKey} ...\` (only ${SECRET_KEYS.join(", ")} are secrets)`,
      });
    } else if (key === EXISTING_KEY) {
      existing = decodeJson(field, text, problems);
    } else {
      // Own fields only: "constructor" or "__proto__" is an unknown key for the schema to refuse, not Object's.
      const schemaField = Object.hasOwn(shape, key) ? shape[key] : undefined;
      spec[key] = holdsText(schemaField) ? text : decodeJson(field, text, problems);
    }
  }
  if (problems.length > 0) throw new ProblemError(problems, INVALID_STACK_CONFIG);
  return { spec, secrets, ...(existing === undefined ? {} : { existing }) };
}

function decodeJson(field: string, text: string, problems: Problem[]): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    // Text where the schema wants a structure: let the schema name what it wants.
    if (!/^\s*[[{]/.test(text)) return text;
    problems.push({
      field,
      value: JSON.stringify(text),
      message: "not a list, map, number or boolean",
      fix: "write it in YAML structure in the stack file, or as JSON with `pulumi config set --path`",
    });
    return undefined;
  }
}

/** The raw, string-valued config, as Pulumi passes it to the program. */
export function encodeProgramConfig(values: Readonly<Record<string, unknown>>): Record<string, string> {
  const encoded: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    encoded[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return encoded;
}
