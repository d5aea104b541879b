/**
 * The gateway's whole configuration comes from its environment (gateway/README.md
 * documents every variable). Each variable is a typed field with a default; a bad
 * value stops the gateway at start with the variable, the value and the fix.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { bucketName } from "../../src/common/s3";
import { problemsFromZod, rule, ProblemError, type Problem } from "../../src/common/problems";

export const DOWNLOAD_MODES = ["redirect", "stream"] as const;
export type DownloadMode = (typeof DOWNLOAD_MODES)[number];

const flag = z.enum(["true", "false"]).transform((value) => value === "true");
const seconds = (fallback: number, max: number) =>
  z.coerce
    .number()
    .int({ error: rule("not a whole number of seconds", "write e.g. 300") })
    .min(1)
    .max(max)
    .default(fallback);

const environmentSchema = z.object({
  /** S3 bucket the uploads are written to. */
  S3_BUCKET: bucketName,
  /** Region of the bucket (S3-compatible servers usually accept any). */
  S3_REGION: z
    .string()
    .regex(/^[a-z0-9-]+$/)
    .default("us-east-1"),
  /** Endpoint of an S3-compatible server (MinIO, Ceph, ...); unset for AWS S3. */
  S3_ENDPOINT: z
    .url({ protocol: /^https?$/, error: rule("not an http(s) URL", "write e.g. http://minio:9000") })
    .optional(),
  /** Path-style bucket addressing (endpoint/bucket/key), which most S3-compatible servers need. */
  S3_FORCE_PATH_STYLE: flag.default(false),
  /** Port the gateway listens on. */
  GATEWAY_PORT: z.coerce.number().int().min(1).max(65535).default(5050),
  /** Address the gateway listens on. */
  GATEWAY_HOST: z.string().default("0.0.0.0"),
  /** "redirect": GET answers 302 to a presigned S3 URL; "stream": the gateway streams the object itself. */
  GATEWAY_DOWNLOAD_MODE: z.enum(DOWNLOAD_MODES).default("redirect"),
  /** Lifetime of a presigned download URL. */
  GATEWAY_PRESIGN_SECONDS: seconds(300, 7 * 86400),
  /** Origins web clients may upload and download from (CORS), comma-separated, or "*". */
  GATEWAY_CORS_ORIGINS: z.string().default("*"),
  /** Create the bucket at start when it does not exist (a self-hosted S3 server such as MinIO). */
  GATEWAY_CREATE_BUCKET: flag.default(false),
  /** With GATEWAY_CREATE_BUCKET: the lifecycle rule that deletes objects after this many days. */
  GATEWAY_BUCKET_EXPIRY_DAYS: z.coerce.number().int().min(1).max(36500).optional(),
  /** PEM certificate chain and key, inline or as files: with both set, the gateway serves HTTPS itself. */
  GATEWAY_TLS_CERT: z.string().optional(),
  GATEWAY_TLS_CERT_FILE: z.string().optional(),
  GATEWAY_TLS_KEY: z.string().optional(),
  GATEWAY_TLS_KEY_FILE: z.string().optional(),
});

export interface GatewayConfig {
  secret: Buffer;
  bucket: string;
  region: string;
  endpoint?: string;
  forcePathStyle: boolean;
  port: number;
  host: string;
  downloadMode: DownloadMode;
  presignSeconds: number;
  corsOrigins: "*" | readonly string[];
  createBucket: boolean;
  bucketExpiryDays?: number;
  tls?: { cert: Buffer; key: Buffer };
}

const MIN_SECRET_BYTES = 16;

/** Reads the configuration; `readFile` is injectable so tests need no files. */
export function readGatewayConfig(
  environment: NodeJS.ProcessEnv,
  readFile: (path: string) => Buffer = (path) => readFileSync(path),
): GatewayConfig {
  const problems: Problem[] = [];
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) problems.push(...problemsFromZod(parsed.error, environment));
  const secret = readSecret(environment, readFile, problems);
  const tls = readTls(environment, readFile, problems);
  if (!parsed.success || !secret || problems.length > 0) {
    throw new ProblemError(problems, "invalid upload gateway configuration");
  }
  const env = parsed.data;
  const origins = env.GATEWAY_CORS_ORIGINS.split(",").map((origin) => origin.trim());
  return {
    secret,
    bucket: env.S3_BUCKET,
    region: env.S3_REGION,
    ...(env.S3_ENDPOINT ? { endpoint: env.S3_ENDPOINT } : {}),
    forcePathStyle: env.S3_FORCE_PATH_STYLE,
    port: env.GATEWAY_PORT,
    host: env.GATEWAY_HOST,
    downloadMode: env.GATEWAY_DOWNLOAD_MODE,
    presignSeconds: env.GATEWAY_PRESIGN_SECONDS,
    corsOrigins: origins.includes("*") ? "*" : origins,
    createBucket: env.GATEWAY_CREATE_BUCKET,
    ...(env.GATEWAY_BUCKET_EXPIRY_DAYS !== undefined ? { bucketExpiryDays: env.GATEWAY_BUCKET_EXPIRY_DAYS } : {}),
    ...(tls ? { tls } : {}),
  };
}

