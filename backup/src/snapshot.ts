/**
 * A consistent copy of what Prosody keeps, taken while it runs: SQLite through
 * its online backup API (never a raw copy of a live file, whose journal may
 * hold the latest writes), PostgreSQL through pg_dump (one transaction's view),
 * and the uploads folder as a tar. And the reverse, for a restore.
 */
import { readdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { run } from "./tools";

export const DATABASE_FILES = { sqlite: "database.sqlite", postgresql: "database.pgdump" } as const;
export const UPLOADS_FILE = "uploads.tar";

/** SQLite's .backup copies page by page under a read lock, waiting up to 30 s for a writer. */
export async function copySqlite(file: string, work: string): Promise<string> {
  const target = join(work, DATABASE_FILES.sqlite);
  await run("sqlite3", [
    "-bail",
    "-cmd",
    ".timeout 30000",
    `file:${file}?mode=ro`,
    `.backup ${JSON.stringify(target)}`,
  ]);
  const check = await run("sqlite3", [target, "PRAGMA integrity_check"]);
  if (check.stdout.trim() !== "ok")
    throw new Error(`the copy of ${file} fails SQLite's integrity check: ${check.stdout}`);
  return DATABASE_FILES.sqlite;
}

/** pg_dump's custom format: compressed, and pg_restore can recreate every table from it. PG* variables say where. */
export async function dumpPostgres(work: string): Promise<string> {
  await run("pg_dump", [
    "--format=custom",
    "--no-owner",
    "--no-privileges",
    `--file=${join(work, DATABASE_FILES.postgresql)}`,
  ]);
  return DATABASE_FILES.postgresql;
}

export async function tarUploads(folder: string, work: string): Promise<string> {
  await run("tar", ["-C", folder, "-cf", join(work, UPLOADS_FILE), "."]);
  return UPLOADS_FILE;
}

/**
 * Puts a SQLite copy in place of the live file, which is kept beside it (with its journal files)
 * as `<file>.before-restore-<time>` (returned; undefined when there was none). Prosody must not be running.
 */
export async function replaceSqlite(copy: string, file: string, when: string): Promise<string | undefined> {
  const kept = `${file}.before-restore-${when}`;
  let keptAny = false;
  for (const extension of ["", "-wal", "-shm"]) {
    await rename(`${file}${extension}`, `${kept}${extension}`).then(
      () => (keptAny = true),
      (error: NodeJS.ErrnoException) => {
        if (error.code !== "ENOENT") throw error;
      },
    );
  }
  await run("cp", [copy, file]);
  return keptAny ? kept : undefined;
}

/**
 * The dump as SQL, run by psql in one transaction: Prosody's tables are dropped and made again from it,
 * or nothing changes. Not pg_restore straight into the server: version 17's sets transaction_timeout,
 * which servers before 17 (RDS 14 to 16, a database of yours) refuse, failing the whole restore.
 */
export async function restorePostgres(dump: string, work: string): Promise<void> {
  const script = join(work, "restore.sql");
  await run("pg_restore", ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--file", script, dump]);
  await run("sed", ["-i", "/^SET transaction_timeout = 0;$/d", script]);
  await run("psql", ["--no-psqlrc", "--quiet", "--single-transaction", "--set", "ON_ERROR_STOP=1", "--file", script]);
}

/** Empties the uploads folder (the mount point itself stays) and unpacks the backup's uploads into it. */
export async function replaceUploads(tarball: string, folder: string): Promise<number> {
  for (const entry of await readdir(folder)) await rm(join(folder, entry), { recursive: true, force: true });
  await run("tar", ["-C", folder, "-xf", tarball]);
  const { stdout } = await run("find", [folder, "-type", "f"]);
  return stdout.split("\n").filter((line) => line !== "").length;
}
