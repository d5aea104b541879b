/**
 * One backup is one file, `<domain>-<UTC time>.tar.age`: a gzip-compressed
 * tar of the manifest, the database and the uploads (age does not compress,
 * and a SQLite file does not either), encrypted with age to every recipient
 * before it leaves the machine. GNU tar reads a compressed or a plain tar
 * alike, so backups from before compression still restore. Beside it,
 * `<same>.json` repeats the manifest in the clear (nothing secret in it) with
 * the encrypted file's size and checksum, so a backup can be listed and
 * checked without the key.
 */
import { stat, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pipe, run, sha256File } from "./tools";

export const BACKUP_EXTENSION = ".tar.age";
export const MANIFEST_FILE = "manifest.json";

export interface Manifest {
  format: 1;
  domain: string;
  prosodyVersion: string;
  specHash: string;
  storage: "sqlite" | "postgresql";
  createdAt: string;
  /** the files inside, with their sizes and checksums */
  files: Record<string, { size: number; sha256: string }>;
}

/** The manifest as published beside the backup. */
export interface PublishedManifest extends Manifest {
  name: string;
  encrypted: { size: number; sha256: string };
}

const stamp = (date: Date): string =>
  date
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}Z$/, "Z");

export const backupName = (domain: string, date: Date): string => `${domain}-${stamp(date)}${BACKUP_EXTENSION}`;
export const manifestName = (backup: string): string => backup.replace(/\.tar\.age$/, ".json");
export const isBackupOf = (domain: string, name: string): boolean =>
  name.startsWith(`${domain}-`) && name.endsWith(BACKUP_EXTENSION);

export async function describeFiles(work: string, names: readonly string[]): Promise<Manifest["files"]> {
  const files: Manifest["files"] = {};
  for (const name of names) {
    const path = join(work, name);
    files[name] = { size: (await stat(path)).size, sha256: await sha256File(path) };
  }
  return files;
}

/** Writes the manifest into `work`, then tar | gzip | age into `output`. */
export async function seal(work: string, manifest: Manifest, recipients: readonly string[], output: string) {
  await writeFile(join(work, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  const recipientsFile = join(work, ".recipients");
  await writeFile(recipientsFile, `${recipients.join("\n")}\n`);
  await pipe(
    ["tar", ["-C", work, "-czf", "-", MANIFEST_FILE, ...Object.keys(manifest.files)]],
    ["age", ["--encrypt", "--recipients-file", recipientsFile, "--output", output]],
  );
  return { size: (await stat(output)).size, sha256: await sha256File(output) };
}

/** Decrypts `encrypted` with the identity file and unpacks it into `work`; checks every file against the manifest. */
export async function open(encrypted: string, identityFile: string, work: string): Promise<Manifest> {
  const tarball = join(work, "backup.tar");
  await run("age", ["--decrypt", "--identity", identityFile, "--output", tarball, encrypted]);
  await run("tar", ["-C", work, "-xf", tarball]);
  const manifest = JSON.parse(await readFile(join(work, MANIFEST_FILE), "utf8")) as Manifest;
  if (manifest.format !== 1)
    throw new Error(`a backup of format ${String(manifest.format)}, which this runner cannot read`);
  for (const [name, expected] of Object.entries(manifest.files)) {
    if (name.includes("/") || name.startsWith("."))
      throw new Error(`the manifest names a file outside the backup: ${name}`);
    const actual = await sha256File(join(work, name));
    if (actual !== expected.sha256) throw new Error(`${name} in the backup does not match its checksum: damaged`);
  }
  return manifest;
}
