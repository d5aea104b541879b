/**
 * Self-signed TLS: a CA of the stack's own and one leaf certificate covering
 * every host name of the plan. Prosody finds a certificate by the names in it,
 * so one <domain>.crt/.key pair serves the domain and every component. The
 * leaf renews on a `pulumi up` within 30 days of expiry; the CA lives ten
 * years, so clients that trust it keep trusting renewed leaves.
 */
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { type ChildContext, child } from "../naming";
import type { StackCertificate } from "./contract";

const HOURS_PER_DAY = 24;

export function selfSignedCertificate(context: ChildContext): StackCertificate {
  const { parent, plan } = context;
  const caKey = new tls.PrivateKey(child(context, "ca-key"), { algorithm: "ECDSA", ecdsaCurve: "P256" }, { parent });
  const ca = new tls.SelfSignedCert(
    child(context, "ca"),
    {
      privateKeyPem: caKey.privateKeyPem,
      subject: { commonName: `ProsodyStack CA for ${plan.spec.domain}`, organization: "ProsodyStack" },
      isCaCertificate: true,
      validityPeriodHours: 10 * 365 * HOURS_PER_DAY,
      allowedUses: ["cert_signing", "crl_signing"],
    },
    { parent },
  );
  const key = new tls.PrivateKey(child(context, "tls-key"), { algorithm: "ECDSA", ecdsaCurve: "P256" }, { parent });
  const request = new tls.CertRequest(
    child(context, "tls-request"),
    {
      privateKeyPem: key.privateKeyPem,
      subject: { commonName: plan.spec.domain },
      dnsNames: plan.certificateNames,
    },
    { parent },
  );
  const leaf = new tls.LocallySignedCert(
    child(context, "tls-certificate"),
    {
      certRequestPem: request.certRequestPem,
      caPrivateKeyPem: caKey.privateKeyPem,
      caCertPem: ca.certPem,
      validityPeriodHours: 365 * HOURS_PER_DAY,
      earlyRenewalHours: 30 * HOURS_PER_DAY,
      // Server authentication only, as public CAs issue since 2026 (Let's Encrypt, Google Trust
      // Services): Prosody presents it to other servers too, which then verify it or use dialback.
      allowedUses: ["digital_signature", "key_encipherment", "server_auth"],
    },
    { parent },
  );
  return {
    fullChainPem: pulumi.interpolate`${leaf.certPem}${ca.certPem}`,
    privateKeyPem: pulumi.secret(key.privateKeyPem),
    caPem: ca.certPem,
    expires: leaf.validityEndTime,
  };
}
