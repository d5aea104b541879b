/**
 * The whole ProsodyStack spec: the module selection plus everything the plan
 * needs to describe a server (domains, storage, uploads, ports, TLS, DNS).
 * Every field has a default and a one-line doc; the Pulumi program, the
 * component and the CLI all validate with this one schema.
 */
import { z } from "zod";
import { awsSpecSchema } from "./aws-spec";
import { rule } from "../common/problems";
import { bucketName } from "../common/s3";
import { modulesSpecSchema } from "./modules-spec";

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

const jid = z.string().refine(
  (value) => {
    const [local, domain, ...rest] = value.split("@");
    return rest.length === 0 && local !== undefined && LOCALPART.test(local) && DNS_NAME.test(domain ?? "");
  },
  { error: rule("not a bare JID", "write user@domain in lower case, e.g. admin@example.org") },
);

const ipv4 = z
  .string()
  .regex(IPV4, { error: rule("not an IPv4 address", "write four numbers 0-255, e.g. 192.0.2.10") });
const ipv6 = z
  .string()
  .refine((value) => IPV6.test(value) && value.includes(":") && (value.match(/::/g) ?? []).length <= 1, {
    error: rule("not an IPv6 address", "write it in lower case hex, e.g. 2001:db8::10"),
  });
const listenAddress = z
  .string()
  .refine((value) => value === "*" || value === "::" || IPV4.test(value) || IPV6.test(value), {
    error: rule("not a listening address", 'use "*" (all IPv4), "::" (all IPv6) or one IP address'),
  });
const cidr = z.string().refine(
  (value) => {
    const [address, bits, ...rest] = value.split("/");
    const width = Number(bits);
    if (rest.length > 0 || address === undefined || !Number.isInteger(width)) return false;
    return IPV4.test(address) ? width >= 0 && width <= 32 : IPV6.test(address) && width >= 0 && width <= 128;
  },
  { error: rule("not a CIDR range", "write address/bits, e.g. 10.0.0.0/8") },
);
const port = z.number().int().min(1).max(65535);
const httpsUrl = z
  .url({ protocol: /^https$/, error: rule("not an https URL", "write a full URL, e.g. https://chat.example.org/") })
  .refine((value) => !/[\s"'\\]/.test(value), {
    error: rule("the URL has quotes, spaces or backslashes", "percent-encode them"),
  });
const httpUrl = z
  .url({ protocol: /^https?$/, error: rule("not an http(s) URL", "write e.g. http://minio.internal:9000") })
  .refine((value) => !value.includes("?") && !value.includes("#"), {
    error: rule("has a query or fragment", "give the endpoint's scheme, host and port only"),
  });
const contactUri = z.string().regex(/^(mailto:[^\s@]+@[^\s@]+|xmpp:[^\s]+|https:\/\/[^\s]+)$/, {
  error: rule("not a contact address", "write mailto:someone@example.org, xmpp:someone@example.org or an https:// URL"),
});
const MiB = 1024 * 1024;

const imageRegistry = z.string().regex(/^[a-z0-9.-]+(?::[0-9]{1,5})?(?:\/[a-z0-9._-]+)*$/, {
  error: rule("not a registry address", "write host[:port][/path] in lower case, e.g. ghcr.io/example"),
});

export const PLATFORMS = ["docker", "aws", "kubernetes"] as const;

