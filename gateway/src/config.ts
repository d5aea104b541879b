/**
 * The gateway's whole configuration comes from its environment (gateway/README.md
 * documents every variable). Each variable is a typed field with a default; a bad
 * value stops the gateway at start with the variable, the value and the fix.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { bucketName } from "../../src/spec/bucket";
import { problemsFromZod, rule, SpecError, type Problem } from "../../src/spec/errors";

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
  /** PEM certificate chain and key: with both set, the gateway serves HTTPS itself. */
  GATEWAY_TLS_CERT_FILE: z.string().optional(),
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
    throw new SpecError(problems, "invalid upload gateway configuration");
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

/** The HS256 key shared with Prosody's http_file_share_secret; its value never appears in an error. */
function readSecret(
  environment: NodeJS.ProcessEnv,
  readFile: (path: string) => Buffer,
  problems: Problem[],
): Buffer | undefined {
  const { GATEWAY_SECRET: inline, GATEWAY_SECRET_FILE: file } = environment;
  if (inline !== undefined && file !== undefined) {
    problems.push({
      field: "GATEWAY_SECRET_FILE",
      value: JSON.stringify(file),
      message: "both GATEWAY_SECRET and GATEWAY_SECRET_FILE are set",
      fix: "set only one of them",
    });
    return undefined;
  }
  let secret: Buffer | undefined;
  if (inline !== undefined) secret = Buffer.from(inline, "utf8");
  if (file !== undefined) {
    try {
      // A trailing newline is how secrets are usually written to files; Prosody's key has none.
      secret = Buffer.from(
        readFile(file)
          .toString("utf8")
          .replace(/\r?\n$/, ""),
        "utf8",
      );
    } catch (error) {
      problems.push({
        field: "GATEWAY_SECRET_FILE",
        value: JSON.stringify(file),
        message: `cannot be read (${(error as Error).message})`,
        fix: "mount the secret file there, readable by the gateway's user",
      });
      return undefined;
    }
  }
  if (secret === undefined) {
    problems.push({
      field: "GATEWAY_SECRET",
      message: "is not set",
      fix: "set GATEWAY_SECRET (or GATEWAY_SECRET_FILE) to Prosody's http_file_share_secret",
    });
    return undefined;
  }
  if (secret.length < MIN_SECRET_BYTES) {
    problems.push({
      field: file !== undefined ? "GATEWAY_SECRET_FILE" : "GATEWAY_SECRET",
      value: "[secret]",
      message: `is ${secret.length} bytes long, shorter than ${MIN_SECRET_BYTES}`,
      fix: `use a random secret of at least ${MIN_SECRET_BYTES} bytes, the same as Prosody's http_file_share_secret`,
    });
    return undefined;
  }
  return secret;
}

function readTls(
  environment: NodeJS.ProcessEnv,
  readFile: (path: string) => Buffer,
  problems: Problem[],
): { cert: Buffer; key: Buffer } | undefined {
  const { GATEWAY_TLS_CERT_FILE: certFile, GATEWAY_TLS_KEY_FILE: keyFile } = environment;
  if (certFile === undefined && keyFile === undefined) return undefined;
  if (certFile === undefined || keyFile === undefined) {
    const [missing, given] =
      certFile === undefined ? ["GATEWAY_TLS_CERT_FILE", keyFile] : ["GATEWAY_TLS_KEY_FILE", certFile];
    problems.push({
      field: missing,
      message: "is not set while its pair is",
      fix: `set both GATEWAY_TLS_CERT_FILE and GATEWAY_TLS_KEY_FILE, or neither (given the other as ${JSON.stringify(given)})`,
    });
    return undefined;
  }
  const read = (field: string, path: string): Buffer | undefined => {
    try {
      return readFile(path);
    } catch (error) {
      problems.push({
        field,
        value: JSON.stringify(path),
        message: `cannot be read (${(error as Error).message})`,
        fix: "mount the PEM file there, readable by the gateway's user",
      });
      return undefined;
    }
  };
  const cert = read("GATEWAY_TLS_CERT_FILE", certFile);
  const key = read("GATEWAY_TLS_KEY_FILE", keyFile);
  return cert && key ? { cert, key } : undefined;
}
