/**
 * The uploads bucket: private (every public access blocked, objects owned by
 * the bucket), encrypted, reachable over TLS only, and emptied by a lifecycle
 * rule no sooner than Prosody forgets an upload. Or the caller's bucket
 * (upload.s3.bucket), which keeps its own settings.
 */
import * as s3 from "@pulumi/aws/s3";
import * as pulumi from "@pulumi/pulumi";
import { uploadsLifecycleRule } from "../../../src/common/s3-rules";
import { type AwsContext, child, tags } from "./context";

export interface UploadBucket {
  name: pulumi.Output<string>;
  arn: pulumi.Output<string>;
  region: pulumi.Output<string>;
}

/** Refuses every request that does not come over TLS. */
export const tlsOnlyPolicy = (arn: pulumi.Input<string>): pulumi.Output<string> =>
  pulumi.jsonStringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "TlsOnly",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [arn, pulumi.interpolate`${arn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  });

export function uploadBucket(context: AwsContext): UploadBucket | undefined {
  const { parent, plan } = context;
  const bucketPlan = plan.uploads?.bucket;
  if (!bucketPlan) return undefined;
  if (bucketPlan.name !== undefined) {
    const given = s3.getBucketOutput({ bucket: bucketPlan.name }, { parent });
    return { name: pulumi.output(bucketPlan.name), arn: given.arn, region: given.region };
  }
  const opts = { parent };
  const bucket = new s3.Bucket(
    child(context, "uploads"),
    { forceDestroy: false, tags: tags(context, "uploads") },
    { parent, protect: plan.spec.protectData },
  );
  const part = (suffix: string) => child(context, `uploads-${suffix}`);
  new s3.BucketOwnershipControls(
    part("ownership"),
    { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
    opts,
  );
  const publicAccess = new s3.BucketPublicAccessBlock(
    part("public-access"),
    {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    },
    opts,
  );
  new s3.BucketServerSideEncryptionConfiguration(
    part("encryption"),
    {
      bucket: bucket.id,
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true }],
    },
    opts,
  );
  new s3.BucketPolicy(
    part("policy"),
    { bucket: bucket.id, policy: tlsOnlyPolicy(bucket.arn) },
    // S3 refuses a bucket policy while the public access block is being written.
    { parent, dependsOn: [publicAccess] },
  );
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
