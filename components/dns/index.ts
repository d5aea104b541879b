/**
 * Publishing the plan's DNS records, chosen by dns.provider, whatever the
 * platform. A provider also answers the ACME DNS-01 challenge in its zone.
 * With "none" the records are only outputs (dnsRecords, zoneFile).
 */
import type { DeploymentPlan } from "../../src/plan/types";
import type { DnsProvider } from "./contract";

type ProviderName = DeploymentPlan["spec"]["dns"]["provider"];

/** Each provider's module, loaded only when a stack chooses it; "none" publishes nothing. */
const PROVIDERS: Record<ProviderName, (() => DnsProvider) | undefined> = {
  none: undefined,
  route53: () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy, synchronous load (a Docker user never loads @pulumi/aws)
    return (require("./route53") as typeof import("./route53")).route53;
  },
  cloudflare: () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy, synchronous load
    return (require("./cloudflare") as typeof import("./cloudflare")).cloudflare;
  },
};

export const dnsProvider = (plan: DeploymentPlan): DnsProvider | undefined => PROVIDERS[plan.spec.dns.provider]?.();
