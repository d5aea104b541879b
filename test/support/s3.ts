/**
 * An S3-compatible server for tests and benchmarks: s3rver (the S3 REST API over
 * a folder), on a loopback port, with one bucket. MinIO is not installable here
 * (neither Debian nor npm ships it); s3rver speaks the same protocol to the SDK,
 * SigV4 signatures and multipart uploads included.
 */
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import { createS3Client } from "../../gateway/src/s3";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require("s3rver") as new (options: Record<string, unknown>) => {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
};

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { DUMMY_ACCOUNT } = require("s3rver/lib/models/account") as {
  DUMMY_ACCOUNT: { createKeyPair(accessKeyId: string, secretAccessKey: string): void };
};

/** A key pair s3rver checks SigV4 signatures against (its built-in S3RVER pair is too short for our secret rules). */
export const S3_CREDENTIALS = {
  accessKeyId: "prosody-stack-e2e",
  secretAccessKey: "prosody-stack-e2e-secret-key-0123456789",
} as const;
DUMMY_ACCOUNT.createKeyPair(S3_CREDENTIALS.accessKeyId, S3_CREDENTIALS.secretAccessKey);

export interface S3TestServer {
  endpoint: string;
  bucket: string;
  client: S3Client;
  /** the bucket's objects as key → size */
  objects(): Promise<Map<string, number>>;
  stop(): Promise<void>;
}

export async function startS3Server(bucket = "uploads", address = "127.0.0.1"): Promise<S3TestServer> {
  const directory = mkdtempSync(join(tmpdir(), "prosody-stack-s3-"));
  const server = new S3rver({ address, port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
  const { port } = await server.run();
  const endpoint = `http://${address}:${port}`;
  const client = createS3Client({ region: "us-east-1", endpoint, forcePathStyle: true }, S3_CREDENTIALS);
  return {
    endpoint,
    bucket,
    client,
    async objects() {
      const listing = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
      return new Map((listing.Contents ?? []).map((object) => [object.Key ?? "", object.Size ?? 0]));
    },
    async stop() {
      client.destroy();
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
