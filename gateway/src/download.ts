/**
 * GET and HEAD /<slot>/<filename>. "redirect": a 302 to a presigned S3 URL that
 * expires soon, so bytes never pass through the gateway. "stream": the gateway
 * answers from S3 itself (ranges included), for buckets clients cannot reach.
 * Either way the file is served as Prosody serves it: inline only for media and
 * plain text, never as an active document.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { pipeline } from "node:stream";
import type { Readable } from "node:stream";
import { GetObjectCommand, HeadObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import type { DownloadMode } from "./config";
import { isMissingObject } from "./s3";
import type { SlotPath } from "./slot-path";

export interface DownloadSource {
  s3: S3Client;
  bucket: string;
  mode: DownloadMode;
  presignSeconds: number;
}

/** http_file_share_safe_file_types' default: types a browser may show inline. */
const INLINE_TYPES = [/^image\//, /^video\//, /^audio\//, /^text\/plain$/];
/**
 * Images that are documents (SVG runs scripts): always attachments. A presigned download comes from
 * the bucket, which sends none of SAFE_DOWNLOAD_HEADERS, so inline would run them on its origin.
 */
const ACTIVE_TYPES = [/\+xml$/, /^image\/svg/];

/** The headers Prosody's handle_download sets so an upload can never act as a page of the share host. */
export const SAFE_DOWNLOAD_HEADERS = {
  "content-security-policy": "default-src 'none'; frame-ancestors 'none';",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "cache-control": "max-age=31556952, immutable",
} as const;

export function contentDisposition(filename: string, type: string): string {
  const lower = type.toLowerCase();
  const inline =
    INLINE_TYPES.some((pattern) => pattern.test(lower)) && !ACTIVE_TYPES.some((pattern) => pattern.test(lower));
  const disposition = inline ? "inline" : "attachment";
  return `${disposition}; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

export async function handleDownload(
  request: IncomingMessage,
  response: ServerResponse,
  path: SlotPath,
  source: DownloadSource,
): Promise<number> {
  if (source.mode === "redirect") return redirect(response, path, source);
  const head = request.method === "HEAD";
  const command = head
    ? new HeadObjectCommand({ Bucket: source.bucket, Key: path.key })
    : new GetObjectCommand({ Bucket: source.bucket, Key: path.key, Range: request.headers.range });
  let object;
  try {
    object = await source.s3.send(command);
  } catch (error) {
    if (isMissingObject(error)) return end(response, 404, "no such upload");
    if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 416) {
      return end(response, 416, "the range is outside the file");
    }
    throw error;
  }
  const type = object.ContentType ?? "application/octet-stream";
  const status = "ContentRange" in object && object.ContentRange ? 206 : 200;
  response.writeHead(status, {
    ...SAFE_DOWNLOAD_HEADERS,
    "content-type": type,
    "content-disposition": contentDisposition(path.filename, type),
    "accept-ranges": "bytes",
    ...(object.ContentLength !== undefined ? { "content-length": object.ContentLength } : {}),
    ...(object.ETag ? { etag: object.ETag } : {}),
    ...(object.LastModified ? { "last-modified": object.LastModified.toUTCString() } : {}),
    ...("ContentRange" in object && object.ContentRange ? { "content-range": object.ContentRange } : {}),
  });
  const body = "Body" in object ? (object.Body as Readable | undefined) : undefined;
  if (head || !body) {
    response.end();
    return status;
  }
  await new Promise<void>((resolve) => pipeline(body, response, () => resolve()));
  return status;
}

async function redirect(response: ServerResponse, path: SlotPath, source: DownloadSource): Promise<number> {
  let type: string;
  try {
    const head = await source.s3.send(new HeadObjectCommand({ Bucket: source.bucket, Key: path.key }));
    type = head.ContentType ?? "application/octet-stream";
  } catch (error) {
    if (isMissingObject(error)) return end(response, 404, "no such upload");
    throw error;
  }
  const command = new GetObjectCommand({
    Bucket: source.bucket,
    Key: path.key,
    ResponseContentDisposition: contentDisposition(path.filename, type),
  });
  const url = await getSignedUrl(source.s3, command, { expiresIn: source.presignSeconds });
  response.writeHead(302, {
    location: url,
    // A cached redirect must not outlive its signature.
    "cache-control": `private, max-age=${Math.max(0, source.presignSeconds - 30)}`,
  });
  response.end();
  return 302;
}

export function end(response: ServerResponse, status: number, reason: string): number {
  response.writeHead(status, { "content-type": "text/plain; charset=utf-8" });
  response.end(`${reason}\n`);
  return status;
}
