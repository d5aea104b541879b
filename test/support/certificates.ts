/** Real certificates for unit tests, made by openssl: a CA of the test's own and leaves for any names. */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface IssuedPair {
  /** the leaf, then the CA */
  chain: string;
  leaf: string;
  key: string;
  ca: string;
}

const openssl = (args: string[]) => execFileSync("openssl", args, { stdio: "pipe" });

/** A CA, and a function issuing leaves signed by it; the files are removed once read. */
export function testCa(subject = "ProsodyStack unit-test CA"): {
  ca: string;
  /** a leaf for `names`; with `purposes` (openssl's names, e.g. serverAuth), its extended key usage */
  issue: (names: string[], purposes?: string[]) => IssuedPair;
} {
  const dir = mkdtempSync(join(tmpdir(), "prosody-certs-"));
  const caKey = join(dir, "ca.key");
  const caCert = join(dir, "ca.crt");
  const ecKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
  openssl(["req", "-x509", ...ecKey, "-days", "30", "-subj", `/CN=${subject}`, "-keyout", caKey, "-out", caCert]);
  const ca = readFileSync(caCert, "utf8");
  let serial = 0;
  const issue = (names: string[], purposes?: string[]): IssuedPair => {
    serial += 1;
    const stem = join(dir, `leaf-${serial}`);
    const usage = purposes ? `extendedKeyUsage=${purposes.join(",")}\n` : "";
    writeFileSync(`${stem}.ext`, `subjectAltName=${names.map((name) => `DNS:${name}`).join(",")}\n${usage}`);
    openssl([
      "req",
      "-new",
      ...ecKey,
      "-subj",
      `/CN=${names[0] ?? "none"}`,
      "-keyout",
      `${stem}.key`,
      "-out",
      `${stem}.csr`,
    ]);
    openssl([
      "x509",
      "-req",
      "-in",
      `${stem}.csr`,
      "-CA",
      caCert,
      "-CAkey",
      caKey,
      "-set_serial",
      String(serial),
      "-days",
      "30",
      "-extfile",
      `${stem}.ext`,
      "-out",
      `${stem}.crt`,
    ]);
    const leaf = readFileSync(`${stem}.crt`, "utf8");
    return { chain: `${leaf}${ca}`, leaf, key: readFileSync(`${stem}.key`, "utf8"), ca };
  };
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  return { ca, issue };
}
