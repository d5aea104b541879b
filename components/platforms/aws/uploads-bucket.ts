/**
 * The uploads bucket: private (private-bucket.ts), and emptied by a lifecycle
 * rule no sooner than Prosody forgets an upload. Or the caller's bucket
 * (upload.s3.bucket), which keeps its own settings.
 */
import * as s3 from "@pulumi/aws/s3";
import * as pulumi from "@pulumi/pulumi";
import { uploadsLifecycleRule } from "../../../common/s3-rules";
import { type AwsContext, child } from "./context";
import { privateBucket } from "./private-bucket";

export interface UploadBucket {
  name: pulumi.Output<string>;
  arn: pulumi.Output<string>;
  region: pulumi.Output<string>;
}

export function uploadBucket(context: AwsContext): UploadBucket | undefined {
  const { parent, plan } = context;
  const bucketPlan = plan.uploads?.bucket;
  if (!bucketPlan) return undefined;
  if (bucketPlan.name !== undefined) {
    const given = s3.getBucketOutput({ bucket: bucketPlan.name }, { parent });
    return { name: pulumi.output(bucketPlan.name), arn: given.arn, region: given.region };
  }
  const opts = { parent };
  const bucket = privateBucket(context, "uploads");
  const part = (suffix: string) => child(context, `uploads-${suffix}`);
  const lifecycle = uploadsLifecycleRule(bucketPlan.expiryDays);
  new s3.BucketLifecycleConfiguration(
    part("expiry"),
    {
      bucket: bucket.id,
      rules: [
        {
          id: lifecycle.id,
          status: "Enabled",
          filter: {},
          expiration: { days: lifecycle.expiryDays },
          abortIncompleteMultipartUpload: { daysAfterInitiation: lifecycle.abortIncompleteMultipartDays },
        },
      ],
    },
    opts,
  );
  // Downloads are redirects to presigned URLs: web clients fetch them cross-origin.
  new s3.BucketCorsConfiguration(
    part("cors"),
    { bucket: bucket.id, corsRules: [{ allowedMethods: ["GET", "HEAD"], allowedOrigins: ["*"], maxAgeSeconds: 3600 }] },
    opts,
  );
  return { name: bucket.bucket, arn: bucket.arn, region: bucket.region };
}