export const deploymentSpecSchema = modulesSpecSchema.extend({
  /** Where the server runs: "docker" (default, one machine), "aws" or "kubernetes". */
  platform: z.enum(PLATFORMS).default("docker"),
  /** Refuse to delete stateful resources (data and database volumes, databases); set false before tearing a stack down. */
  protectData: z.boolean().default(true),
  /** The XMPP domain: user addresses are user@domain. Required. */
  domain: hostName,
  /** More virtual hosts served by the same server, with the same modules. */
  extraDomains: z.array(hostName).default([]),
  /** Bare JIDs with admin rights on every host. */
  admins: z.array(jid).default([]),
  /** Host names of the components; each defaults to a prefix on the domain. */
  hosts: z
    .strictObject({
      /** The MUC (group chat) component. Default groups.<domain>. */
      groups: hostName.optional(),
      /** The HTTP upload component. Default share.<domain>. */
      share: hostName.optional(),
      /** The SOCKS5 file-transfer proxy (XEP-0065), when the tier loads proxy65. Default proxy.<domain>. */
      proxy: hostName.optional(),
      /** The standalone pubsub service, when modules.add names pubsub. Default pubsub.<domain>. */
      pubsub: hostName.optional(),
    })
    .default({}),
  /** Who may create accounts: "invite-only" (default), "open" (anyone, in-band) or "closed" (admins only). */
  registration: z.enum(["invite-only", "open", "closed"]).default("invite-only"),
  /** Where Prosody keeps its data: "sqlite" (default, on the data volume) or "postgresql". */
  storage: z.enum(["sqlite", "postgresql"]).default("sqlite"),
  database: z
    .strictObject({
      /** PostgreSQL database name. */
      name: z
        .string()
        .regex(/^[a-z_][a-z0-9_]{0,62}$/, {
          error: rule("not a database name", "use lower-case letters, digits and _"),
        })
        .default("prosody"),
      /** PostgreSQL role Prosody logs in as. */
      user: z
        .string()
        .regex(/^[a-z_][a-z0-9_]{0,62}$/, { error: rule("not a role name", "use lower-case letters, digits and _") })
        .default("prosody"),
      /** PostgreSQL port. The host and password reach Prosody through the environment. */
      port: port.default(5432),
    })
    .default({ name: "prosody", user: "prosody", port: 5432 }),
  /** Where uploads (XEP-0363) live: "volume" (default, Prosody's disk) or "s3" (our upload gateway in front of a bucket). */
  uploads: z.enum(["volume", "s3"]).default("volume"),
  upload: z
    .strictObject({
      /** Largest file a user may upload, in bytes. */
      sizeLimit: z
        .number()
        .int()
        .min(1024)
        .max(16 * 1024 * MiB)
        .default(100 * MiB),
      /** Seconds before an upload is deleted. */
      expiresAfter: z
        .number()
        .int()
        .min(3600)
        .max(10 * 365 * 86400)
        .default(7 * 86400),
      /** Bytes one user may upload per day. Default ten times sizeLimit. */
      dailyQuota: z.number().int().min(1024).optional(),
      /** Public base URL of the upload gateway with uploads "s3". Default https://<share host>/. */
      gatewayUrl: httpsUrl.optional(),
      /** Where the gateway keeps uploads "s3". */
      s3: z
        .strictObject({
          /** Bucket name. Default: AWS creates one with a unique name; elsewhere "prosody-uploads". */
          bucket: bucketName.optional(),
          /** Endpoint of an S3-compatible server (MinIO, Ceph, Garage); unset for AWS S3. Its keys are the secrets s3AccessKeyId and s3SecretAccessKey. */
          endpoint: httpUrl.optional(),
          /** Region of the bucket. */
          region: z
            .string()
            .regex(/^[a-z0-9-]{2,32}$/, { error: rule("not a region name", 'write e.g. "eu-central-1"') })
            .default("us-east-1"),
          /** Path-style addressing (endpoint/bucket/key), which most S3-compatible servers need. */
          forcePathStyle: z.boolean().default(false),
          /** "redirect": downloads go to short-lived presigned S3 URLs; "stream": through the gateway. Default redirect, stream with docker.minio. */
          downloads: z.enum(["redirect", "stream"]).optional(),
        })
        .default({ region: "us-east-1", forcePathStyle: false }),
    })
    .default({ sizeLimit: 100 * MiB, expiresAfter: 7 * 86400, s3: { region: "us-east-1", forcePathStyle: false } }),
  archive: z
    .strictObject({
      /** How long message archives (MAM) are kept: "never" (forever), or a number with d, w, m or y. */
      expiresAfter: z
        .string()
        .regex(ARCHIVE_PERIOD, {
          error: rule("not an archive period", 'write "never" or a number with d, w, m or y, e.g. "1w", "1y"'),
        })
        .default("1w"),
    })
    .default({ expiresAfter: "1w" }),
  /** Listening addresses for every port. Default all IPv4 and IPv6 addresses. */
  interfaces: z.array(listenAddress).min(1).default(["*", "::"]),
  ports: z
    .strictObject({
      /** Client connections with STARTTLS. */
      c2s: port.default(5222),
      /** Client connections with direct TLS (XEP-0368). */
      c2sDirectTls: port.default(5223),
      /** Server-to-server federation. */
      s2s: port.default(5269),
      /** Public HTTPS: uploads, BOSH, WebSocket. */
      https: port.default(5281),
      /** Private HTTP for health checks and metrics; never published by a platform. */
      http: port.default(5280),
      /** SOCKS5 proxy for file transfer, when proxy65 loads. */
      proxy65: port.default(5000),
      /** HTTPS port of the upload gateway, with uploads "s3". */
      uploadGateway: port.default(443),
    })
    .default({ c2s: 5222, c2sDirectTls: 5223, s2s: 5269, https: 5281, http: 5280, proxy65: 5000, uploadGateway: 443 }),
  http: z
    .strictObject({
      /** The URL users reach Prosody's HTTP services at, when a proxy sits in front. */
      externalUrl: httpsUrl.optional(),
      /** Addresses of reverse proxies whose X-Forwarded-For Prosody trusts. */
      trustedProxies: z.array(z.union([ipv4, ipv6, cidr])).default([]),
    })
    .default({ trustedProxies: [] }),
  tls: z
    .strictObject({
      /** Require valid certificates from federating servers. Default: the tier's choice (on for enterprise). */
      s2sSecureAuth: z.boolean().optional(),
      /** Where certificates come from: "self-signed" (default, a CA of the stack's own) or "acme" (Let's Encrypt). */
      mode: z.enum(["self-signed", "acme"]).default("self-signed"),
      acme: z
        .strictObject({
          /** Let's Encrypt's "production" directory, or "staging" (untrusted certificates, generous limits) to try a stack out. */
          directory: z.enum(["production", "staging"]).default("production"),
          /** Renew on a `pulumi up --refresh` when fewer days than this remain. */
          renewDaysBefore: z.number().int().min(7).max(60).default(30),
        })
        .default({ directory: "production", renewDaysBefore: 30 }),
    })
    .default({ mode: "self-signed", acme: { directory: "production", renewDaysBefore: 30 } }),
  turn: z
    .strictObject({
      /** A TURN server (e.g. coturn) for audio/video calls; its shared secret comes from the environment. */
      host: hostName.optional(),
      /** TURN port. */
      port: port.default(3478),
      /** Run coturn next to Prosody where the platform can (Docker); false when turn.host is a TURN server you run. */
      coturn: z.boolean().default(true),
    })
    .default({ port: 3478, coturn: true }),
  /** Contact addresses published with XEP-0157 when the admin toggle is on. */
  contact: z
    .strictObject({
      admin: z.array(contactUri).default([]),
      abuse: z.array(contactUri).default([]),
      security: z.array(contactUri).default([]),
      support: z.array(contactUri).default([]),
    })
    .default({ admin: [], abuse: [], security: [], support: [] }),
  limits: z
    .strictObject({
      /** Bandwidth per client connection, e.g. "10kb/s". */
      c2s: z
        .string()
        .regex(RATE, { error: rule("not a rate", 'write a number with b/s, kb/s or mb/s, e.g. "10kb/s"') })
        .default("10kb/s"),
      /** Bandwidth per incoming server connection. */
      s2s: z
        .string()
        .regex(RATE, { error: rule("not a rate", 'write a number with b/s, kb/s or mb/s, e.g. "30kb/s"') })
        .default("30kb/s"),
    })
    .default({ c2s: "10kb/s", s2s: "30kb/s" }),
  /** Who may read the OpenMetrics endpoint on the private HTTP port. */
  metricsAllowCidr: cidr.default("127.0.0.0/8"),
  dns: z
    .strictObject({
      /** Who publishes the records: "none" (default; they become an output and zone-file text) or "route53". */
      provider: z.enum(["none", "route53"]).default("none"),
      /** TTL of every record, in seconds. */
      ttl: z.number().int().min(30).max(86400).default(300),
      /** Public IPv4 addresses of the server, when known up front (otherwise the platform points the records). */
      ipv4: z.array(ipv4).default([]),
      /** Public IPv6 addresses of the server. */
      ipv6: z.array(ipv6).default([]),
      /** The DNS zone (Route53 hosted zone) every host name lives in. Default: the domain. */
      zone: hostName.optional(),
    })
    .default({ provider: "none", ttl: 300, ipv4: [], ipv6: [] }),
  image: z
    .strictObject({
      /** Registry the image is pushed to; without one it is only loaded into the local Docker engine. */
      registry: imageRegistry.optional(),
      /** Repository name of the image inside the registry. */
      repository: z
        .string()
        .regex(/^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/, {
          error: rule("not a repository name", "use lower-case words joined by '.', '_', '-' or '/'"),
        })
        .default("prosody-stack/prosody"),
      /** Rocks-server version of each module the image installs with `prosodyctl install`, e.g. { "log_json": "1" }. */
      rocks: z
        .record(
          z
            .string()
            .regex(/^[a-z0-9_]+$/, { error: rule("not a module name", "write it without mod_, e.g. log_json") }),
          z.string().regex(/^[0-9][0-9a-z.-]{0,31}$/, {
            error: rule("not a rocks version", 'write the version the rocks server lists, e.g. "1"'),
          }),
        )
        .default({}),
    })
    .default({ repository: "prosody-stack/prosody", rocks: {} }),
  docker: z
    .strictObject({
      /** Host address the Docker platform publishes Prosody's public ports on. */
      publishAddress: z.union([ipv4, ipv6]).default("0.0.0.0"),
      /** With uploads "s3" and no upload.s3.endpoint: run a MinIO container as the S3 server. */
      minio: z.boolean().default(false),
    })
    .default({ publishAddress: "0.0.0.0", minio: false }),
  /** Sizes and choices of the AWS platform. */
  aws: awsSpecSchema,
  /** Least severe log level written to the console. */
  logLevel: z.enum(["debug", "info", "warn", "error"]).default("info"),
  paths: z
    .strictObject({
      /** Data folder (SQLite, archives, local uploads). Change it only when running outside our image. */
      data: z
        .string()
        .regex(/^\/[A-Za-z0-9._/-]*$/, {
          error: rule("not an absolute path", "write an absolute path of letters, digits, '.', '_', '-' and '/'"),
        })
        .default("/var/lib/prosody"),
      /** Certificates folder holding <host>.crt and <host>.key. */
      certificates: z
        .string()
        .regex(/^\/[A-Za-z0-9._/-]*$/, {
          error: rule("not an absolute path", "write an absolute path of letters, digits, '.', '_', '-' and '/'"),
        })
        .default("/etc/prosody/certs"),
    })
    .default({ data: "/var/lib/prosody", certificates: "/etc/prosody/certs" }),
});

export type DeploymentSpecInput = z.input<typeof deploymentSpecSchema>;
export type DeploymentSpec = z.output<typeof deploymentSpecSchema>;
