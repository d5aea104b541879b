/**
 * Route53: the plan's records in the caller's hosted zone. Every host name is
 * an alias of the load balancer (its addresses change; an alias follows
 * them), and the SRV records come from the plan as they are. Records that
 * already exist are not taken over: creating one fails and names it.
 */
import * as route53 from "@pulumi/aws/route53";
import * as pulumi from "@pulumi/pulumi";
import type { ExistingAwsResources } from "../platforms/aws/existing";
import { type AwsContext, child } from "../platforms/aws/context";

/** The zone id: the caller's, or looked up by dns.zone (default the domain). */
export function hostedZoneId(context: AwsContext, existing: ExistingAwsResources): pulumi.Output<string> {
  if (existing.hostedZoneId !== undefined) return pulumi.output(existing.hostedZoneId);
  const { spec } = context.plan;
  const zone = spec.dns.zone ?? spec.domain;
  return route53.getZoneOutput({ name: zone, privateZone: false }, { parent: context.parent }).zoneId;
}

export interface AliasTarget {
  dnsName: pulumi.Output<string>;
  zoneId: pulumi.Output<string>;
}

export function publishRecords(context: AwsContext, zoneId: pulumi.Output<string>, target: AliasTarget): void {
  const { parent, plan } = context;
  for (const host of plan.dns.addressHosts) {
    new route53.Record(
      child(context, `dns-${host}-alias`),
      {
        zoneId,
        name: host,
        type: "A",
        aliases: [{ name: target.dnsName, zoneId: target.zoneId, evaluateTargetHealth: true }],
      },
      { parent },
    );
  }
  for (const record of plan.dns.records.filter((entry) => entry.type === "SRV")) {
    new route53.Record(
      child(context, `dns-${record.name}-srv`),
      { zoneId, name: record.name, type: "SRV", ttl: record.ttl, records: [record.value] },
      { parent },
    );
  }
}
