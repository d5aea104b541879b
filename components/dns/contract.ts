/**
 * The vocabulary of the DNS providers (one file each in this folder): where a
 * platform's host names point, and what a provider checks, draws on and gives.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { Problem } from "../../common/problems";
import type { DeploymentPlan } from "../../src/plan/types";
import type { AcmeChallenge } from "../certificates/contract";
import type { ChildContext } from "../naming";
import type { ExistingResources } from "../existing";
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
