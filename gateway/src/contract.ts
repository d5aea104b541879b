/**
 * What the upload gateway's image promises whoever runs it: the variables it
 * reads, how it is started and asked about its health, and the user it runs
 * as (gateway/Dockerfile). Plain data: the gateway reads its settings by these
 * names, and the core's container description (src/containers/gateway.ts)
 * writes them, so no name is spelled twice.
 */

/** Every variable the gateway reads (gateway/README.md documents each one). */
export const GATEWAY_VARIABLES = {
  bucket: "S3_BUCKET",
  region: "S3_REGION",
  endpoint: "S3_ENDPOINT",
  forcePathStyle: "S3_FORCE_PATH_STYLE",
  port: "GATEWAY_PORT",
  host: "GATEWAY_HOST",
  downloadMode: "GATEWAY_DOWNLOAD_MODE",
  presignSeconds: "GATEWAY_PRESIGN_SECONDS",
  corsOrigins: "GATEWAY_CORS_ORIGINS",
  createBucket: "GATEWAY_CREATE_BUCKET",
  bucketExpiryDays: "GATEWAY_BUCKET_EXPIRY_DAYS",
  /** the HS256 key shared with Prosody's http_file_share_secret */
  secret: "GATEWAY_SECRET",
  tlsCertificate: "GATEWAY_TLS_CERT",
  tlsKey: "GATEWAY_TLS_KEY",
  /**
   * the host names of a certificate issued where the gateway runs: while its files are not there yet, the
   * gateway makes a temporary self-signed pair there, so it starts, and says so
   */
  tlsTemporary: "GATEWAY_TLS_TEMPORARY",
  /** read by the AWS SDK: an access key pair, for S3 servers that are not reached with a platform identity */
  accessKeyId: "AWS_ACCESS_KEY_ID",
  secretAccessKey: "AWS_SECRET_ACCESS_KEY",
} as const;

/** A value the gateway takes inline (NAME) may come as a file instead: NAME_FILE holds its path. */
export const fileVariable = <Name extends string>(name: Name): `${Name}_FILE` => `${name}_FILE`;

/** How the image runs the gateway (its ENTRYPOINT). */
export const GATEWAY_COMMAND = ["node", "/opt/upload-gateway/gateway.js"] as const;
/** The argument that makes the same command ask the running gateway whether it is healthy. */
export const GATEWAY_HEALTH_FLAG = "--health";
/** How long the health command waits for the gateway's answer; a health check's timeout must be longer. */
export const GATEWAY_HEALTH_WAIT_SECONDS = 5;
/** The user and group the image runs as. */
export const GATEWAY_USER = { uid: 10001, gid: 10001 } as const;
