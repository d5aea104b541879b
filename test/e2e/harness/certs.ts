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

/** The period a leaf is valid for, as openssl ca takes it (YYYYMMDDHHMMSSZ); undefined: from now, for 2 days. */
export interface Validity {
  start: string;
  end: string;
}

/** Writes <domain>.crt and <domain>.key into `dir`, signed by the suite CA, for all `names`. */
export function issueLeaf(dir: string, names: readonly string[], validity?: Validity): void {
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
  if (validity) {
    // openssl x509 takes only a number of days from now; openssl ca takes any period, the past included.
    const database = join(dir, "ca-index.txt");
    writeFileSync(database, "");
    const config = join(dir, "ca.cnf");
    writeFileSync(
      config,
      [
        "[ca]",
        "default_ca = suite",
        "[suite]",
        `database = ${database}`,
        `new_certs_dir = ${dir}`,
        `serial = ${join(dir, "ca-serial")}`,
        "default_md = sha256",
        "policy = any",
        "unique_subject = no",
        "[any]",
        "commonName = supplied",
        "",
      ].join("\n"),
    );
    writeFileSync(join(dir, "ca-serial"), `${Date.now().toString(16).padStart(16, "0")}\n`);
    execFileSync(
      "openssl",
      [
        "ca",
        "-batch",
        "-notext",
        "-config",
        config,
        "-cert",
        ca.cert,
        "-keyfile",
        ca.key,
        "-in",
        csr,
        "-out",
        crt,
        "-startdate",
        validity.start,
        "-enddate",
        validity.end,
        "-extfile",
        ext,
      ],
      { stdio: "pipe" },
    );
    return;
  }
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
export function suiteTls(dir: string, names: readonly string[], validity?: Validity): SuiteTls {
  issueLeaf(dir, names, validity);
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
