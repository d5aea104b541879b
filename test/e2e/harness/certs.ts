/**
 * Certificates for the suite: a CA made by test/e2e/run.sh (so that Node trusts it
 * through NODE_EXTRA_CA_CERTS) and one leaf per server covering every host name of the plan.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export function suiteCa(): { cert: string; key: string } {
  const dir = process.env.E2E_CA_DIR;
  if (!dir) throw new Error("E2E_CA_DIR is not set: run the suite with `npm run test:e2e` (test/e2e/run.sh)");
  return { cert: join(dir, "ca.crt"), key: join(dir, "ca.key") };
}

/** Writes <domain>.crt and <domain>.key into `dir`, signed by the suite CA, for all `names`. */
export function issueLeaf(dir: string, names: readonly string[]): void {
  const [primary] = names;
  if (!primary) throw new Error("a certificate needs at least one name");
  const ca = suiteCa();
  const key = join(dir, `${primary}.key`);
  const csr = join(dir, `${primary}.csr`);
  const crt = join(dir, `${primary}.crt`);
  const ext = join(dir, `${primary}.ext`);
  writeFileSync(
    ext,
    `subjectAltName=${names.map((name) => `DNS:${name}`).join(",")}\nextendedKeyUsage=serverAuth,clientAuth\n`,
  );
  execFileSync(
    "openssl",
    ["req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", csr, "-subj", `/CN=${primary}`],
    { stdio: "pipe" },
  );
  execFileSync(
    "openssl",
    [
      "x509",
      "-req",
      "-in",
      csr,
      "-CA",
      ca.cert,
      "-CAkey",
      ca.key,
      "-CAcreateserial",
      "-days",
      "2",
      "-out",
      crt,
      "-extfile",
      ext,
    ],
    { stdio: "pipe" },
  );
}

export interface SuiteTls {
  ca: string;
  cert: string;
  key: string;
}

/** A leaf for `names` from the suite CA, as PEM text (written into `dir` on the way). */
export function suiteTls(dir: string, names: readonly string[]): SuiteTls {
  issueLeaf(dir, names);
  const [primary] = names;
  return {
    ca: readFileSync(suiteCa().cert, "utf8"),
    cert: readFileSync(join(dir, `${primary}.crt`), "utf8"),
    key: readFileSync(join(dir, `${primary}.key`), "utf8"),
  };
}

/** Mock outputs that put the suite's certificate where @pulumi/tls's would be, for the component named `component`. */
export const suiteTlsOutputs =
  (tls: SuiteTls, component = "prosody") =>
  (type: string, name: string): Record<string, unknown> | undefined => {
    if (type === "tls:index/locallySignedCert:LocallySignedCert") return { certPem: tls.cert };
    if (type === "tls:index/selfSignedCert:SelfSignedCert") return { certPem: tls.ca };
    if (type === "tls:index/privateKey:PrivateKey" && name === `${component}-tls-key`)
      return { privateKeyPem: tls.key };
    return undefined;
  };
