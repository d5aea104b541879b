/** What every DNS provider shares: the zone a plan publishes in, and whether its host names fit inside it. */
import type { Problem } from "../../common/problems";
import type { DeploymentPlan, DnsRecord } from "../../src/plan/types";
import type * as pulumi from "@pulumi/pulumi";
import type { AddressTarget, Endpoint } from "./contract";

export const zoneName = (plan: DeploymentPlan): string => plan.spec.dns.zone ?? plan.spec.domain;

/** Every host name must be inside the zone: its records and its certificate's challenge are published there. */
export function outsideZone(plan: DeploymentPlan): Problem[] {
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

/** The plan's address records (A/AAAA from dns.ipv4 and dns.ipv6), grouped into record sets by name and type. */
export function addressRecordSets(plan: DeploymentPlan): { name: string; type: "A" | "AAAA"; values: string[] }[] {
  const sets = new Map<string, { name: string; type: "A" | "AAAA"; values: string[] }>();
  for (const record of plan.dns.records) {
    if (record.type === "SRV") continue;
    const key = `${record.name} ${record.type}`;
    const set = sets.get(key) ?? { name: record.name, type: record.type, values: [] };
    set.values.push(record.value);
    sets.set(key, set);
  }
  return [...sets.values()];
}

export const srvRecords = (plan: DeploymentPlan): DnsRecord[] =>
  plan.dns.records.filter((record) => record.type === "SRV");

/** A part of a child name for a record: its name, with the SRV service kept readable. */
export const recordPart = (record: { name: string; type: string }): string =>
  `dns-${record.name}-${record.type.toLowerCase()}`;

/** One record per host, at the load balancer's address: its type is known only once the address is. */
export interface EndpointRecord {
  part: string;
  name: string;
  type: pulumi.Output<"A" | "AAAA" | "CNAME">;
  value: pulumi.Output<string>;
}

export function endpointRecords(
  plan: DeploymentPlan,
  endpoint: NonNullable<AddressTarget["endpoint"]>,
): EndpointRecord[] {
  return plan.dns.addressHosts.map((host) => {
    const address = endpoint.byHost?.[host] ?? endpoint.all;
    return {
      part: `dns-${host}-address`,
      name: host,
      type: address.apply(endpointType),
      value: address.apply(endpointValue(host)),
    };
  });
}

const endpointType = ({ ip }: Endpoint): "A" | "AAAA" | "CNAME" =>
  ip === undefined ? "CNAME" : ip.includes(":") ? "AAAA" : "A";

const endpointValue =
  (host: string) =>
  ({ ip, hostname }: Endpoint): string => {
    const value = ip ?? hostname;
    if (value === undefined || value === "") {
      throw new Error(
        `the load balancer in front of ${host} has no address yet, so no record can point at it. ` +
          "Fix: give the cluster a LoadBalancer implementation (or set kubernetes.service.type NodePort with dns.ipv4), then run `pulumi up` again",
      );
    }
    return value;
  };
