/**
 * The part of Route53's API that a DNS-01 challenge uses (list the hosted
 * zones, change a record set, ask whether the change is in sync), on loopback
 * and backed by a real DNS server (harness/knot.ts): certbot's Route53 plugin
 * reaches it through the AWS SDK's own endpoint setting
 * (AWS_ENDPOINT_URL_ROUTE_53), with no AWS account. It can refuse changes as a
 * role too narrow for them would.
 */
import { createServer, type Server } from "node:http";
import type { KnotServer } from "./knot";

const XMLNS = "https://route53.amazonaws.com/doc/2013-04-01/";
export const HOSTED_ZONE_ID = "Z0E2ETEST0ZONE";

export interface Route53Api {
  /** http://127.0.0.1:port, for AWS_ENDPOINT_URL_ROUTE_53 */
  endpoint: string;
  /** every change asked for: action, name, type */
  changes: { action: string; name: string; type: string }[];
  /** refuse every change from now on (AccessDenied), as a role without the permission does */
  refuseChanges(refuse: boolean): void;
  stop(): Promise<void>;
}

const tag = (text: string, name: string): string[] =>
  [...text.matchAll(new RegExp(`<${name}>([\\s\\S]*?)</${name}>`, "g"))].map((match) => match[1] ?? "");

const unquote = (value: string) => value.replace(/^"|"$/g, "").replace(/&quot;/g, '"');

export async function startRoute53Api(port: number, dns: KnotServer): Promise<Route53Api> {
  const changes: Route53Api["changes"] = [];
  let refusing = false;
  let changeId = 0;
  const server: Server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      const path = (request.url ?? "").split("?")[0] ?? "";
      const reply = (status: number, xml: string) => {
        response.writeHead(status, { "content-type": "text/xml" });
        response.end(`<?xml version="1.0" encoding="UTF-8"?>\n${xml}`);
      };
      if (request.method === "GET" && path === "/2013-04-01/hostedzone") {
        return reply(
          200,
          `<ListHostedZonesResponse xmlns="${XMLNS}"><HostedZones><HostedZone><Id>/hostedzone/${HOSTED_ZONE_ID}</Id><Name>${dns.zone}.</Name><CallerReference>e2e</CallerReference><Config><PrivateZone>false</PrivateZone></Config><ResourceRecordSetCount>3</ResourceRecordSetCount></HostedZone></HostedZones><IsTruncated>false</IsTruncated><MaxItems>100</MaxItems></ListHostedZonesResponse>`,
        );
      }
      if (request.method === "POST" && path === `/2013-04-01/hostedzone/${HOSTED_ZONE_ID}/rrset/`) {
        if (refusing) {
          return reply(
            403,
            `<ErrorResponse xmlns="${XMLNS}"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:sts::123456789012:assumed-role/renewer is not authorized to perform: route53:ChangeResourceRecordSets on resource: arn:aws:route53:::hostedzone/${HOSTED_ZONE_ID}</Message></Error><RequestId>e2e</RequestId></ErrorResponse>`,
          );
        }
        for (const change of tag(body, "Change")) {
          const [action = ""] = tag(change, "Action");
          const [name = ""] = tag(change, "Name");
          const [type = ""] = tag(change, "Type");
          const owner = name.replace(/\.$/, "");
          changes.push({ action, name: owner, type });
          const values = tag(change, "Value").map(unquote);
          if (type !== "TXT") continue;
          // UPSERT replaces the whole set; DELETE removes the values named.
          if (action === "UPSERT") dns.clearTxt(owner);
          for (const value of values) {
            if (action === "DELETE") dns.removeTxt(owner, value);
            else dns.addTxt(owner, value);
          }
        }
        changeId += 1;
        return reply(
          200,
          `<ChangeResourceRecordSetsResponse xmlns="${XMLNS}"><ChangeInfo><Id>/change/C${changeId}</Id><Status>PENDING</Status><SubmittedAt>${new Date().toISOString()}</SubmittedAt></ChangeInfo></ChangeResourceRecordSetsResponse>`,
        );
      }
      const changeMatch = /^\/2013-04-01\/change\/(C\d+)$/.exec(path);
      if (request.method === "GET" && changeMatch) {
        return reply(
          200,
          `<GetChangeResponse xmlns="${XMLNS}"><ChangeInfo><Id>/change/${changeMatch[1]}</Id><Status>INSYNC</Status><SubmittedAt>${new Date().toISOString()}</SubmittedAt></ChangeInfo></GetChangeResponse>`,
        );
      }
      return reply(
        400,
        `<ErrorResponse xmlns="${XMLNS}"><Error><Type>Sender</Type><Code>InvalidInput</Code><Message>the e2e Route53 does not answer ${request.method} ${path}</Message></Error></ErrorResponse>`,
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    changes,
    refuseChanges: (refuse) => {
      refusing = refuse;
    },
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
