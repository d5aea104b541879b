/**
 * The stack's TLS certificate, chosen by tls.mode, whatever the platform: one
 * certificate naming every host of the plan (Prosody holds it itself, for
 * STARTTLS on 5222 and 5269; the upload gateway gets the same pair).
 */
import type * as pulumi from "@pulumi/pulumi";
import type { Problem } from "../../src/common/problems";
import type { CertificatePair } from "../../src/containers/description";
import type { DeploymentPlan } from "../../src/plan/plan-deployment";
import type { ChildContext } from "../naming";

export interface StackCertificate {
  /** PEM of the leaf followed by its issuer: what Prosody serves */
  fullChainPem: pulumi.Output<string>;
  /** secret */
  privateKeyPem: pulumi.Output<string>;
  /** PEM of the CA clients must trust; undefined for a publicly trusted CA */
  caPem?: pulumi.Output<string>;
}

/** How the ACME provider proves control of the names: a DNS-01 challenge in the zone of the DNS provider. */
export interface AcmeChallenge {
  /** the lego DNS provider's name, e.g. "route53" */
  provider: string;
  config: Record<string, pulumi.Input<string>>;
}

type TlsMode = DeploymentPlan["spec"]["tls"]["mode"];

/** Each mode's module, loaded only when a stack chooses it (the ACME provider is a plugin of its own). */
const MODES: Record<TlsMode, (context: ChildContext, challenge: AcmeChallenge | undefined) => StackCertificate> = {
  "self-signed": (context) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy, synchronous load
    return (require("./self-signed") as typeof import("./self-signed")).selfSignedCertificate(context);
  },
  acme: (context, challenge) => {
    if (!challenge) throw new Error("acme certificates need a DNS-01 challenge (refused earlier)");
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy, synchronous load
    return (require("./acme") as typeof import("./acme")).acmeCertificate(context, challenge);
  },
};

export const stackCertificate = (context: ChildContext, challenge?: AcmeChallenge): StackCertificate =>
  MODES[context.plan.spec.tls.mode](context, challenge);

/** What a container description takes: the chain and the key. */
export const certificatePair = (certificate: StackCertificate): CertificatePair<pulumi.Output<string>> => ({
  chain: certificate.fullChainPem,
  key: certificate.privateKeyPem,
});

/** A certificate mode the plan cannot have: ACME proves control through DNS records, so it needs a DNS provider. */
export function certificateProblems(plan: DeploymentPlan, challengeOffered: boolean): Problem[] {
  const { spec } = plan;
  if (spec.tls.mode !== "acme" || challengeOffered) return [];
  return [
    {
      field: "dns.provider",
      value: JSON.stringify(spec.dns.provider),
      message: "Let's Encrypt certificates are proven through DNS records, and only Route53 is wired for that",
      fix: 'set dns.provider: "route53" (with a hosted zone for dns.zone), or tls.mode: "self-signed"',
    },
  ];
}
