/**
 * The stack's backup key as @pulumi/tls's PrivateKey gives it (an OpenSSH
 * Ed25519 pair), made by ssh-keygen, for the mocks to return in its place.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** The outputs of the stack's `prosody-backup-key` resource. */
export type BackupKeyOutputs = { privateKeyOpenssh: string; publicKeyOpenssh: string };

/** Makes a new pair in `folder` (as backup-key and backup-key.pub). */
export function makeBackupKey(folder: string): BackupKeyOutputs {
  const file = join(folder, "backup-key");
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "", "-f", file]);
  return {
    privateKeyOpenssh: readFileSync(file, "utf8"),
    publicKeyOpenssh: readFileSync(`${file}.pub`, "utf8"),
  };
}
