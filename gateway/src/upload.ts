/**
 * PUT /<slot>/<filename>: every check Prosody's own http_file_share makes, then the
 * body streams to S3. The token says the exact size, so a body up to S3's single-PUT
 * limit is one streamed PutObject with that Content-Length (nothing buffered); only a
 * larger one becomes a multipart upload (at most QUEUE_SIZE parts of PART_SIZE in
 * memory). The PutObject is conditional (If-None-Match: *): a second upload of one
 * slot fails at S3 too, not only at our HEAD. Nothing is written unless the whole body
 * arrived with exactly the promised size.
 */
import type { IncomingMessage } from "node:http";
import { Transform, type TransformCallback, pipeline } from "node:stream";
import { DeleteObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { isMissingObject } from "./s3";
import type { SlotPath } from "./slot-path";
import { verifyUploadToken, type Refusal } from "./token";

export const PART_SIZE = 8 * 1024 * 1024;
export const QUEUE_SIZE = 2;
/** The largest object S3 takes in one PUT. */
export const SINGLE_PUT_LIMIT = 5 * 1024 * 1024 * 1024;

export interface UploadTarget {
  s3: S3Client;
  bucket: string;
  secret: Uint8Array;
  /** slots being uploaded by this process right now: a second PUT for one of them is a conflict */
  inFlight: Set<string>;
}

export type UploadResult = { status: 201; bytes: number } | Refusal;

const mediaType = (header: string | undefined): string =>
  (header ?? "application/octet-stream").split(";", 1)[0]!.trim().toLowerCase();

const ALREADY: Refusal = { status: 409, reason: "this slot has already been uploaded" };

const release = (target: UploadTarget, path: SlotPath, refusal: Refusal): Refusal => {
  target.inFlight.delete(path.slot);
  return refusal;
};

/**
 * Checks the request against its token and the bucket: a refusal, or the size and type to store.
 * When it passes, the slot is in flight until handleUpload is done with it.
 */
export async function checkUpload(
  request: IncomingMessage,
  path: SlotPath,
  target: UploadTarget,
  now = new Date(),
): Promise<Refusal | { filesize: number; filetype: string }> {
  const token = await verifyUploadToken(request.headers.authorization, target.secret, now);
  if (!token.ok) return token.refusal;
  const { claims } = token;
  if (claims.slot !== path.slot) return { status: 403, reason: "the token is for another slot" };
  if (claims.filename !== path.filename) return { status: 403, reason: "the token is for another file name" };
  if (mediaType(request.headers["content-type"]) !== claims.filetype.toLowerCase()) {
    return { status: 415, reason: `Content-Type must be ${claims.filetype}, as requested with the slot` };
  }
  const declared = request.headers["content-length"];
  if (declared !== undefined && Number(declared) !== claims.filesize) {
    return { status: 413, reason: `Content-Length must be ${claims.filesize}, as requested with the slot` };
  }
  // Claimed before the awaited HEAD, so two PUTs of one slot in this process can never both pass.
  if (target.inFlight.has(path.slot)) return { status: 409, reason: "this slot is being uploaded" };
  target.inFlight.add(path.slot);
  try {
    if (await objectExists(target, path.key)) return release(target, path, ALREADY);
  } catch (error) {
    target.inFlight.delete(path.slot);
    throw error;
  }
  return { filesize: claims.filesize, filetype: claims.filetype };
}

export async function handleUpload(
  request: IncomingMessage,
  path: SlotPath,
  target: UploadTarget,
  now = new Date(),
): Promise<UploadResult> {
  const check = await checkUpload(request, path, target, now);
  if ("status" in check) return check;
  try {
    const counter = new ExactSize(check.filesize);
    // A body that breaks its promise (or a client that goes away) ends the S3 request too: S3 keeps nothing.
    const abort = new AbortController();
    const body = pipeline(request, counter, (error) => {
      if (error) abort.abort(error);
    });
    const params = { Bucket: target.bucket, Key: path.key, Body: body, ContentType: check.filetype };
    try {
      if (check.filesize <= SINGLE_PUT_LIMIT) {
        await target.s3.send(new PutObjectCommand({ ...params, ContentLength: check.filesize, IfNoneMatch: "*" }), {
          abortSignal: abort.signal,
        });
      } else {
        await new Upload({
          client: target.s3,
          params,
          partSize: PART_SIZE,
          queueSize: QUEUE_SIZE,
          leavePartsOnError: false,
        }).done();
      }
    } catch (error) {
      if (isPreconditionFailed(error)) return ALREADY;
      await removeRemains(target, path.key);
      if (counter.refusal) return counter.refusal;
      if (!request.complete) return { status: 400, reason: "the connection closed before the body ended" };
      throw error;
    }
    return { status: 201, bytes: counter.bytes };
  } finally {
    target.inFlight.delete(path.slot);
  }
}

/**
 * S3 keeps nothing of a cut PUT; some S3-compatible servers (s3rver) keep what arrived, a moment
 * after the request ended. The key was free when this upload began (checkUpload), so whatever
 * appears there now is this body's remains.
 */
async function removeRemains(target: UploadTarget, key: string): Promise<void> {
  for (let look = 0; look < REMAINS_LOOKS; look += 1) {
    await target.s3.send(new DeleteObjectCommand({ Bucket: target.bucket, Key: key })).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, REMAINS_WAIT_MS));
    if (!(await objectExists(target, key).catch(() => false))) return;
  }
}
const REMAINS_LOOKS = 5;
const REMAINS_WAIT_MS = 50;

/** S3's answer to a conditional write whose key exists already. */
const isPreconditionFailed = (error: unknown): boolean =>
  (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 412;

async function objectExists(target: UploadTarget, key: string): Promise<boolean> {
  try {
    await target.s3.send(new HeadObjectCommand({ Bucket: target.bucket, Key: key }));
    return true;
  } catch (error) {
    if (isMissingObject(error)) return false;
    throw error;
  }
}

/**
 * Passes bytes through while counting; fails the stream as soon as the body is longer, or at its
 * end if shorter. The chunk that completes the promised size is held back until the body has
 * ended: S3 never receives a whole object from a body that then turns out longer.
 */
class ExactSize extends Transform {
  bytes = 0;
  refusal: Refusal | undefined;
  private last: Buffer | undefined;

  constructor(private readonly expected: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.expected)
      return callback(this.refuse(`the body is longer than the ${this.expected} bytes promised`));
    if (this.bytes === this.expected) {
      this.last = chunk;
      return callback();
    }
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    if (this.bytes < this.expected)
      return callback(this.refuse(`the body ended after ${this.bytes} of ${this.expected} bytes`));
    callback(null, this.last);
  }

  private refuse(reason: string): Error {
    this.refusal = { status: 413, reason };
    return new Error(reason);
  }
}
