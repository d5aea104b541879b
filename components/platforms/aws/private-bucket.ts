/**
 * A bucket of the stack's own, private: every public access blocked, objects
 * owned by the bucket, encrypted at rest, reachable over TLS only, protected
 * like the data it holds. The uploads bucket and the backups bucket are both
 * one.
 */
import * as s3 from "@pulumi/aws/s3";
import * as pulumi from "@pulumi/pulumi";
import { type AwsContext, child, tags } from "./context";

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

/** The bucket `${name}-<part>` and its settings `${name}-<part>-<setting>`. */
export function privateBucket(context: AwsContext, part: string): s3.Bucket {
  const { parent, plan } = context;
  const opts = { parent };
  const bucket = new s3.Bucket(
    child(context, part),
    { forceDestroy: false, tags: tags(context, part) },
    { parent, protect: plan.spec.protectData },
  );
  const setting = (suffix: string) => child(context, `${part}-${suffix}`);
  new s3.BucketOwnershipControls(
    setting("ownership"),
    { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
    opts,
  );
  const publicAccess = new s3.BucketPublicAccessBlock(
    setting("public-access"),
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
    setting("encryption"),
    {
      bucket: bucket.id,
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true }],
    },
    opts,
  );
  new s3.BucketPolicy(
    setting("policy"),
    { bucket: bucket.id, policy: tlsOnlyPolicy(bucket.arn) },
    // S3 refuses a bucket policy while the public access block is being written.
    { parent, dependsOn: [publicAccess] },
  );
  return bucket;
}
