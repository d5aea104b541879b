/**
 * The vocabulary of the certificate modes (one file each in this folder): what
 * a mode gives the component, and what it may draw on to make it.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { GivenSecrets } from "../stack-secrets";

export interface StackCertificate {
  /** PEM of the leaf followed by its issuer: what Prosody serves */
  fullChainPem: pulumi.Output<string>;
  /** secret */
  privateKeyPem: pulumi.Output<string>;
  /** PEM of the CA clients must trust; undefined for a publicly trusted CA */
  caPem?: pulumi.Output<string>;
  /** when the served leaf expires (RFC 3339): what an admin watches, and what renewal resets */
  expires: pulumi.Output<string>;
}

/** How the ACME provider proves control of the names: a DNS-01 challenge in the zone of the DNS provider. */
export interface AcmeChallenge {
  /** the lego DNS provider's name, e.g. "route53" */
  provider: string;
  config: Record<string, pulumi.Input<string>>;
  /** the Route53 hosted zone the challenge's records go in: the one zone a renewer's role may change */
  route53HostedZoneId?: pulumi.Input<string>;
}

/** What a mode may draw on: the DNS provider's challenge (acme), the caller's secrets (provided). */
export interface CertificateSources {
  challenge?: AcmeChallenge;
  given: GivenSecrets;
}
