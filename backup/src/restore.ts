/**
 * A restore: the named backup (or the latest) is fetched, decrypted with the
 * stack's identity, checked against its manifest, and put in place of the
 * database and the uploads. It refuses, changing nothing, when Prosody still
 * runs on the data folder, when the backup is of another domain, or when it
 * holds another storage than the stack's.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ProblemError } from "../../common/problems";
import { open, type Manifest } from "./bundle";
import type { BackupConfig } from "./config";
import { LATEST_FILE } from "./contract";
import type { BackupStore } from "./destination";
import { DATABASE_FILES, replaceSqlite, replaceUploads, restorePostgres, UPLOADS_FILE } from "./snapshot";

export interface RestoreResult {
  name: string;
  manifest: Manifest;
  /** with SQLite: where the replaced file was kept */
  kept?: string;
  uploads?: number;
}

/** Whether Prosody answers on its admin socket in the data folder (every tier loads admin_socket). */
export function prosodyRuns(dataFolder: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(join(dataFolder, "prosody.sock"), () => {
      socket.destroy();
      resolve(true);
    });
    socket.on("error", () => resolve(false));
  });
}

const refuse = (field: string, value: string, message: string, fix: string): never => {
  throw new ProblemError([{ field, value: JSON.stringify(value), message, fix }], "restore refused");
};

async function resolveName(store: BackupStore, from: string): Promise<string> {
  if (from !== "latest") return from;
  const latest = await store.getText(LATEST_FILE);
  if (latest === undefined) {
    return refuse(
      "--from",
      from,
      `${store.where} has no ${LATEST_FILE}: no backup has succeeded there`,
      "name a backup (see the list command)",
    );
  }
  return (JSON.parse(latest) as { name: string }).name;
}

export async function restore(
  config: BackupConfig,
  store: BackupStore,
  from: string,
  identity: string,
  now = new Date(),
): Promise<RestoreResult> {
  if (config.dataFolder && (await prosodyRuns(config.dataFolder))) {
    refuse(
      "Prosody",
      "running",
      `Prosody is running on ${config.dataFolder}: a restore under it would be lost or torn`,
      "stop Prosody's container (docker stop, scale the Deployment or the ECS service to 0), then restore",
    );
  }
  const name = await resolveName(store, from);
  const work = await mkdtemp(join(tmpdir(), "prosody-restore-"));
  try {
    const identityFile = join(work, ".identity");
    await writeFile(identityFile, `${identity.trim()}\n`, { mode: 0o600 });
    const encrypted = join(work, "backup.tar.age");
    try {
      await store.get(name, encrypted);
    } catch (error) {
      refuse(
        "--from",
        name,
        `cannot fetch it from ${store.where} (${(error as Error).message})`,
        "name a backup that exists (see the list command)",
      );
    }
    const manifest = await open(encrypted, identityFile, work);
    if (manifest.domain !== config.domain) {
      refuse(
        "--from",
        name,
        `a backup of ${manifest.domain}, and this stack serves ${config.domain}`,
        `restore it into the stack whose domain is ${manifest.domain}, or name a backup of ${config.domain}`,
      );
    }
    if (manifest.storage !== config.database.kind) {
      refuse(
        "--from",
        name,
        `a backup of ${manifest.storage} data, and this stack stores in ${config.database.kind}`,
        `restore it into the stack with storage "${manifest.storage}", then switch storage (the data moves with it)`,
      );
    }
    const stamp = now
      .toISOString()
      .replace(/[-:]/g, "")
      .replace(/\.\d{3}Z$/, "Z");
    const result: RestoreResult = { name, manifest };
    if (config.database.kind === "sqlite") {
      const kept = await replaceSqlite(join(work, DATABASE_FILES.sqlite), config.database.file, stamp);
      if (kept) result.kept = kept;
    } else {
      await restorePostgres(join(work, DATABASE_FILES.postgresql), work);
    }
    if (manifest.files[UPLOADS_FILE] && config.uploads) {
      result.uploads = await replaceUploads(join(work, UPLOADS_FILE), config.uploads);
    }
    return result;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
