/**
 * The gateway's S3 client. Credentials come from the SDK's default chain
 * (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, a web identity, or the ECS task role)
 * unless given.
 */
import { S3Client, type S3ClientConfig } from "@aws-sdk/client-s3";
import type { GatewayConfig } from "./config";

export function createS3Client(
  config: Pick<GatewayConfig, "region" | "endpoint" | "forcePathStyle">,
  credentials?: S3ClientConfig["credentials"],
): S3Client {
  const options: S3ClientConfig = { region: config.region, forcePathStyle: config.forcePathStyle };
  if (credentials) options.credentials = credentials;
  if (config.endpoint) {
    options.endpoint = config.endpoint;
    // S3-compatible servers often lack the SDK's default flexible checksums (aws-chunked trailers);
    // send checksums only where the S3 API requires them.
    options.requestChecksumCalculation = "WHEN_REQUIRED";
    options.responseChecksumValidation = "WHEN_REQUIRED";
  }
  return new S3Client(options);
}

/** S3's "no such object", from HEAD (bare 404) or GET (NoSuchKey). */
export function isMissingObject(error: unknown): boolean {
  const failure = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return failure.name === "NotFound" || failure.name === "NoSuchKey" || failure.$metadata?.httpStatusCode === 404;
}
