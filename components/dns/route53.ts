/**
 * Route53: the plan's records in the caller's hosted zone. Every host name is
 * an alias of the platform's load balancer, and the SRV records come from the
 * plan as they are. Records that already exist are not taken over: creating
 * one fails and names it. The zone also answers Let's Encrypt's DNS-01 challenge.
 */
import * as route53Sdk from "@pulumi/aws/route53";
import * as pulumi from "@pulumi/pulumi";
import type { Problem } from "../../src/common/problems";
import type { DeploymentPlan } from "../../src/plan/plan-deployment";
import { type ChildContext, child } from "../naming";
import type { ExistingResources } from "../platforms/existing";
import type { AddressTarget, DnsProvider, DnsZone } from ".";

const zoneName = (plan: DeploymentPlan): string => plan.spec.dns.zone ?? plan.spec.domain;

/** Every host name must be inside the zone: its records and its certificate's challenge are published there. */
function check(plan: DeploymentPlan): Problem[] {
  const zone = zoneName(plan);
  return plan.certificateNames
    .filter((name) => name !== zone && !name.endsWith(`.${zone}`))
    .map((host) => ({
      field: "dns.zone",
      value: JSON.stringify(zone),
      message: `the host ${host} is outside this zone, so neither its records nor its certificate can be published there`,
      fix: "use host names under one zone, or set dns.zone to their common parent",
    }));
}

/** The zone id: the caller's (existing.aws.hostedZoneId), or looked up by dns.zone (default the domain). */
function hostedZoneId(context: ChildContext, existing: ExistingResources): pulumi.Output<string> {
  const given = existing.aws?.hostedZoneId;
  if (given !== undefined) return pulumi.output(given);
  return route53Sdk.getZoneOutput({ name: zoneName(context.plan), privateZone: false }, { parent: context.parent })
    .zoneId;
}

function publishRecords(context: ChildContext, zoneId: pulumi.Output<string>, target: AddressTarget): void {
  const { parent, plan } = context;
  const alias = target.alias;
  if (alias) {
    for (const host of plan.dns.addressHosts) {
      new route53Sdk.Record(
        child(context, `dns-${host}-alias`),
        {
          zoneId,
          name: host,
          type: "A",
          aliases: [{ name: alias.dnsName, zoneId: alias.zoneId, evaluateTargetHealth: true }],
        },
        { parent },
      );
    }
  }
  for (const record of plan.dns.records.filter((entry) => entry.type === "SRV")) {
    new route53Sdk.Record(
      child(context, `dns-${record.name}-srv`),
      { zoneId, name: record.name, type: "SRV", ttl: record.ttl, records: [record.value] },
      { parent },
    );
  }
}

export const route53: DnsProvider = {
  check,
  zone(context, existing): DnsZone {
    const zoneId = hostedZoneId(context, existing);
    return {
      acmeChallenge: { provider: "route53", config: { AWS_HOSTED_ZONE_ID: zoneId } },
      publish: (target) => publishRecords(context, zoneId, target),
    };
  },
};
