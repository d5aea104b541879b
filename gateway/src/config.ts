/**
 * The gateway's whole configuration comes from its environment (gateway/README.md
 * documents every variable). Each variable is a typed field with a default; a bad
 * value stops the gateway at start with the variable, the value and the fix.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { bucketName } from "../../common/s3-rules";
import { problemsFromZod, rule, ProblemError, type Problem } from "../../common/problems";
import { fileVariable, GATEWAY_VARIABLES as V } from "./contract";

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
  [V.bucket]: bucketName,
  /** Region of the bucket (S3-compatible servers usually accept any). */
  [V.region]: z
    .string()
    .regex(/^[a-z0-9-]+$/)
    .default("us-east-1"),
  /** Endpoint of an S3-compatible server (MinIO, Ceph, ...); unset for AWS S3. */
  [V.endpoint]: z
    .url({ protocol: /^https?$/, error: rule("not an http(s) URL", "write e.g. http://minio:9000") })
    .optional(),
  /** Path-style bucket addressing (endpoint/bucket/key), which most S3-compatible servers need. */
  [V.forcePathStyle]: flag.default(false),
  /** Port the gateway listens on. */
  [V.port]: z.coerce.number().int().min(1).max(65535).default(5050),
  /** Address the gateway listens on. */
  [V.host]: z.string().default("0.0.0.0"),
  /** "redirect": GET answers 302 to a presigned S3 URL; "stream": the gateway streams the object itself. */
  [V.downloadMode]: z.enum(DOWNLOAD_MODES).default("redirect"),
  /** Lifetime of a presigned download URL. */
  [V.presignSeconds]: seconds(300, 7 * 86400),
  /** Origins web clients may upload and download from (CORS), comma-separated, or "*". */
  [V.corsOrigins]: z.string().default("*"),
  /** Create the bucket at start when it does not exist (a self-hosted S3 server such as MinIO). */
  [V.createBucket]: flag.default(false),
  /** With GATEWAY_CREATE_BUCKET: the lifecycle rule that deletes objects after this many days. */
  [V.bucketExpiryDays]: z.coerce.number().int().min(1).max(36500).optional(),
  /** PEM certificate chain and key, inline or as files: with both set, the gateway serves HTTPS itself. */
  [V.tlsCertificate]: z.string().optional(),
  [fileVariable(V.tlsCertificate)]: z.string().optional(),
  [V.tlsKey]: z.string().optional(),
  [fileVariable(V.tlsKey)]: z.string().optional(),
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
  const origins = env[V.corsOrigins].split(",").map((origin) => origin.trim());
  return {
    secret,
    bucket: env[V.bucket],
    region: env[V.region],
    ...(env[V.endpoint] ? { endpoint: env[V.endpoint] } : {}),
    forcePathStyle: env[V.forcePathStyle],
    port: env[V.port],
    host: env[V.host],
    downloadMode: env[V.downloadMode],
    presignSeconds: env[V.presignSeconds],
    corsOrigins: origins.includes("*") ? "*" : origins,
    createBucket: env[V.createBucket],
    ...(env[V.bucketExpiryDays] !== undefined ? { bucketExpiryDays: env[V.bucketExpiryDays] } : {}),
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
  const fileField = fileVariable(name);
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
  const secret = readInlineOrFile(environment, V.secret, readFile, problems);
  if (secret === "failed") return undefined;
  if (secret === "missing") {
    problems.push({
      field: V.secret,
      message: "is not set",
      fix: `set ${V.secret} (or ${fileVariable(V.secret)}) to Prosody's http_file_share_secret`,
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
  const cert = readInlineOrFile(environment, V.tlsCertificate, readFile, problems);
  const key = readInlineOrFile(environment, V.tlsKey, readFile, problems);
  if (cert === "missing" && key === "missing") return undefined;
  if (cert === "missing" || key === "missing") {
    const [missing, other] = cert === "missing" ? [V.tlsCertificate, V.tlsKey] : [V.tlsKey, V.tlsCertificate];
    const given = environment[other] !== undefined ? other : fileVariable(other);
    problems.push({
      field: missing,
      message: "is not set (nor its _FILE form) while its pair is",
      fix: `set both the certificate and the key, or neither (${given} is set)`,
    });
    return undefined;
  }
  return cert !== "failed" && key !== "failed" ? { cert: cert.value, key: key.value } : undefined;
}
