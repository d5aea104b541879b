/**
 * When to renew, and when to look again: pure, so the schedule is tested
 * without a clock or an ACME server. A certificate is renewed when it is
 * missing or self-signed (the temporary pair a server makes while it waits for
 * the first one), does not name every host, or has fewer days left than asked; a
 * failed attempt is retried after a wait that doubles with each failure in a
 * row (Let's Encrypt allows 5 failed validations per host name an hour), up
 * to the usual interval between looks.
 */
import { X509Certificate } from "node:crypto";

const DAY_MS = 24 * 60 * 60 * 1000;

/** What the servers serve now, as the renewer reads it back. */
export interface ServedCertificate {
  names: string[];
  notAfter: Date;
  /** the issuer's name, for the log */
  issuer: string;
  /** signed by its own key: the temporary pair a server makes while it waits for the first certificate */
  selfSigned: boolean;
}

export interface Decision {
  renew: boolean;
  why: string;
}

/** The certificate of a PEM chain's leaf; undefined when there is none or it does not parse. */
export function servedCertificate(chainPem: string | undefined): ServedCertificate | undefined {
  const leaf = chainPem?.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/)?.[0];
  if (leaf === undefined) return undefined;
  try {
    const certificate = new X509Certificate(leaf);
    const names = (certificate.subjectAltName ?? "")
      .split(", ")
      .filter((entry) => entry.startsWith("DNS:"))
      .map((entry) => entry.slice(4));
    return {
      names,
      notAfter: new Date(certificate.validTo),
      issuer: certificate.issuer.replace(/\n/g, ", "),
      selfSigned: certificate.checkIssued(certificate) && certificate.verify(certificate.publicKey),
    };
  } catch {
    return undefined;
  }
}

export function decide(
  served: ServedCertificate | undefined,
  domains: readonly string[],
  renewDaysBefore: number,
  now: Date,
): Decision {
  if (!served) return { renew: true, why: "no certificate is served yet" };
  if (served.selfSigned) return { renew: true, why: "the served certificate is a temporary self-signed one" };
  const missing = domains.filter((domain) => !served.names.includes(domain));
  if (missing.length > 0) return { renew: true, why: `the served certificate does not name ${missing.join(", ")}` };
  const daysLeft = Math.floor((served.notAfter.getTime() - now.getTime()) / DAY_MS);
  if (daysLeft < renewDaysBefore) {
    return { renew: true, why: `the served certificate has ${daysLeft} days left, fewer than ${renewDaysBefore}` };
  }
  return {
    renew: false,
    why: `the served certificate has ${daysLeft} days left (until ${served.notAfter.toISOString()})`,
  };
}

/** When to look again: after checkSeconds, or after a failure, retrySeconds doubled per failure in a row. */
export function nextLook(failuresInARow: number, now: Date, checkSeconds: number, retrySeconds: number): Date {
  const wait =
    failuresInARow === 0 ? checkSeconds : Math.min(checkSeconds, retrySeconds * 2 ** Math.min(failuresInARow - 1, 30));
  return new Date(now.getTime() + wait * 1000);
}
