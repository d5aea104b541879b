/**
 * Whether the stack's backups keep up: the latest success the backup runner
 * notes beside its backups (latest.json), against the schedule. Read from a
 * folder given with --backups (a Docker volume's mount point, a claim copied
 * out, a synced copy), or from the S3 bucket with the caller's own AWS
 * credentials; the AWS SDK is loaded only then, and named when missing.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { LATEST_FILE } from "../../backup/src/contract";
import { nextRuns } from "../../common/backup-rules";
import type { DeploymentPlan } from "../../src/plan/types";
import type { CheckResult } from "./report";

/** A run may start late and take a while: a backup is overdue an hour after its second missed time. */
const GRACE_MS = 3600_000;

interface Latest {
  name: string;
  createdAt: string;
  encrypted?: { size: number };
}

async function readLatestFromS3(destination: {
  bucket: string;
  region: string;
  endpoint?: string;
  forcePathStyle: boolean;
}) {
  let sdk: typeof import("@aws-sdk/client-s3");
  try {
    sdk = await import("@aws-sdk/client-s3");
  } catch {
    throw new Error("reading the bucket needs the AWS SDK: npm install @aws-sdk/client-s3");
  }
  const client = new sdk.S3Client({
    region: destination.region,
    ...(destination.endpoint ? { endpoint: destination.endpoint } : {}),
    forcePathStyle: destination.forcePathStyle,
  });
  try {
    const answer = await client.send(new sdk.GetObjectCommand({ Bucket: destination.bucket, Key: LATEST_FILE }));
    return (await answer.Body?.transformToString("utf8")) ?? "";
  } finally {
    client.destroy();
  }
}

export async function backupChecks(
  plan: DeploymentPlan,
  options: { folder?: string; bucket?: string; now?: Date },
): Promise<CheckResult[]> {
  const { backup } = plan;
  if (!backup) return [];
  const name = "latest backup";
  const skip = (detail: string): CheckResult[] => [{ group: "backups", name, status: "skip", detail }];
  let text: string;
  try {
    if (options.folder !== undefined) {
      text = await readFile(join(options.folder, LATEST_FILE), "utf8");
    } else if (backup.destination.kind === "s3") {
      const bucket = backup.destination.bucket ?? options.bucket;
      if (bucket === undefined) return skip("give --backups-bucket (the stack's backupDestination output) to read it");
      text = await readLatestFromS3({ ...backup.destination, bucket });
    } else {
      return skip("give --backups DIR: the backups volume's folder (docker volume inspect -f '{{.Mountpoint}}' ...)");
    }
  } catch (error) {
    const missing =
      (error as { code?: string; name?: string }).code === "ENOENT" ||
      (error as { name?: string }).name === "NoSuchKey";
    return [
      {
        group: "backups",
        name,
        status: "fail",
        detail: missing
          ? `no ${LATEST_FILE}: no backup has succeeded there yet; read the runner's log for "prosody-backup: backup failed"`
          : (error as Error).message,
      },
    ];
  }
  const latest = JSON.parse(text) as Latest;
  const now = options.now ?? new Date();
  const made = new Date(latest.createdAt);
  const [next, after] = nextRuns(backup.schedule, 2, made);
  const interval = next && after ? after.getTime() - next.getTime() : 86400_000;
  const due = (next?.getTime() ?? made.getTime()) + interval + GRACE_MS;
  const hours = ((now.getTime() - made.getTime()) / 3600_000).toFixed(1);
  const overdue = now.getTime() > due;
  return [
    {
      group: "backups",
      name,
      status: overdue ? "fail" : "pass",
      detail: overdue
        ? `${latest.name}, ${hours} h ago: two runs of "${backup.schedule}" (UTC) have passed since; read the runner's log for "prosody-backup: backup failed"`
        : `${latest.name}, ${hours} h ago${latest.encrypted ? `, ${latest.encrypted.size} bytes` : ""}`,
      timestamp: made.toISOString(),
    },
  ];
}
