/**
 * The stack's backup key: an Ed25519 key pair (@pulumi/tls) made once and kept
 * in the stack's state. Its public half, with the spec's backup.recipients, is
 * what every backup is encrypted to (age reads SSH public keys); its private
 * half is the secret output backupIdentity, which only a restore needs.
 */
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { type ChildContext, child } from "./naming";

export interface BackupKey {
  /** the stack's own recipient: an ssh-ed25519 public key line */
  recipient: pulumi.Output<string>;
  /** every recipient, one per line: what the runner encrypts to */
  recipients: pulumi.Output<string>;
  /** secret: the OpenSSH private key a restore decrypts with */
  identity: pulumi.Output<string>;
}

export function backupKey(context: ChildContext): BackupKey | undefined {
  const { backup } = context.plan;
  if (!backup) return undefined;
  const key = new tls.PrivateKey(child(context, "backup-key"), { algorithm: "ED25519" }, { parent: context.parent });
  const recipient = key.publicKeyOpenssh.apply((line) => line.trim());
  return {
    recipient,
    recipients: recipient.apply((own) => [own, ...backup.recipients].join("\n")),
    identity: pulumi.secret(key.privateKeyOpenssh),
  };
}
