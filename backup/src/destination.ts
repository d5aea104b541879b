/**
 * Where backups are kept: a folder (a volume of the stack's own) or an S3
 * bucket. A backup appears whole or not at all: a folder gets it under a
 * temporary name first, S3 only once its upload completes.
 */
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import type { Readable } from "node:stream";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import type { Destination } from "./config";

export interface StoredFile {
  name: string;
  size: number;
}

export interface BackupStore {
  /** where, as people read it */
  readonly where: string;
  put(name: string, file: string): Promise<void>;
  putText(name: string, text: string): Promise<void>;
  get(name: string, file: string): Promise<void>;
  /** undefined when there is no such file */
  getText(name: string): Promise<string | undefined>;
  list(): Promise<StoredFile[]>;
  remove(name: string): Promise<void>;
}

function folderStore(path: string): BackupStore {
  const partial = (name: string) => join(path, `.${name}.partial`);
  return {
    where: `the folder ${path}`,
    async put(name, file) {
      await mkdir(path, { recursive: true });
      await pipeline(createReadStream(file), createWriteStream(partial(name), { mode: 0o600 }));
      await rename(partial(name), join(path, name));
    },
    async putText(name, text) {
      // The notes (a backup's manifest, the latest success) hold names, times and sizes, no data: the
      // watchdog reads the latest as a user of its own.
      await writeFile(partial(name), text, { mode: 0o644 });
      await rename(partial(name), join(path, name));
    },
    async get(name, file) {
      await pipeline(createReadStream(join(path, name)), createWriteStream(file, { mode: 0o600 }));
    },
    async getText(name) {
      try {
        return await readFile(join(path, name), "utf8");
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw error;
      }
    },
    async list() {
      const names = (await readdir(path).catch(() => [] as string[])).filter((name) => !name.startsWith("."));
      return Promise.all(names.map(async (name) => ({ name, size: (await stat(join(path, name))).size })));
    },
    remove: (name) => rm(join(path, name), { force: true }),
  };
}

function s3Store(destination: Extract<Destination, { kind: "s3" }>): BackupStore {
  const client = new S3Client({
    region: destination.region,
    ...(destination.endpoint ? { endpoint: destination.endpoint } : {}),
    forcePathStyle: destination.forcePathStyle,
  });
  const Bucket = destination.bucket;
  const missing = (error: unknown) => {
    const name = (error as { name?: string }).name;
    return name === "NoSuchKey" || name === "NotFound";
  };
  return {
    where: `the bucket ${Bucket}${destination.endpoint ? ` on ${destination.endpoint}` : ""}`,
    async put(name, file) {
      // Multipart above 8 MiB: nothing is visible under the key until the upload completes.
      await new Upload({ client, params: { Bucket, Key: name, Body: createReadStream(file) } }).done();
    },
    async putText(name, text) {
      await client.send(new PutObjectCommand({ Bucket, Key: name, Body: text, ContentType: "application/json" }));
    },
    async get(name, file) {
      const answer = await client.send(new GetObjectCommand({ Bucket, Key: name }));
      await pipeline(answer.Body as Readable, createWriteStream(file, { mode: 0o600 }));
    },
    async getText(name) {
      try {
        const answer = await client.send(new GetObjectCommand({ Bucket, Key: name }));
        return await answer.Body?.transformToString("utf8");
      } catch (error) {
        if (missing(error)) return undefined;
        throw error;
      }
    },
    async list() {
      const files: StoredFile[] = [];
      let ContinuationToken: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket, ContinuationToken }));
        for (const item of page.Contents ?? []) {
          if (item.Key !== undefined) files.push({ name: item.Key, size: item.Size ?? 0 });
        }
        ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (ContinuationToken);
      return files;
    },
    async remove(name) {
      await client.send(new DeleteObjectCommand({ Bucket, Key: name }));
    },
  };
}

export const backupStore = (destination: Destination): BackupStore =>
  destination.kind === "folder" ? folderStore(destination.path) : s3Store(destination);
