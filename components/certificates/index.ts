/**
 * The stack's TLS certificate, chosen by tls.mode, whatever the platform: one
 * certificate naming every host of the plan (Prosody holds it itself, for
 * STARTTLS on 5222 and 5269; the upload gateway gets the same pair).
 */
import type * as pulumi from "@pulumi/pulumi";
import type { Problem } from "../../common/problems";
import type { CertificatePair } from "../../src/containers/description";
import type { DeploymentPlan } from "../../src/plan/types";
import type { ChildContext } from "../naming";
import type { GivenSecrets } from "../stack-secrets";
import type { CertificateSources, StackCertificate } from "./contract";

type TlsMode = DeploymentPlan["spec"]["tls"]["mode"];

/**
 * Each mode's module, loaded only when a stack chooses it (the ACME provider is a plugin of its own).
 * undefined: the platform has the certificate issued where it runs (cert-manager in the cluster), so
 * the component never holds it.
 */
const MODES: Record<TlsMode, (context: ChildContext, sources: CertificateSources) => StackCertificate | undefined> = {
  "self-signed": (context) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy, synchronous load
    return (require("./self-signed") as typeof import("./self-signed")).selfSignedCertificate(context);
  },
  acme: (context, { challenge }) => {
    if (!challenge) throw new Error("acme certificates need a DNS-01 challenge (refused earlier)");
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy, synchronous load
    return (require("./acme") as typeof import("./acme")).acmeCertificate(context, challenge);
  },
  provided: (context, { given }) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy, synchronous load
    return (require("./provided") as typeof import("./provided")).providedCertificate(context, given);
  },
  "cert-manager": () => undefined,
};

/** The component's certificate; undefined where it is issued where the server runs (the renewer, cert-manager). */
export const stackCertificate = (context: ChildContext, sources: CertificateSources): StackCertificate | undefined =>
  context.plan.certificate.source === "component" ? MODES[context.plan.spec.tls.mode](context, sources) : undefined;

/** The certificate of a platform that is given one (its support refuses the modes that issue theirs). */
export function givenCertificate(certificate: StackCertificate | undefined): StackCertificate {
  if (!certificate) throw new Error("this platform needs the certificate from the component (refused earlier)");
  return certificate;
}

/** What a container description takes: the chain and the key. */
export const certificatePair = (certificate: StackCertificate): CertificatePair<pulumi.Output<string>> => ({
  chain: certificate.fullChainPem,
  key: certificate.privateKeyPem,
});

/**
 * A certificate mode the plan cannot have: ACME proves control through DNS
 * records, so it needs a DNS provider; a provided pair must serve every host.
 */
export function certificateProblems(plan: DeploymentPlan, challengeOffered: boolean, given: GivenSecrets): Problem[] {
  const { spec } = plan;
  if (spec.tls.mode === "provided") {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy, synchronous load
    return (require("./provided") as typeof import("./provided")).givenPairProblems(plan, given);
  }
  if (spec.tls.mode !== "acme" || challengeOffered) return [];
  return [
    {
      field: "dns.provider",
      value: JSON.stringify(spec.dns.provider),
      message:
        "Let's Encrypt certificates are proven through DNS records, so they need a DNS provider that publishes them",
      fix: 'set dns.provider: "route53" or "cloudflare" (with the zone of the domain), or tls.mode: "provided" or "self-signed"',
    },
  ];
}