/**
 * A value given inline (NAME, e.g. from a secret store such as ECS secrets) or
 * as a file (NAME_FILE, e.g. a mounted secret), never both. One trailing
 * newline of a file is dropped: that is how secrets are usually written to
 * files. `missing`: neither was set; `failed`: a problem was reported.
 */
function readInlineOrFile(
  environment: NodeJS.ProcessEnv,
  name: string,
  readFile: (path: string) => Buffer,
  problems: Problem[],
): { value: Buffer; field: string } | "missing" | "failed" {
  const fileField = `${name}_FILE`;
  const inline = environment[name];
  const file = environment[fileField];
  if (inline !== undefined && file !== undefined) {
    problems.push({
      field: fileField,
      value: JSON.stringify(file),
      message: `both ${name} and ${fileField} are set`,
      fix: "set only one of them",
    });
    return "failed";
  }
  if (inline !== undefined) return { value: Buffer.from(inline, "utf8"), field: name };
  if (file === undefined) return "missing";
  try {
    const text = readFile(file)
      .toString("utf8")
      .replace(/\r?\n$/, "");
    return { value: Buffer.from(text, "utf8"), field: fileField };
  } catch (error) {
    problems.push({
      field: fileField,
      value: JSON.stringify(file),
      message: `cannot be read (${(error as Error).message})`,
      fix: "mount the file there, readable by the gateway's user",
    });
    return "failed";
  }
}

/** The HS256 key shared with Prosody's http_file_share_secret; its value never appears in an error. */
function readSecret(
  environment: NodeJS.ProcessEnv,
  readFile: (path: string) => Buffer,
  problems: Problem[],
): Buffer | undefined {
  const secret = readInlineOrFile(environment, "GATEWAY_SECRET", readFile, problems);
  if (secret === "failed") return undefined;
  if (secret === "missing") {
    problems.push({
      field: "GATEWAY_SECRET",
      message: "is not set",
      fix: "set GATEWAY_SECRET (or GATEWAY_SECRET_FILE) to Prosody's http_file_share_secret",
    });
    return undefined;
  }
  if (secret.value.length < MIN_SECRET_BYTES) {
    problems.push({
      field: secret.field,
      value: "[secret]",
      message: `is ${secret.value.length} bytes long, shorter than ${MIN_SECRET_BYTES}`,
      fix: `use a random secret of at least ${MIN_SECRET_BYTES} bytes, the same as Prosody's http_file_share_secret`,
    });
    return undefined;
  }
  return secret.value;
}

/** The PEM chain and key, each inline or as a file; both or neither. */
function readTls(
  environment: NodeJS.ProcessEnv,
  readFile: (path: string) => Buffer,
  problems: Problem[],
): { cert: Buffer; key: Buffer } | undefined {
  const cert = readInlineOrFile(environment, "GATEWAY_TLS_CERT", readFile, problems);
  const key = readInlineOrFile(environment, "GATEWAY_TLS_KEY", readFile, problems);
  if (cert === "missing" && key === "missing") return undefined;
  if (cert === "missing" || key === "missing") {
    const [missing, other] =
      cert === "missing" ? ["GATEWAY_TLS_CERT", "GATEWAY_TLS_KEY"] : ["GATEWAY_TLS_KEY", "GATEWAY_TLS_CERT"];
    const given = environment[other] !== undefined ? other : `${other}_FILE`;
    problems.push({
      field: missing,
      message: "is not set (nor its _FILE form) while its pair is",
      fix: `set both the certificate and the key, or neither (${given} is set)`,
    });
    return undefined;
  }
  return cert !== "failed" && key !== "failed" ? { cert: cert.value, key: key.value } : undefined;
}
