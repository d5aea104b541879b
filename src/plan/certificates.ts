/**
 * Where the served certificate comes from, by tls.mode and what the platform
 * runs: made by the component in Pulumi's state (self-signed, provided, and
 * Let's Encrypt where no renewer runs), issued and renewed where the server
 * runs by the certificate renewer (Let's Encrypt on platforms that run it), or
 * by the cluster (cert-manager).
 */
import { PLATFORM_FACTS } from "../catalog/platforms";
import type { DeploymentSpec } from "../schema/deployment-spec";
import type { CertificatePlan } from "./types";

/** Let's Encrypt's ACME directories, by tls.acme.directory. */
export const ACME_DIRECTORIES = {
  production: "https://acme-v02.api.letsencrypt.org/directory",
  staging: "https://acme-staging-v02.api.letsencrypt.org/directory",
} as const;

export function planCertificate(spec: DeploymentSpec): CertificatePlan {
  const { mode, acme } = spec.tls;
  if (mode === "cert-manager") return { source: "cluster" };
  const provider = spec.dns.provider;
  if (mode !== "acme" || !PLATFORM_FACTS[spec.platform].renewsAcme || provider === "none") {
    return { source: "component" };
  }
  return {
    source: "renewer",
    renewer: {
      directory: ACME_DIRECTORIES[acme.directory],
      dnsProvider: provider,
      renewDaysBefore: acme.renewDaysBefore,
      // Cloudflare takes a token; Route53 a role where the platform has one, else an access key of yours.
      credentials:
        provider === "cloudflare" ? "token" : PLATFORM_FACTS[spec.platform].cloudIdentity ? "platform" : "keys",
    },
  };
}
