/**
 * Resources of the caller's that the stack uses instead of creating or looking
 * up its own, keyed by who reads them: a platform (existing.aws,
 * existing.kubernetes) or a DNS provider (existing.route53). Each reader
 * declares its part in its table entry (components/platforms/registry.ts,
 * components/dns/index.ts); existing-rules.ts reads and checks them.
 */
import type { Problem } from "../common/problems";
import type { ExistingRoute53Resources } from "./dns/route53-existing";
import type { ExistingAwsResources } from "./platforms/aws/existing";
import type { ExistingKubernetesResources } from "./platforms/kubernetes/existing";

export interface ExistingResources {
  /** Your AWS estate: a VPC, an ECS cluster, a PostgreSQL server (the aws platform). */
  aws?: ExistingAwsResources;
  /** Your cluster's own: a PostgreSQL server (the kubernetes platform). */
  kubernetes?: ExistingKubernetesResources;
  /** Your Route53 hosted zone (the route53 DNS provider, on any platform). */
  route53?: ExistingRoute53Resources;
}

/** How a reader takes its part of `existing`. */
export interface ExistingPart<T> {
  /** `prosody:existing.<key>` of a stack file, where every value is a plain string */
  parseConfig(value: unknown, prefix: string): T;
  /** problems with the plain values it was given (outputs are checked by the cloud itself) */
  check(existing: T): Problem[];
}
