/**
 * Publishing the plan's DNS records, chosen by dns.provider, whatever the
 * platform. A provider also answers the ACME DNS-01 challenge in its zone.
 * With "none" the records are only outputs (dnsRecords, zoneFile).
 */
import type { DeploymentPlan } from "../../src/plan/types";
import type { ExistingPart } from "../existing";
import type { DnsProvider } from "./contract";
import { checkExistingRoute53, parseExistingRoute53Config } from "./route53-existing";

export type DnsProviderName = DeploymentPlan["spec"]["dns"]["provider"];

export interface DnsProviderEntry<E = unknown> {
  /** the provider's module, loaded only when a stack chooses it (its SDK is an optional peer) */
  load(): DnsProvider;
  /** the caller's resources it takes, as existing.<provider>; none: it takes none */
  existing?: ExistingPart<E>;
}

/** Each provider's entry; "none" publishes nothing. */
export const DNS_PROVIDERS: { readonly [P in DnsProviderName]: DnsProviderEntry | undefined } = {
  none: undefined,
  route53: {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy, synchronous load (a Docker user never loads @pulumi/aws)
    load: () => (require("./route53") as typeof import("./route53")).route53,
    existing: { parseConfig: parseExistingRoute53Config, check: checkExistingRoute53 },
  },
  cloudflare: {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy, synchronous load
    load: () => (require("./cloudflare") as typeof import("./cloudflare")).cloudflare,
  },
};

export const dnsProvider = (plan: DeploymentPlan): DnsProvider | undefined =>
  DNS_PROVIDERS[plan.spec.dns.provider]?.load();
