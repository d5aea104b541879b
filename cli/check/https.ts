/** HTTPS requests of a check: names resolved through the check's resolver, the chain verified against --ca or the system's store. */
import { request } from "node:https";
import type { LookupFunction } from "node:net";
import type { Resolver } from "node:dns/promises";
import { addressesOf } from "./dns";

export interface HttpsResult {
  status: number;
  body: Buffer;
}

/** A lookup that asks the check's resolver, so a split-horizon or test DNS server is used for HTTPS too. */
export const lookupThrough =
  (resolver: Resolver): LookupFunction =>
  (hostname, options, callback) => {
    addressesOf(resolver, hostname).then(
      (found) => {
        const [address] = found;
        if (address === undefined) {
          callback(Object.assign(new Error(`${hostname} does not resolve`), { code: "ENOTFOUND" }), "", 4);
        } else if ((options as { all?: boolean }).all) {
          (callback as unknown as (error: null, all: { address: string; family: number }[]) => void)(
            null,
            found.map((entry) => ({ address: entry, family: entry.includes(":") ? 6 : 4 })),
          );
        } else {
          callback(null, address, address.includes(":") ? 6 : 4);
        }
      },
      (error: Error) => callback(error as NodeJS.ErrnoException, "", 4),
    );
  };

export function httpsRequest(
  url: string,
  {
    method = "GET",
    headers = {},
    body,
    ca,
    lookup,
  }: { method?: string; headers?: Record<string, string>; body?: Buffer; ca?: string; lookup: LookupFunction },
): Promise<HttpsResult> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, lookup, timeout: 10_000, ...(ca ? { ca } : {}) }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks) }));
      response.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error("no answer within 10 s")));
    req.on("error", reject);
    req.end(body);
  });
}
