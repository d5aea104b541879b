/**
 * DNS records of a plan: SRV records so clients and servers find Prosody
 * (RFC 6120, XEP-0368), and address records for every host name. Addresses
 * the spec does not know yet (a load balancer's) are left to the platform,
 * which points `addressHosts` at what it creates.
 */
import type { DeploymentSpec } from "../schema/deployment-spec";
import type { DnsPlan, DnsRecord, PlannedComponent } from "./types";

/** Components other servers reach by federation, so they get an _xmpp-server SRV record. */
const FEDERATED_COMPONENTS: ReadonlySet<PlannedComponent["kind"]> = new Set(["muc", "pubsub"]);

export function planDns(
  spec: DeploymentSpec,
  domains: readonly string[],
  components: readonly PlannedComponent[],
): DnsPlan {
  const ttl = spec.dns.ttl;
  const target = spec.domain;
  const srv = (service: string, host: string, port: number): DnsRecord => ({
    name: `${service}._tcp.${host}`,
    type: "SRV",
    ttl,
    value: `0 5 ${port} ${target}.`,
  });
  const addressHosts = [...domains, ...components.map((component) => component.host)];
  const records: DnsRecord[] = [];
  for (const host of addressHosts) {
    for (const address of spec.dns.ipv4) records.push({ name: host, type: "A", ttl, value: address });
    for (const address of spec.dns.ipv6) records.push({ name: host, type: "AAAA", ttl, value: address });
  }
  for (const domain of domains) {
    records.push(
      srv("_xmpp-client", domain, spec.ports.c2s),
      srv("_xmpps-client", domain, spec.ports.c2sDirectTls),
      srv("_xmpp-server", domain, spec.ports.s2s),
    );
  }
  for (const component of components) {
    if (FEDERATED_COMPONENTS.has(component.kind)) records.push(srv("_xmpp-server", component.host, spec.ports.s2s));
  }
  return { ttl, records, addressHosts, target };
}
