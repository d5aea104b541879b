/**
 * For a self-hosted S3 server (the Docker platform's MinIO) nobody else creates
 * the bucket: the gateway does at start, with the lifecycle rule that deletes
 * uploads after the plan's expiry. Cloud buckets are the platform's resources.
 */
import {
  CreateBucketCommand,
  HeadBucketCommand,
  PutBucketLifecycleConfigurationCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { uploadsLifecycleRule } from "../../common/s3-rules";
import type { GatewayConfig } from "./config";
import { isMissingObject } from "./s3";

/** Returns what it did, for the start-up log line. */
export async function ensureBucket(
  s3: S3Client,
  config: Pick<GatewayConfig, "bucket" | "createBucket" | "bucketExpiryDays">,
): Promise<string[]> {
  if (!config.createBucket) return [];
  const done: string[] = [];
  try {
    await s3.send(new HeadBucketCommand({ Bucket: config.bucket }));
  } catch (error) {
    if (!isMissingObject(error)) throw error;
    await s3.send(new CreateBucketCommand({ Bucket: config.bucket }));
    done.push(`created bucket ${config.bucket}`);
  }
  if (config.bucketExpiryDays !== undefined) {
    const lifecycle = uploadsLifecycleRule(config.bucketExpiryDays);
    try {
      await s3.send(
        new PutBucketLifecycleConfigurationCommand({
          Bucket: config.bucket,
          LifecycleConfiguration: {
            Rules: [
              {
                ID: lifecycle.id,
                Status: "Enabled",
                Filter: { Prefix: "" },
                Expiration: { Days: lifecycle.expiryDays },
                AbortIncompleteMultipartUpload: { DaysAfterInitiation: lifecycle.abortIncompleteMultipartDays },
              },
            ],
          },
        }),
      );
      done.push(`uploads expire after ${config.bucketExpiryDays} days`);
    } catch (error) {
      // Some S3-compatible servers have no lifecycle rules; uploads then stay until deleted by hand.
      done.push(`warning: the server refused the lifecycle rule (${(error as Error).name}); uploads will not expire`);
    }
  }
  return done;
}
