/**
 * Cloudflare: the plan's records in the zone named dns.zone (default the
 * domain), through a provider of its own holding the secret API token, never
 * an ambient one. Host names point at the platform's load balancer (a CNAME,
 * which Cloudflare flattens at the apex) or at dns.ipv4 and dns.ipv6. No
 * record is proxied: XMPP is not HTTP. A record of that name and type that
 * ProsodyStack did not make is refused by name, not taken over. The same
 * token answers Let's Encrypt's DNS-01 challenge.
 */
import * as cloudflareSdk from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import { type ChildContext, child } from "../naming";
import { givenSecret } from "../stack-secrets";
import type { AddressTarget, DnsProvider, DnsZone, ZoneSources } from "./contract";
import { addressRecordSets, endpointRecords, outsideZone, recordPart, srvRecords, zoneName } from "./zone";

/** Every record this stack makes carries this comment, which tells ours from records someone else made. */
const ownComment = (context: ChildContext): string => `ProsodyStack ${pulumi.getStack()}/${context.name}`;

interface Wanted {
  /** its part in child names: renaming it replaces the record */
  part: string;
  name: string;
  /** what a record of someone else's it would collide with looks like (an address record collides like a CNAME) */
  type: "A" | "AAAA" | "CNAME" | "SRV";
  /** the record's own type, when known only once the platform's address is */
  recordType?: pulumi.Input<string>;
  content?: pulumi.Input<string>;
  data?: { priority: number; weight: number; port: number; target: string };
}

/** "0 5 5222 example.org." as Cloudflare's SRV fields. */
function srvData(value: string): NonNullable<Wanted["data"]> {
  const [priority = "0", weight = "0", port = "0", target = ""] = value.split(" ");
  return { priority: Number(priority), weight: Number(weight), port: Number(port), target: target.replace(/\.$/, "") };
}

function wantedRecords(context: ChildContext, target: AddressTarget): Wanted[] {
  const { plan } = context;
  const alias = target.alias;
  const addresses: Wanted[] = alias
    ? plan.dns.addressHosts.map((host) => ({
        part: recordPart({ name: host, type: "CNAME" }),
        name: host,
        type: "CNAME",
        content: alias.dnsName,
      }))
    : target.endpoint
      ? endpointRecords(plan, target.endpoint).map((record) => ({
          part: record.part,
          name: record.name,
          type: "CNAME",
          recordType: record.type,
          content: record.value,
        }))
      : addressRecordSets(plan).flatMap((set) =>
          // One Cloudflare record per address, named by it (an IPv6 address's colons would end a URN part).
          set.values.map((value) => ({
            part: `${recordPart(set)}-${value.replace(/:/g, "-")}`,
            name: set.name,
            type: set.type,
            content: value,
          })),
        );
  const services = srvRecords(plan).map((record) => ({
    part: recordPart(record),
    name: record.name,
    type: "SRV" as const,
    data: srvData(record.value),
  }));
  return [...addresses, ...services];
}

/** The zone id, once no record the stack would make collides with one made by someone else. */
function checkedZoneId(
  context: ChildContext,
  zoneId: pulumi.Output<string>,
  wanted: readonly Wanted[],
  provider: cloudflareSdk.Provider,
): pulumi.Output<string> {
  const { parent } = context;
  const comment = ownComment(context);
  const names = [...new Set(wanted.map((record) => record.name))];
  const found = names.map(
    (name) => cloudflareSdk.getDnsRecordsOutput({ zoneId, name: { exact: name } }, { parent, provider }).results,
  );
  return pulumi.all([zoneId, pulumi.all(found)]).apply(([id, lists]) => {
    const foreign = lists
      .flat()
      .filter((record) => record.comment !== comment)
      .filter((record) =>
        wanted.some(
          (want) =>
            want.name === record.name &&
            (want.type === record.type || want.type === "CNAME" || record.type === "CNAME"),
        ),
      );
    if (foreign.length > 0) {
      const listed = [...new Set(foreign.map((record) => `${record.name} ${record.type} ${record.content}`))].join(
        ", ",
      );
      throw new pulumi.ResourceError(
        `dns.provider "cloudflare": the zone already holds records ProsodyStack did not make: ${listed}. ` +
          "Fix: delete them in Cloudflare (or move the host names), then run `pulumi up` again; they are never taken over",
        parent,
      );
    }
    return id;
  });
}

function zone(context: ChildContext, { given }: ZoneSources): DnsZone {
  const { parent, plan } = context;
  const token = given.cloudflareApiToken;
  if (token === undefined) throw new Error("secrets.cloudflareApiToken was not given (refused earlier)");
  const apiToken = givenSecret(parent, "cloudflareApiToken", token);
  const provider = new cloudflareSdk.Provider(child(context, "cloudflare"), { apiToken }, { parent });
  const zoneId = cloudflareSdk
    .getZoneOutput({ filter: { name: zoneName(plan) } }, { parent, provider })
    .apply((found) => found.zoneId ?? found.id);
  return {
    acmeChallenge: { provider: "cloudflare", config: { CLOUDFLARE_DNS_API_TOKEN: apiToken } },
    publish: (target) => {
      const wanted = wantedRecords(context, target);
      const id = checkedZoneId(context, zoneId, wanted, provider);
      for (const record of wanted) {
        new cloudflareSdk.DnsRecord(
          child(context, record.part),
          {
            zoneId: id,
            name: record.name,
            type: record.recordType ?? record.type,
            ttl: plan.dns.ttl,
            proxied: false,
            comment: ownComment(context),
            ...(record.content === undefined ? {} : { content: record.content }),
            ...(record.data ? { data: record.data } : {}),
          },
          { parent, provider },
        );
      }
    },
  };
}

export const cloudflare: DnsProvider = { check: outsideZone, zone };
