/**
 * The value rules the spec's fields share: host names, JIDs, addresses,
 * ranges, ports, URLs. Each refusal says what the value is not and how to
 * write one that is.
 */
import { z } from "zod";
import { rule } from "../../common/problems";

const DNS_LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
const DNS_NAME = new RegExp(`^(?=.{1,253}$)${DNS_LABEL}(?:\\.${DNS_LABEL})*$`);
const ARCHIVE_PERIOD = /^(never|[1-9][0-9]{0,5}[dwmy])$/;
const RATE = /^[1-9][0-9]{0,8}(kb|mb)\/s$/;
/** RFC 7622: a localpart never holds these, nor spaces or control characters. */
const LOCALPART_FORBIDDEN = /[\s"&'/:<>@\p{C}]/u;
const MAX_LOCALPART_BYTES = 1023;

/** Text, with what a valid value looks like when it is missing or not text. */
const text = (what: string, example: string) =>
  z.string({
    error: (issue) =>
      issue.input === undefined
        ? rule("required", `write ${what}, e.g. ${example}`)
        : rule(`not ${what}`, `write ${what} as text, e.g. ${example}`),
  });

/** A check that returns the refusal (a `rule(...)` string) or nothing. */
const check =
  (refusal: (value: string) => string | undefined) =>
  (value: string, context: z.RefinementCtx): void => {
    const message = refusal(value);
    if (message !== undefined) context.addIssue({ code: "custom", message });
  };

/** A DNS host name as Prosody and DNS compare it: lower case, labels of 1-63 characters, 253 at most. */
function hostNameRefusal(value: string): string | undefined {
  if (DNS_NAME.test(value)) return undefined;
  const canonical = value.toLowerCase().replace(/\.$/, "");
  if (DNS_NAME.test(canonical)) return rule("not in canonical form", `write "${canonical}" (lower case, no final dot)`);
  return rule(
    "not a DNS host name",
    "use labels of 1-63 lower-case letters, digits and '-' (not first or last) joined by dots, 253 characters at most, e.g. chat.example.org",
  );
}

export const hostName = text("a DNS host name", "chat.example.org").superRefine(check(hostNameRefusal));

/** A bare JID (RFC 7622): localpart@domain, the localpart as Prosody stores it (NFKC, lower case). */
export const jid = text("a bare JID", "admin@example.org").superRefine(
  check((value) => {
    const parts = value.split("@");
    const [local = "", domain = ""] = parts;
    const shape = rule("not a bare JID", "write localpart@domain, e.g. admin@example.org");
    if (parts.length !== 2 || local === "" || domain === "") return shape;
    if (LOCALPART_FORBIDDEN.test(local) || Buffer.byteLength(local) > MAX_LOCALPART_BYTES) {
      return rule(
        "the localpart holds a character a JID cannot have",
        `leave out spaces, control characters and " & ' / : < > @ (1023 bytes at most), e.g. jane+xmpp@example.org`,
      );
    }
    const domainRefusal = hostNameRefusal(domain);
    if (domainRefusal !== undefined) return domainRefusal;
    const stored = local.normalize("NFKC").toLowerCase();
    return stored === local ? undefined : rule("not as Prosody stores it", `write "${stored}@${domain}"`);
  }),
);

const ipv4Rule = rule("not an IPv4 address", "write four numbers 0-255 without leading zeros, e.g. 192.0.2.10");
const ipv6Rule = rule("not an IPv6 address", "write eight groups of hex digits, :: for zeros, e.g. 2001:db8::10");
export const ipv4 = z.ipv4({ error: ipv4Rule });
export const ipv6 = z.ipv6({ error: ipv6Rule });
const isIp = (value: string): boolean => ipv4.safeParse(value).success || ipv6.safeParse(value).success;
const isCidr = (value: string): boolean => z.cidrv4().safeParse(value).success || z.cidrv6().safeParse(value).success;

/** An address of this machine, either family. */
export const ipAddress = text("an IP address", "192.0.2.10").refine(isIp, {
  error: rule("not an IP address", "write an IPv4 address like 192.0.2.10 or an IPv6 one like 2001:db8::10"),
});
export const listenAddress = text("a listening address", '"*"').refine((value) => value === "*" || isIp(value), {
  error: rule("not a listening address", 'use "*" (all IPv4), "::" (all IPv6) or one IP address'),
});
export const cidr = text("a CIDR range", "10.0.0.0/8").refine(isCidr, {
  error: rule("not a CIDR range", "write address/bits with bits 0-32 (IPv4) or 0-128 (IPv6), e.g. 10.0.0.0/8"),
});
/** An address or a range, e.g. of trusted proxies. */
export const ipOrCidr = text("an address or CIDR range", "10.0.0.0/8").refine((value) => isIp(value) || isCidr(value), {
  error: rule("not an address or CIDR range", "write 192.0.2.10, 2001:db8::10 or a range such as 10.0.0.0/8"),
});
export const port = z.number().int().min(1).max(65535);
/** Control characters would travel into a container's environment and its logs. */
const CONTROL = /\p{Cc}/u;
const noControl = { error: rule("the URL holds a control character", "remove it, or percent-encode it") };
export const httpsUrl = z
  .url({ protocol: /^https$/, error: rule("not an https URL", "write a full URL, e.g. https://chat.example.org/") })
  .refine((value) => !CONTROL.test(value), noControl)
  .refine((value) => !/[\s"'\\]/.test(value), {
    error: rule("the URL has quotes, spaces or backslashes", "percent-encode them"),
  });
export const httpUrl = z
  .url({ protocol: /^https?$/, error: rule("not an http(s) URL", "write e.g. http://minio.internal:9000") })
  .refine((value) => !CONTROL.test(value), noControl)
  .refine((value) => !value.includes("?") && !value.includes("#"), {
    error: rule("has a query or fragment", "give the endpoint's scheme, host and port only"),
  });
export const contactUri = z.string().regex(/^(mailto:[^\s@]+@[^\s@]+|xmpp:[^\s]+|https:\/\/[^\s]+)$/, {
  error: rule("not a contact address", "write mailto:someone@example.org, xmpp:someone@example.org or an https:// URL"),
});
/** An email address as a mail server takes it: one @, no spaces, quotes or angle brackets. */
export const emailAddress = text("an email address", "ops@example.org").regex(
  /^[^\s@"<>(),;:\\]+@[^\s@"<>(),;:\\]+\.[^\s@"<>(),;:\\]+$/,
  {
    error: rule("not an email address", "write one address, e.g. ops@example.org"),
  },
);
/** A calendar date, YYYY-MM-DD, that exists (not 2026-02-30). */
export const isoDate = z.iso.date({ error: rule("not a date", "write YYYY-MM-DD, e.g. 2026-12-07") });
export const MiB = 1024 * 1024;

export const imageRegistry = z.string().regex(/^[a-z0-9.-]+(?::[0-9]{1,5})?(?:\/[a-z0-9._-]+)*$/, {
  error: rule("not a registry address", "write host[:port][/path] in lower case, e.g. ghcr.io/example"),
});

export const archivePeriod = z.string().regex(ARCHIVE_PERIOD, {
  error: rule("not an archive period", 'write "never" or a number with d, w, m or y, e.g. "1w", "1y"'),
});

export const rate = (example: string) =>
  z.string().regex(RATE, {
    error: rule(
      "not a rate Prosody reads as meant (it reads a bare b/s as tens of bytes)",
      `write a number with kb/s or mb/s, e.g. "${example}"`,
    ),
  });

export const absolutePath = z.string().regex(/^\/[A-Za-z0-9._/-]*$/, {
  error: rule("not an absolute path", "write an absolute path of letters, digits, '.', '_', '-' and '/'"),
});

/** A PostgreSQL identifier: a database or role name. */
export const sqlName = (what: string) =>
  z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, { error: rule(`not a ${what}`, "use lower-case letters, digits and _") });

/** A value of a Prosody option the spec does not model: what the Lua serializer writes as data. */
export type OptionValue = string | number | boolean | OptionValue[] | { [key: string]: OptionValue };

const MAX_OPTION_DEPTH = 8;

function isOptionValue(value: unknown, depth = 0): value is OptionValue {
  if (depth > MAX_OPTION_DEPTH) return false;
  if (typeof value === "string") return value.isWellFormed();
  if (typeof value === "number") return Number.isFinite(value);
  if (typeof value === "boolean") return true;
  if (Array.isArray(value)) return value.every((entry) => isOptionValue(entry, depth + 1));
  if (typeof value !== "object" || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return false;
  return Object.entries(value).every(([key, entry]) => key.isWellFormed() && isOptionValue(entry, depth + 1));
}

export const optionValue = z
  .custom<OptionValue>((value) => isOptionValue(value), {
    error: rule(
      "not a value ProsodyStack writes into the config",
      `use text, finite numbers, true or false, and lists and maps of them, ${MAX_OPTION_DEPTH} levels deep at most`,
    ),
  })
  .meta({ tsType: "OptionValue" });

/** Lua's reserved words cannot name an option. */
const LUA_KEYWORDS =
  /^(and|break|do|else|elseif|end|false|for|function|goto|if|in|local|nil|not|or|repeat|return|then|true|until|while)$/;

export const optionName = z
  .string()
  .regex(/^[a-z_][a-z0-9_]{0,63}$/, {
    error: rule("not a Prosody option name", "write it as Prosody documents it, e.g. c2s_timeout"),
  })
  .refine((name) => !LUA_KEYWORDS.test(name), { error: rule("a Lua keyword", "no Prosody option has this name") });

/** Prosody options by name, e.g. { c2s_timeout: 300 }. */
export const optionTable = z.record(optionName, optionValue);
