/**
 * S3 facts shared by the spec (upload.s3.bucket), the upload gateway (S3_BUCKET,
 * and the bucket it creates on a self-hosted server) and the AWS platform (the
 * bucket it creates): one naming rule and one lifecycle rule.
 */
import { z } from "zod";
import { rule } from "./problems";

export const bucketName = z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, {
  error: rule("not an S3 bucket name", "use 3-63 lower-case letters, digits, dots and hyphens"),
});

/** The lifecycle rule of an uploads bucket: objects go after `expiryDays`, abandoned multipart uploads after one day. */
export interface UploadsLifecycleRule {
  id: string;
  expiryDays: number;
  abortIncompleteMultipartDays: number;
}

export const uploadsLifecycleRule = (expiryDays: number): UploadsLifecycleRule => ({
  id: "expire-uploads",
  expiryDays,
  // A cut connection leaves parts behind; nobody resumes an upload after a day.
  abortIncompleteMultipartDays: 1,
});
