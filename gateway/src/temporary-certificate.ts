/**
 * A certificate issued where the gateway runs (the certificate renewer writes
 * it into the gateway's folder) is not there on the very first start: the
 * gateway then makes a temporary self-signed pair in its place with Debian's
 * openssl, so it starts and answers (clients refuse that certificate), and the
 * renewed pair replaces it within a minute of its issuance (certificate-reload.ts).
 */
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, renameSync } from "node:fs";
import { fileVariable, GATEWAY_VARIABLES as V } from "./contract";

/** The subject's organisation that marks the temporary pair. */
export const TEMPORARY_MARK = "ProsodyStack temporary certificate";

/** Makes the temporary pair when the gateway's certificate files are asked for and missing; returns whether it did. */
export function ensureTemporaryCertificate(environment: NodeJS.ProcessEnv, log: (line: string) => void): boolean {
  const names = (environment[V.tlsTemporary] ?? "").split(/\s+/).filter(Boolean);
  const certificate = environment[fileVariable(V.tlsCertificate)];
  const key = environment[fileVariable(V.tlsKey)];
  if (names.length === 0 || certificate === undefined || key === undefined || existsSync(certificate)) return false;
  const invalid = names.find((name) => !/^[a-z0-9.-]{1,253}$/.test(name));
  if (invalid !== undefined) throw new Error(`${V.tlsTemporary}: "${invalid}" is not a host name`);
  execFileSync(
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
      key,
      "-out",
      `${certificate}.new`,
    ],
    { stdio: "pipe" },
  );
  chmodSync(key, 0o600);
  renameSync(`${certificate}.new`, certificate);
  log(
    `upload gateway: no certificate for ${names[0]} yet: serving a temporary self-signed one until the first is issued`,
  );
  return true;
}
