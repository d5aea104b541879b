/**
 * A certificate issued where the gateway runs is not there on the very first
 * start: the certificate renewer has not written it yet, into the gateway's
 * folder (Docker) or into the secret its variables come from (AWS, which then
 * hands over both halves empty). The gateway then makes a temporary
 * self-signed pair in its place with Debian's openssl, so it starts and
 * answers (clients refuse that certificate). The issued pair replaces it
 * within a minute in a folder (certificate-reload.ts), or with the new task
 * the renewer starts.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, renameSync } from "node:fs";
import { fileVariable, GATEWAY_VARIABLES as V } from "./contract";

/** The subject's organisation that marks the temporary pair. */
export const TEMPORARY_MARK = "ProsodyStack temporary certificate";

/** A self-signed pair naming `names`, the first as its subject, marked as temporary: [certificate, key] in PEM. */
function selfSigned(names: readonly string[], keyOut: string, certificateOut: string): string {
  return execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-days",
      "30",
      "-subj",
      `/CN=${names[0]}/O=${TEMPORARY_MARK}`,
      "-addext",
      `subjectAltName=${names.map((name) => `DNS:${name}`).join(",")}`,
      "-keyout",
      keyOut,
      "-out",
      certificateOut,
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  ).toString("utf8");
}

/** The PEM block of one kind in openssl's output. */
function pemBlock(text: string, label: string): string {
  const block = new RegExp(`-----BEGIN ${label}-----[\\s\\S]+?-----END ${label}-----\\n?`).exec(text);
  if (!block) throw new Error(`openssl gave no ${label}`);
  return block[0];
}

/**
 * Makes the temporary pair when the gateway's certificate is asked for and not there: its files
 * missing, or both inline halves empty (then it sets them, in memory only); returns whether it did.
 */
export function ensureTemporaryCertificate(environment: NodeJS.ProcessEnv, log: (line: string) => void): boolean {
  const names = (environment[V.tlsTemporary] ?? "").split(/\s+/).filter(Boolean);
  if (names.length === 0) return false;
  const certificateFile = environment[fileVariable(V.tlsCertificate)];
  const keyFile = environment[fileVariable(V.tlsKey)];
  const inlineEmpty = environment[V.tlsCertificate] === "" && environment[V.tlsKey] === "";
  const filesMissing = certificateFile !== undefined && keyFile !== undefined && !existsSync(certificateFile);
  if (!inlineEmpty && !filesMissing) return false;
  const invalid = names.find((name) => !/^[a-z0-9.-]{1,253}$/.test(name));
  if (invalid !== undefined) throw new Error(`${V.tlsTemporary}: "${invalid}" is not a host name`);
  if (inlineEmpty) {
    // "-": both to openssl's standard output, never to a file (the root filesystem may be read-only).
    const pair = selfSigned(names, "-", "-");
    environment[V.tlsCertificate] = pemBlock(pair, "CERTIFICATE");
    environment[V.tlsKey] = pemBlock(pair, "PRIVATE KEY");
  } else if (certificateFile !== undefined && keyFile !== undefined) {
    selfSigned(names, keyFile, `${certificateFile}.new`);
    chmodSync(keyFile, 0o600);
    renameSync(`${certificateFile}.new`, certificateFile);
  }
  log(
    `upload gateway: no certificate for ${names[0]} yet: serving a temporary self-signed one until the first is issued`,
  );
  return true;
}
