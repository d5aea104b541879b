/**
 * Route53: the plan's records in the caller's hosted zone. Every host name is
 * an alias of the platform's load balancer (AWS), a record at its address
 * (a Kubernetes Service: A, AAAA or CNAME), or, where there is none (Docker),
 * points at dns.ipv4 and dns.ipv6; the SRV records come from the plan as they are. Records that already exist are not taken over: creating
 * one fails and names it. The zone also answers Let's Encrypt's DNS-01 challenge.
 */
import * as route53Sdk from "@pulumi/aws/route53";
import * as pulumi from "@pulumi/pulumi";
import { type ChildContext, child } from "../naming";
import type { AddressTarget, DnsProvider, DnsZone, ZoneSources } from "./contract";
import { addressRecordSets, endpointRecords, outsideZone, recordPart, srvRecords, zoneName } from "./zone";

/** The zone id: the caller's (existing.route53.hostedZoneId), or looked up by dns.zone (default the domain). */
function hostedZoneId(context: ChildContext, { existing }: ZoneSources): pulumi.Output<string> {
  const given = existing.route53?.hostedZoneId;
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
  } else if (target.endpoint) {
    for (const record of endpointRecords(plan, target.endpoint)) {
      new route53Sdk.Record(
        child(context, record.part),
        { zoneId, name: record.name, type: record.type, ttl: plan.dns.ttl, records: [record.value] },
        { parent },
      );
    }
  } else {
    for (const set of addressRecordSets(plan)) {
      new route53Sdk.Record(
        child(context, recordPart(set)),
        { zoneId, name: set.name, type: set.type, ttl: plan.dns.ttl, records: set.values },
        { parent },
      );
    }
  }
  for (const record of srvRecords(plan)) {
    new route53Sdk.Record(
      child(context, recordPart(record)),
      { zoneId, name: record.name, type: "SRV", ttl: record.ttl, records: [record.value] },
      { parent },
    );
  }
}

export const route53: DnsProvider = {
  check: outsideZone,
  zone(context, sources): DnsZone {
    const zoneId = hostedZoneId(context, sources);
    return {
      acmeChallenge: { provider: "route53", config: { AWS_HOSTED_ZONE_ID: zoneId }, route53HostedZoneId: zoneId },
      publish: (target) => publishRecords(context, zoneId, target),
    };
  },
};
