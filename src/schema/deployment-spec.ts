/**
 * The whole ProsodyStack spec: the module selection plus everything the plan
 * needs to describe a server (domains, storage, uploads, ports, TLS, DNS).
 * Each field is declared once: its rule, its default and a one-line doc that
 * says the default. Sections default to `{}` through `.prefault`, so their
 * fields' own defaults apply and are never written twice. The Pulumi program,
 * the component and the CLI all validate with this one schema.
 */
import { z } from "zod";
import { rule } from "../common/problems";
import { bucketName } from "../common/s3-rules";
import { awsSpecSchema } from "./aws-spec";
import {
  absolutePath,
  archivePeriod,
  cidr,
  contactUri,
  hostName,
  httpsUrl,
  httpUrl,
  imageRegistry,
  ipAddress,
  ipOrCidr,
  ipv4,
  ipv6,
  jid,
  listenAddress,
  MiB,
  port,
  rate,
  sqlName,
} from "./fields";
import { modulesSpecSchema } from "./modules-spec";

export { hostName } from "./fields";

export const PLATFORMS = ["docker", "aws", "kubernetes"] as const;

/** Without upload.dailyQuota, one user may upload this many files of the size limit per day. */
export const DAILY_QUOTA_FILES = 10;

export const deploymentSpecSchema = modulesSpecSchema.extend({
  /** Where the server runs: "docker" (one machine), "aws" or "kubernetes". Default "docker". */
  platform: z.enum(PLATFORMS).default("docker"),
  /** Refuse to delete stateful resources (data and database volumes, databases); set false before tearing a stack down. Default true. */
  protectData: z.boolean().default(true),
  /** The XMPP domain: user addresses are user@domain. Required. */
  domain: hostName,
  /** More virtual hosts served by the same server, with the same modules. Default none. */
  extraDomains: z.array(hostName).default([]),
  /** Bare JIDs with admin rights on every host. Default none. */
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
    .prefault({}),
  /** Who may create accounts: "invite-only", "open" (anyone, in-band) or "closed" (admins only). Default "invite-only". */
  registration: z.enum(["invite-only", "open", "closed"]).default("invite-only"),
  /** Where Prosody keeps its data: "sqlite" (on the data volume) or "postgresql". Default "sqlite". */
  storage: z.enum(["sqlite", "postgresql"]).default("sqlite"),
  /** The PostgreSQL database, with storage "postgresql"; its host and password reach Prosody through the environment. */
  database: z
    .strictObject({
      /** PostgreSQL database name. Default "prosody". */
      name: sqlName("database name").default("prosody"),
      /** PostgreSQL role Prosody logs in as. Default "prosody". */
      user: sqlName("role name").default("prosody"),
      /** PostgreSQL port. Default 5432. */
      port: port.default(5432),
    })
    .prefault({}),
  /** Where uploads (XEP-0363) live: "volume" (Prosody's disk) or "s3" (our upload gateway in front of a bucket). Default "volume". */
  uploads: z.enum(["volume", "s3"]).default("volume"),
  /** Limits of http_file_share, and where uploads "s3" go. */
  upload: z
    .strictObject({
      /** Largest file a user may upload, in bytes (1 KiB to 16 GiB). Default 100 MiB. */
      sizeLimit: z
        .number()
        .int()
        .min(1024)
        .max(16 * 1024 * MiB)
        .default(100 * MiB),
      /** Seconds before an upload is deleted (1 hour to 10 years). Default 7 days. */
      expiresAfter: z
        .number()
        .int()
        .min(3600)
        .max(10 * 365 * 86400)
        .default(7 * 86400),
      /** Bytes one user may upload per day. Default DAILY_QUOTA_FILES (10) times sizeLimit. */
      dailyQuota: z.number().int().min(1024).optional(),
      /** Public base URL of the upload gateway with uploads "s3". Default https://<share host>[:ports.uploadGateway]/. */
      gatewayUrl: httpsUrl.optional(),
      /** Where the gateway keeps uploads "s3". */
      s3: z
        .strictObject({
          /** Bucket name. Default: on AWS a created one with a unique name; elsewhere "prosody-uploads". */
          bucket: bucketName.optional(),
          /** Endpoint of an S3-compatible server (MinIO, Ceph, Garage); its keys are the secrets s3AccessKeyId and s3SecretAccessKey. Default none (AWS S3). */
          endpoint: httpUrl.optional(),
          /** Region of the bucket. Default "us-east-1". */
          region: z
            .string()
            .regex(/^[a-z0-9-]{2,32}$/, { error: rule("not a region name", 'write e.g. "eu-central-1"') })
            .default("us-east-1"),
          /** Path-style addressing (endpoint/bucket/key), which most S3-compatible servers need. Default false. */
          forcePathStyle: z.boolean().default(false),
          /** "redirect": downloads go to short-lived presigned S3 URLs; "stream": through the gateway. Default "redirect" ("stream" with docker.minio). */
          downloads: z.enum(["redirect", "stream"]).optional(),
        })
        .prefault({}),
    })
    .prefault({}),
  archive: z
    .strictObject({
      /** How long message archives (MAM) are kept, users' and rooms': "never" (forever), or a number with d, w, m or y. Default "1w". */
      expiresAfter: archivePeriod.default("1w"),
    })
    .prefault({}),
  /** Listening addresses for every port. Default ["*", "::"]: all IPv4 and IPv6 addresses. */
  interfaces: z.array(listenAddress).min(1).default(["*", "::"]),
  ports: z
    .strictObject({
      /** Client connections with STARTTLS. Default 5222. */
      c2s: port.default(5222),
      /** Client connections with direct TLS (XEP-0368). Default 5223. */
      c2sDirectTls: port.default(5223),
      /** Server-to-server federation. Default 5269. */
      s2s: port.default(5269),
      /** Public HTTPS: uploads, BOSH, WebSocket. Default 5281. */
      https: port.default(5281),
      /** Private HTTP for health checks and metrics; never published by a platform. Default 5280. */
      http: port.default(5280),
      /** SOCKS5 proxy for file transfer, when proxy65 loads. Default 5000. */
      proxy65: port.default(5000),
      /** Public HTTPS port of the upload gateway, with uploads "s3". Default 443. */
      uploadGateway: port.default(443),
    })
    .prefault({}),
  http: z
    .strictObject({
      /** The URL users reach Prosody's HTTP services at, when a proxy sits in front. Default none. */
      externalUrl: httpsUrl.optional(),
      /** Addresses or ranges of reverse proxies whose X-Forwarded-For Prosody trusts. Default none. */
      trustedProxies: z.array(ipOrCidr).default([]),
    })
    .prefault({}),
  tls: z
    .strictObject({
      /** Require valid certificates from federating servers. Default: the tier's choice (on for enterprise). */
      s2sSecureAuth: z.boolean().optional(),
      /** Where certificates come from: "self-signed" (a CA of the stack's own) or "acme" (Let's Encrypt). Default "self-signed". */
      mode: z.enum(["self-signed", "acme"]).default("self-signed"),
      acme: z
        .strictObject({
          /** Let's Encrypt's "production" directory, or "staging" (untrusted certificates, generous limits) to try a stack out. Default "production". */
          directory: z.enum(["production", "staging"]).default("production"),
          /** Renew on a `pulumi up --refresh` when fewer days than this remain (7 to 60). Default 30. */
          renewDaysBefore: z.number().int().min(7).max(60).default(30),
        })
        .prefault({}),
    })
    .prefault({}),
  turn: z
    .strictObject({
      /** A TURN server (e.g. coturn) for audio/video calls; its shared secret comes from the environment. Default none. */
      host: hostName.optional(),
      /** TURN port. Default 3478. */
      port: port.default(3478),
      /** Run coturn next to Prosody where the platform can (Docker); false when turn.host is a TURN server you run. Default true. */
      coturn: z.boolean().default(true),
    })
    .prefault({}),
  /** Contact addresses published with XEP-0157 when the admin toggle is on. */
  contact: z
    .strictObject({
      /** Default: every admin as xmpp:<jid>. */
      admin: z.array(contactUri).default([]),
      /** Default none. */
      abuse: z.array(contactUri).default([]),
      /** Default none. */
      security: z.array(contactUri).default([]),
      /** Default none. */
      support: z.array(contactUri).default([]),
    })
    .prefault({}),
  limits: z
    .strictObject({
      /** Bandwidth per client connection, with the security toggle. Default "10kb/s". */
      c2s: rate("10kb/s").default("10kb/s"),
      /** Bandwidth per incoming server connection, with the security toggle. Default "30kb/s". */
      s2s: rate("30kb/s").default("30kb/s"),
    })
    .prefault({}),
  /** Who may read the OpenMetrics endpoint on the private HTTP port. Default "127.0.0.0/8". */
  metricsAllowCidr: cidr.default("127.0.0.0/8"),
  dns: z
    .strictObject({
      /** Who publishes the records: "none" (they become an output and zone-file text) or "route53". Default "none". */
      provider: z.enum(["none", "route53"]).default("none"),
      /** TTL of every record, in seconds (30 to 86400). Default 300. */
      ttl: z.number().int().min(30).max(86400).default(300),
      /** Public IPv4 addresses of the server, when known up front (otherwise the platform points the records). Default none. */
      ipv4: z.array(ipv4).default([]),
      /** Public IPv6 addresses of the server. Default none. */
      ipv6: z.array(ipv6).default([]),
      /** The DNS zone (Route53 hosted zone) every host name lives in. Default: the domain. */
      zone: hostName.optional(),
    })
    .prefault({}),
  image: z
    .strictObject({
      /** Registry the image is pushed to. Default none: the image is only loaded into the local Docker engine. */
      registry: imageRegistry.optional(),
      /** Repository name of the image inside the registry. Default "prosody-stack/prosody". */
      repository: z
        .string()
        .regex(/^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/, {
          error: rule("not a repository name", "use lower-case words joined by '.', '_', '-' or '/'"),
        })
        .default("prosody-stack/prosody"),
      /** Rocks-server version of each module the image installs with `prosodyctl install`, e.g. { "log_json": "1" }. Default none. */
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
    .prefault({}),
  docker: z
    .strictObject({
      /** Host address the Docker platform publishes Prosody's public ports on. Default "0.0.0.0". */
      publishAddress: ipAddress.default("0.0.0.0"),
      /** With uploads "s3" and no upload.s3.endpoint: run a MinIO container as the S3 server. Default false. */
      minio: z.boolean().default(false),
    })
    .prefault({}),
  /** Sizes and choices of the AWS platform. */
  aws: awsSpecSchema,
  /** Least severe log level written to the console. Default "info". */
  logLevel: z.enum(["debug", "info", "warn", "error"]).default("info"),
  paths: z
    .strictObject({
      /** Data folder (SQLite, archives, local uploads); change it only when running outside our image. Default "/var/lib/prosody". */
      data: absolutePath.default("/var/lib/prosody"),
      /** Certificates folder holding <host>.crt and <host>.key. Default "/etc/prosody/certs". */
      certificates: absolutePath.default("/etc/prosody/certs"),
    })
    .prefault({}),
});

export type DeploymentSpecInput = z.input<typeof deploymentSpecSchema>;
export type DeploymentSpec = z.output<typeof deploymentSpecSchema>;
