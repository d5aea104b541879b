/**
 * What a certificate someone brings must hold for a plan (tls.mode
 * "provided"), and what `prosody-stack check` reads from a served chain: the
 * names it covers, its validity, its order, and whether the key is its own.
 * Parsed by Node's crypto.X509Certificate.
 */
import { createPrivateKey, X509Certificate } from "node:crypto";
import type { Problem } from "../../common/problems";

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The certificates of a PEM chain, leaf first; undefined when one does not parse. */
export function parseChain(chainPem: string): X509Certificate[] | undefined {
  const blocks = chainPem.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) return undefined;
  try {
    return blocks.map((block) => new X509Certificate(block));
  } catch {
    return undefined;
  }
}

/** Host names a certificate does not cover (its subjectAltNames, wildcards as TLS clients match them). */
export const uncoveredHosts = (leaf: X509Certificate, hosts: readonly string[]): string[] =>
  hosts.filter((host) => leaf.checkHost(host, { subject: "never" }) === undefined);

/** Whole days from `now` until the certificate expires; negative once it has. */
export const daysLeft = (leaf: X509Certificate, now: Date): number =>
  Math.floor((new Date(leaf.validTo).getTime() - now.getTime()) / DAY_MS);

/** Each certificate of the chain is signed by the next one: a chain out of order fails in clients. */
const outOfOrder = (chain: readonly X509Certificate[]): number =>
  chain.findIndex((certificate, index) => index + 1 < chain.length && !certificate.checkIssued(chain[index + 1]!));

export interface PairFields {
  certificate: string;
  key: string;
}

/** Why a certificate chain and key cannot serve these hosts now, each problem naming the field and the fix. */
export function certificatePairProblems(
  hosts: readonly string[],
  chainPem: string,
  keyPem: string,
  fields: PairFields,
  now: Date = new Date(),
): Problem[] {
  const chain = parseChain(chainPem);
  if (!chain) {
    return [
      {
        field: fields.certificate,
        message: "holds no certificate Node's X509Certificate can read",
        fix: "give the PEM chain, leaf first (certbot's fullchain.pem)",
      },
    ];
  }
  const leaf = chain[0]!;
  const problems: Problem[] = uncoveredHosts(leaf, hosts).map((host) => ({
    field: fields.certificate,
    value: JSON.stringify(host),
    message: `the certificate (${leaf.subject.replace(/\n/g, ", ")}) does not name this host of the stack`,
    fix: `issue a certificate whose subjectAltNames include ${host}, or remove the host from the spec`,
  }));
  if (now.getTime() > new Date(leaf.validTo).getTime()) {
    problems.push({
      field: fields.certificate,
      value: JSON.stringify(leaf.validTo),
      message: "the certificate has expired",
      fix: "renew it and set the new chain and key",
    });
  } else if (now.getTime() < new Date(leaf.validFrom).getTime()) {
    problems.push({
      field: fields.certificate,
      value: JSON.stringify(leaf.validFrom),
      message: "the certificate is not valid yet",
      fix: "check the issuing machine's clock, or wait until it is valid",
    });
  }
  const misplaced = outOfOrder(chain);
  if (misplaced !== -1) {
    problems.push({
      field: fields.certificate,
      message: `certificate ${misplaced + 1} of the chain is not issued by certificate ${misplaced + 2}`,
      fix: "put the leaf first and each issuer after what it signed (certbot's fullchain.pem is in this order)",
    });
  }
  let key;
  try {
    key = createPrivateKey(keyPem);
  } catch {
    problems.push({
      field: fields.key,
      message:
        "holds no private key Node can read (an encrypted key needs its passphrase, which Prosody does not have)",
      fix: "give the unencrypted PEM key (certbot's privkey.pem)",
    });
    return problems;
  }
  if (!leaf.checkPrivateKey(key)) {
    problems.push({
      field: fields.key,
      message: "this key does not belong to the certificate",
      fix: "give the key the certificate was issued for",
    });
  }
  return problems;
}
