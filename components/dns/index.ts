/**
 * Publishing the plan's DNS records, chosen by dns.provider, whatever the
 * platform. A provider also answers the ACME DNS-01 challenge in its zone.
 * With "none" the records are only outputs (dnsRecords, zoneFile).
 */
import type * as pulumi from "@pulumi/pulumi";
import type { Problem } from "../../src/common/problems";
import type { DeploymentPlan } from "../../src/plan/plan-deployment";
import type { AcmeChallenge } from "../certificates";
import type { ChildContext } from "../naming";
import type { ExistingResources } from "../platforms/existing";
import type { GivenSecrets } from "../stack-secrets";

/** Where the address records point, as the platform knows it once it is deployed. */
export interface AddressTarget {
  /** a load balancer the records alias (its addresses change; an alias follows them) */
  alias?: { dnsName: pulumi.Output<string>; zoneId: pulumi.Output<string> };
  /** a load balancer's address, known once it exists (Kubernetes Services): every host's, or a host's own */
  endpoint?: { all: pulumi.Output<Endpoint>; byHost?: Readonly<Record<string, pulumi.Output<Endpoint>>> };
}

/** An address a cluster gave a load balancer: an IP (an A or AAAA record) or a host name (a CNAME). */
export interface Endpoint {
  ip?: string;
  hostname?: string;
}

/** The zone a provider publishes in, for one stack. */
export interface DnsZone {
  acmeChallenge: AcmeChallenge;
  publish(target: AddressTarget): void;
}

/** What a provider may draw on: the caller's resources (a hosted zone id) and secrets (an API token). */
export interface ZoneSources {
  existing: ExistingResources;
  given: GivenSecrets;
}

export interface DnsProvider {
  /** what the plan must hold for this provider, as problems naming the field */
  check(plan: DeploymentPlan): Problem[];
  zone(context: ChildContext, sources: ZoneSources): DnsZone;
}

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
