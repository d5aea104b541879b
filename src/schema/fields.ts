/**
 * The value rules the spec's fields share: host names, JIDs, addresses,
 * ranges, ports, URLs. Each refusal says what the value is not and how to
 * write one that is.
 */
import { z } from "zod";
import { rule } from "../common/problems";

const DNS_LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
const DNS_NAME = new RegExp(`^(?=.{1,253}$)${DNS_LABEL}(?:\\.${DNS_LABEL})*$`);
const LOCALPART = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const IPV6 = /^[0-9a-f:]+$/;
const ARCHIVE_PERIOD = /^(never|[1-9][0-9]{0,5}[dwmy])$/;
const RATE = /^[1-9][0-9]{0,8}(b|kb|mb)\/s$/;

export const hostName = z.string().regex(DNS_NAME, {
  error: rule("not a DNS host name", "use lower-case labels of letters, digits and '-', e.g. chat.example.org"),
});

export const jid = z.string().refine(
  (value) => {
    const [local, domain, ...rest] = value.split("@");
    return rest.length === 0 && local !== undefined && LOCALPART.test(local) && DNS_NAME.test(domain ?? "");
  },
  { error: rule("not a bare JID", "write user@domain in lower case, e.g. admin@example.org") },
);

export const ipv4 = z
  .string()
  .regex(IPV4, { error: rule("not an IPv4 address", "write four numbers 0-255, e.g. 192.0.2.10") });
export const ipv6 = z
  .string()
  .refine((value) => IPV6.test(value) && value.includes(":") && (value.match(/::/g) ?? []).length <= 1, {
    error: rule("not an IPv6 address", "write it in lower case hex, e.g. 2001:db8::10"),
  });
export const listenAddress = z
  .string()
  .refine((value) => value === "*" || value === "::" || IPV4.test(value) || IPV6.test(value), {
    error: rule("not a listening address", 'use "*" (all IPv4), "::" (all IPv6) or one IP address'),
  });
export const cidr = z.string().refine(
  (value) => {
    const [address, bits, ...rest] = value.split("/");
    const width = Number(bits);
    if (rest.length > 0 || address === undefined || !Number.isInteger(width)) return false;
    return IPV4.test(address) ? width >= 0 && width <= 32 : IPV6.test(address) && width >= 0 && width <= 128;
  },
  { error: rule("not a CIDR range", "write address/bits, e.g. 10.0.0.0/8") },
);
export const port = z.number().int().min(1).max(65535);
export const httpsUrl = z
  .url({ protocol: /^https$/, error: rule("not an https URL", "write a full URL, e.g. https://chat.example.org/") })
  .refine((value) => !/[\s"'\\]/.test(value), {
    error: rule("the URL has quotes, spaces or backslashes", "percent-encode them"),
  });
export const httpUrl = z
  .url({ protocol: /^https?$/, error: rule("not an http(s) URL", "write e.g. http://minio.internal:9000") })
  .refine((value) => !value.includes("?") && !value.includes("#"), {
    error: rule("has a query or fragment", "give the endpoint's scheme, host and port only"),
  });
export const contactUri = z.string().regex(/^(mailto:[^\s@]+@[^\s@]+|xmpp:[^\s]+|https:\/\/[^\s]+)$/, {
  error: rule("not a contact address", "write mailto:someone@example.org, xmpp:someone@example.org or an https:// URL"),
});
export const MiB = 1024 * 1024;

export const imageRegistry = z.string().regex(/^[a-z0-9.-]+(?::[0-9]{1,5})?(?:\/[a-z0-9._-]+)*$/, {
  error: rule("not a registry address", "write host[:port][/path] in lower case, e.g. ghcr.io/example"),
});

export const archivePeriod = z.string().regex(ARCHIVE_PERIOD, {
  error: rule("not an archive period", 'write "never" or a number with d, w, m or y, e.g. "1w", "1y"'),
});

export const rate = (example: string) =>
  z.string().regex(RATE, { error: rule("not a rate", `write a number with b/s, kb/s or mb/s, e.g. "${example}"`) });

export const absolutePath = z.string().regex(/^\/[A-Za-z0-9._/-]*$/, {
  error: rule("not an absolute path", "write an absolute path of letters, digits, '.', '_', '-' and '/'"),
});

/** A PostgreSQL identifier: a database or role name. */
export const sqlName = (what: string) =>
  z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, { error: rule(`not a ${what}`, "use lower-case letters, digits and _") });
