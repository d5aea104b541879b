/**
 * One backup: a consistent copy of the database and the uploads, a manifest,
 * encryption, the upload to the destination, then the retention (only after
 * a success, so a failing runner never deletes the last good backups) and the
 * note of the latest success that `prosody-stack check` reads.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  backupName,
  describeFiles,
  isBackupOf,
  manifestName,
  type Manifest,
  type PublishedManifest,
  seal,
} from "./bundle";
import type { BackupConfig } from "./config";
import { LATEST_FILE } from "./contract";
import type { BackupStore } from "./destination";
import { copySqlite, dumpPostgres, tarUploads } from "./snapshot";

export interface BackupResult {
  manifest: PublishedManifest;
  seconds: number;
  removed: string[];
}

export async function backUp(config: BackupConfig, store: BackupStore, now = new Date()): Promise<BackupResult> {
  const started = Date.now();
  const work = await mkdtemp(join(tmpdir(), "prosody-backup-"));
  try {
    const files = [
      config.database.kind === "sqlite" ? await copySqlite(config.database.file, work) : await dumpPostgres(work),
      ...(config.uploads ? [await tarUploads(config.uploads, work)] : []),
    ];
    const manifest: Manifest = {
      format: 1,
      domain: config.domain,
      prosodyVersion: config.prosodyVersion,
      specHash: config.specHash,
      storage: config.database.kind,
      createdAt: now.toISOString(),
      files: await describeFiles(work, files),
    };
    const name = backupName(config.domain, now);
    const sealed = join(work, name);
    const encrypted = await seal(work, manifest, config.recipients, sealed);
    const published: PublishedManifest = { ...manifest, name, encrypted };
    await store.put(name, sealed);
    await store.putText(manifestName(name), `${JSON.stringify(published, null, 2)}\n`);
    const removed = await prune(config, store);
    await store.putText(LATEST_FILE, `${JSON.stringify(published, null, 2)}\n`);
    return { manifest: published, seconds: (Date.now() - started) / 1000, removed };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Keeps the newest `keep` backups of this domain (their names sort by time) and their manifests. */
async function prune(config: BackupConfig, store: BackupStore): Promise<string[]> {
  const backups = (await store.list())
    .map((file) => file.name)
    .filter((name) => isBackupOf(config.domain, name))
    .sort()
    .reverse();
  const old = backups.slice(config.keep);
  for (const name of old) {
    await store.remove(name);
    await store.remove(manifestName(name));
  }
  return old;
}

/** The backups of this domain at the destination, newest first, with what their manifests say. */
export async function listBackups(config: BackupConfig, store: BackupStore): Promise<PublishedManifest[]> {
  const names = (await store.list())
    .map((file) => file.name)
    .filter((name) => isBackupOf(config.domain, name))
    .sort()
    .reverse();
  const manifests: PublishedManifest[] = [];
  for (const name of names) {
    const text = await store.getText(manifestName(name));
    if (text !== undefined) manifests.push(JSON.parse(text) as PublishedManifest);
  }
  return manifests;
}
