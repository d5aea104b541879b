/** S3's bucket naming rule, shared by the spec (upload.s3.bucket) and the upload gateway (S3_BUCKET). */
import { z } from "zod";
import { rule } from "./problems";

export const bucketName = z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, {
  error: rule("not an S3 bucket name", "use 3-63 lower-case letters, digits, dots and hyphens"),
});
