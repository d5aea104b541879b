/**
 * The whole ProsodyStack spec: the module selection plus everything the plan
 * needs to describe a server (domains, storage, uploads, ports, TLS, DNS).
 * Each field is declared once: its rule, its default and a one-line doc that
 * says the default. Sections default to `{}` through `.prefault`, so their
 * fields' own defaults apply and are never written twice. The Pulumi program,
 * the component and the CLI all validate with this one schema.
 */
import { z } from "zod";
import { rule } from "../../common/problems";
import { ageRecipient, cronSchedule } from "../../common/backup-rules";
import { bucketName } from "../../common/s3-rules";
import { awsSpecSchema } from "./aws-spec";
import { dnsSubdomain, kubernetesSpecSchema } from "./kubernetes-spec";
import {
  absolutePath,
  archivePeriod,
  cidr,
  contactUri,
  emailAddress,
  hostName,
  httpsUrl,
  httpUrl,
  imageRegistry,
  ipAddress,
  isoDate,
  ipOrCidr,
  ipv4,
  ipv6,
  jid,
  listenAddress,
  MiB,
  optionTable,
  port,
  rate,
  sqlName,
} from "./fields";
import {
  backupDestinationDefaultText,
  PLATFORMS,
  platformChoicesText,
  renewingPlatformsText,
} from "../catalog/platforms";
import { modulesSpecSchema } from "./modules-spec";

export { hostName } from "./fields";

/** Without upload.dailyQuota, one user may upload this many files of the size limit per day. */
export const DAILY_QUOTA_FILES = 10;

/** How often our images may be rebuilt for Debian's updates (src/containers/images.ts). */
export const IMAGE_REFRESH_PERIODS = ["weekly", "monthly", "never"] as const;

/** How an S3 bucket is reached: the same for the uploads' bucket and the backups'. */
const bucketRegion = z
  .string()
  .regex(/^[a-z0-9-]{2,32}$/, { error: rule("not a region name", 'write e.g. "eu-central-1"') })
  .default("us-east-1")
  .meta({ description: "Region of the bucket." });
const bucketPathStyle = z.boolean().default(false).meta({
  description: "Path-style addressing (endpoint/bucket/key), which most S3-compatible servers need.",
});

export const deploymentSpecSchema = modulesSpecSchema.extend({
  platform: z
    .enum(PLATFORMS)
    .default(PLATFORMS[0])
    .meta({ description: `Where the server runs: ${platformChoicesText()}.` }),
  protectData: z.boolean().default(true).meta({
    description:
      "Refuse to delete stateful resources (data and database volumes, databases); set false before tearing a stack down.",
  }),
  domain: hostName.meta({ description: "The XMPP domain: user addresses are user@domain. Required." }),
  extraDomains: z
    .array(hostName)
    .default([])
    .meta({ description: "More virtual hosts served by the same server, with the same modules.", defaultText: "none" }),
  admins: z
    .array(jid)
    .default([])
    .meta({ description: "Bare JIDs with admin rights on every host.", defaultText: "none" }),
  hosts: z
    .strictObject({
      groups: hostName
        .optional()
        .meta({ description: "The MUC (group chat) component.", defaultText: "groups.<domain>" }),
      share: hostName.optional().meta({ description: "The HTTP upload component.", defaultText: "share.<domain>" }),
      proxy: hostName.optional().meta({
        description: "The SOCKS5 file-transfer proxy (XEP-0065), when the tier loads proxy65.",
        defaultText: "proxy.<domain>",
      }),
      pubsub: hostName.optional().meta({
        description: "The standalone pubsub service, when modules.add names pubsub.",
        defaultText: "pubsub.<domain>",
      }),
    })
    .prefault({})
    .meta({ description: "Host names of the components; each defaults to a prefix on the domain." }),
  registration: z.enum(["invite-only", "open", "closed"]).default("invite-only").meta({
    description: 'Who may create accounts: "invite-only", "open" (anyone, in-band) or "closed" (admins only).',
  }),
  storage: z.enum(["sqlite", "postgresql"]).default("sqlite").meta({
    description: 'Where Prosody keeps its data: "sqlite" (on the data volume) or "postgresql".',
  }),
  database: z
    .strictObject({
      name: sqlName("database name").default("prosody").meta({ description: "PostgreSQL database name." }),
      user: sqlName("role name").default("prosody").meta({ description: "PostgreSQL role Prosody logs in as." }),
      port: port.default(5432).meta({ description: "The port PostgreSQL listens on." }),
    })
    .prefault({})
    .meta({
      description:
        'The PostgreSQL database, with storage "postgresql"; its host and password reach Prosody through the environment.',
    }),
  uploads: z.enum(["volume", "s3"]).default("volume").meta({
    description:
      'Where uploads (XEP-0363) live: "volume" (Prosody\'s disk) or "s3" (our upload gateway in front of a bucket).',
  }),
  upload: z
    .strictObject({
      sizeLimit: z
        .number()
        .int()
        .min(1024)
        .max(16 * 1024 * MiB)
        .default(100 * MiB)
        .meta({ description: "Largest file a user may upload, in bytes (1 KiB to 16 GiB).", defaultText: "100 MiB" }),
      expiresAfter: z
        .number()
        .int()
        .min(3600)
        .max(10 * 365 * 86400)
        .default(7 * 86400)
        .meta({ description: "Seconds before an upload is deleted (1 hour to 10 years).", defaultText: "7 days" }),
      dailyQuota: z.number().int().min(1024).optional().meta({
        description: "Bytes one user may upload per day.",
        defaultText: "DAILY_QUOTA_FILES (10) times sizeLimit",
      }),
      totalQuota: z.number().int().min(MiB).optional().meta({
        description:
          'Bytes all uploads together may take, with uploads "volume" on Prosody 13 (http_file_share_global_quota); an alert fires above 90%.',
        defaultText: "none: the volume's size is the limit",
      }),
      gatewayUrl: httpsUrl.optional().meta({
        description: 'Public base URL of the upload gateway with uploads "s3".',
        defaultText: "https://<share host>[:ports.uploadGateway]/",
      }),
      s3: z
        .strictObject({
          bucket: bucketName.optional().meta({
            description: "The bucket uploads are kept in.",
            defaultText: 'on AWS a created one with a unique name; elsewhere "prosody-uploads"',
          }),
          endpoint: httpUrl.optional().meta({
            description:
              "Endpoint of an S3-compatible server (MinIO, Ceph, Garage); its keys are the secrets s3AccessKeyId and s3SecretAccessKey.",
            defaultText: "none (AWS S3)",
          }),
          region: bucketRegion,
          forcePathStyle: bucketPathStyle,
          downloads: z.enum(["redirect", "stream"]).optional().meta({
            description: '"redirect": downloads go to short-lived presigned S3 URLs; "stream": through the gateway.',
            defaultText: '"redirect" ("stream" with docker.minio)',
          }),
        })
        .prefault({})
        .meta({ description: 'Where the gateway keeps uploads "s3".' }),
    })
    .prefault({})
    .meta({ description: 'Limits of http_file_share, and where uploads "s3" go.' }),
  archive: z
    .strictObject({
      expiresAfter: archivePeriod.default("1w").meta({
        description:
          "How long message archives (MAM) are kept, users' and rooms': \"never\" (forever), or a number with d, w, m or y.",
      }),
    })
    .prefault({})
    .meta({ description: "Message archives (MAM), users' and rooms'." }),
  backup: z
    .strictObject({
      enabled: z.boolean().default(false).meta({
        description:
          "Scheduled backups of the database and the uploads volume, encrypted with age before they leave the machine.",
      }),
      schedule: cronSchedule.default("17 3 * * *").meta({
        description: "When backups run: five cron fields (minute hour day month weekday) of numbers, in UTC.",
        defaultText: '"17 3 * * *" (03:17 UTC every day)',
      }),
      keep: z.number().int().min(1).max(1000).default(14).meta({
        description: "Backups kept (1 to 1000); older ones are deleted after each success.",
      }),
      destination: z.enum(["volume", "s3"]).optional().meta({
        description:
          'Where backups go: "volume" (a volume or claim of the stack\'s own, on Docker and Kubernetes) or "s3" (a bucket).',
        defaultText: backupDestinationDefaultText(),
      }),
      s3: z
        .strictObject({
          bucket: bucketName.optional().meta({
            description: "The bucket backups are kept in.",
            defaultText: "on AWS a created one with a unique name; elsewhere required",
          }),
          endpoint: httpUrl.optional().meta({
            description:
              "Endpoint of an S3-compatible server; its keys are the secrets backupS3AccessKeyId and backupS3SecretAccessKey.",
            defaultText: "none (AWS S3)",
          }),
          region: bucketRegion,
          forcePathStyle: bucketPathStyle,
        })
        .prefault({})
        .meta({ description: 'Where backups "s3" go.' }),
      recipients: z.array(ageRecipient).max(16).default([]).meta({
        description:
          "More public keys (age1… or ssh-ed25519 …) that can decrypt every backup, e.g. an admin's offline key.",
        defaultText: "none: the stack's own key (output backupIdentity)",
      }),
    })
    .prefault({})
    .meta({ description: "Scheduled backups, encrypted with age." }),
  interfaces: z.array(listenAddress).min(1).default(["*", "::"]).meta({
    description: "Listening addresses for every port.",
    defaultText: '["*", "::"]: all IPv4 and IPv6 addresses',
  }),
  ports: z
    .strictObject({
      c2s: port.default(5222).meta({ description: "Client connections with STARTTLS." }),
      c2sDirectTls: port.default(5223).meta({ description: "Client connections with direct TLS (XEP-0368)." }),
      s2s: port.default(5269).meta({ description: "Connections from other servers (federation)." }),
      https: port.default(5281).meta({ description: "Public HTTPS: uploads, BOSH, WebSocket." }),
      http: port.default(5280).meta({
        description: "Private HTTP for health checks and metrics; never published by a platform.",
      }),
      proxy65: port.default(5000).meta({ description: "SOCKS5 proxy for file transfer, when proxy65 loads." }),
      uploadGateway: port
        .default(443)
        .meta({ description: 'Public HTTPS port of the upload gateway, with uploads "s3".' }),
    })
    .prefault({})
    .meta({ description: "Prosody's listeners and the upload gateway's public port." }),
  http: z
    .strictObject({
      externalUrl: httpsUrl.optional().meta({
        description: "The URL users reach Prosody's HTTP services at, when a proxy sits in front.",
        defaultText: "none",
      }),
      trustedProxies: z.array(ipOrCidr).default([]).meta({
        description: "Addresses or ranges of reverse proxies whose X-Forwarded-For Prosody trusts.",
        defaultText: "none",
      }),
    })
    .prefault({})
    .meta({ description: "Prosody's HTTP services behind a reverse proxy." }),
  web: z
    .strictObject({
      client: z.enum(["conversejs", "none"]).optional().meta({
        description:
          'The web client Prosody serves at /chat/ on its HTTPS port: "conversejs" (Converse.js, from the image, nothing fetched from a CDN) or "none".',
        defaultText: '"conversejs" wherever the tier serves BOSH and WebSocket (toggle http), "none" elsewhere',
      }),
    })
    .prefault({})
    .meta({ description: "A web client for users with only a browser." }),
  tls: z
    .strictObject({
      s2sSecureAuth: z.boolean().optional().meta({
        description: "Require valid certificates from federating servers.",
        defaultText: "the tier's choice (on for enterprise)",
      }),
      mode: z.enum(["self-signed", "acme", "provided", "cert-manager"]).default("self-signed").meta({
        description:
          'Where certificates come from: "self-signed" (a CA of the stack\'s own), "acme" (Let\'s Encrypt), "provided" (secrets tlsCertificate and tlsPrivateKey) or "cert-manager" (on Kubernetes, from tls.certManager.issuer).',
      }),
      acme: z
        .strictObject({
          directory: z.enum(["production", "staging"]).default("production").meta({
            description:
              'Let\'s Encrypt\'s "production" directory, or "staging" (untrusted certificates, generous limits) to try a stack out.',
          }),
          renewDaysBefore: z
            .number()
            .int()
            .min(7)
            .max(60)
            .default(30)
            .meta({
              description: `Renew when fewer days than this remain (7 to 60): by the certificate renewer where the server runs (${renewingPlatformsText()}), on a \`pulumi up --refresh\` elsewhere.`,
            }),
        })
        .prefault({})
        .meta({ description: "Let's Encrypt, with tls.mode acme." }),
      certManager: z
        .strictObject({
          issuer: dnsSubdomain.optional().meta({
            description: 'The cert-manager issuer that signs the certificate, with tls.mode "cert-manager".',
            defaultText: "none: required with that mode",
          }),
          kind: z.enum(["ClusterIssuer", "Issuer"]).default("ClusterIssuer").meta({
            description: 'Whether the issuer is a "ClusterIssuer" or an "Issuer" in kubernetes.namespace.',
          }),
        })
        .prefault({})
        .meta({ description: 'cert-manager, with tls.mode "cert-manager" on Kubernetes.' }),
    })
    .prefault({})
    .meta({ description: "Certificates and how strictly federation checks them." }),
  turn: z
    .strictObject({
      host: hostName.optional().meta({
        description: "A TURN server (e.g. coturn) for audio/video calls; its shared secret comes from the environment.",
        defaultText: "none",
      }),
      port: port.default(3478).meta({ description: "The port the TURN server listens on." }),
      coturn: z.boolean().default(true).meta({
        description:
          "Run coturn next to Prosody where the platform can (Docker); false when turn.host is a TURN server you run.",
      }),
    })
    .prefault({})
    .meta({ description: "A TURN server for audio and video calls." }),
  alerts: z
    .strictObject({
      email: z.array(emailAddress).default([]).meta({
        description:
          "Addresses told when something breaks: on AWS, email subscriptions of the alarms' SNS topic (each confirms once, from the mail AWS sends); from the watchdog, mail through alerts.smtp.",
        defaultText: "none",
      }),
      smtp: z
        .strictObject({
          host: hostName.meta({ description: "The SMTP server the watchdog sends its mail through." }),
          port: port.default(587).meta({
            description: "Its submission port: 587 upgrades with STARTTLS (required), 465 is TLS from the start.",
          }),
          from: emailAddress.meta({ description: "The sender of the watchdog's mail." }),
          username: z
            .string()
            .regex(/^[\x21-\x7e]{1,256}$/, {
              error: rule("not a user name", "give the SMTP login: printable ASCII, no spaces"),
            })
            .optional()
            .meta({
              description: "The SMTP login; its password is the secret alertsSmtpPassword.",
              defaultText: "none: the server takes mail without a login",
            }),
        })
        .optional()
        .meta({ description: "How the watchdog sends mail to alerts.email.", defaultText: "none: no mail" }),
      webhook: z.enum(["none", "ntfy", "slack"]).default("none").meta({
        description:
          "The watchdog posts its notices to a webhook: \"ntfy\" (ntfy's JSON; the secret alertsWebhookUrl is the topic's URL, with user:token@ for a protected one) or \"slack\" (Slack's, Mattermost's and Discord's /slack JSON; the secret is the incoming webhook's URL).",
      }),
      xmpp: z.boolean().default(true).meta({
        description:
          "The watchdog sends each admin a chat message from its monitoring account, while the server takes logins.",
      }),
      watchdog: z
        .strictObject({
          enabled: z.boolean().default(false).meta({
            description:
              "Run `prosody-stack check` from inside the stack on a schedule, telling alerts' channels what breaks and what recovers, and export the certificate's and the latest backup's times as metrics.",
          }),
          everyMinutes: z.number().int().min(1).max(1440).default(5).meta({
            description: "Minutes between two checks.",
          }),
          allGood: z.enum(["never", "daily", "weekly"]).default("never").meta({
            description: 'Also say "all good" this often when nothing else was told.',
          }),
          peer: hostName.optional().meta({
            description: "Another XMPP server's domain the watchdog asks over server-to-server at each check.",
            defaultText: "none",
          }),
        })
        .prefault({})
        .meta({ description: "A check of the running server from inside the stack, on a schedule." }),
    })
    .prefault({})
    .meta({ description: "Who hears when the server, its certificate or its backups fail." }),
  contact: z
    .strictObject({
      admin: z.array(contactUri).default([]).meta({
        description: "Where to reach the server's administrators (mailto:, xmpp: or https: addresses).",
        defaultText: "every admin as xmpp:<jid>",
      }),
      abuse: z.array(contactUri).default([]).meta({
        description: "Where to report abuse, such as spam sent by this server's users.",
        defaultText: "none",
      }),
      security: z
        .array(contactUri)
        .default([])
        .meta({ description: "Where to report a security problem of this server.", defaultText: "none" }),
      support: z
        .array(contactUri)
        .default([])
        .meta({ description: "Where users of this server get help with their accounts.", defaultText: "none" }),
    })
    .prefault({})
    .meta({ description: "Contact addresses published with XEP-0157 when the admin toggle is on." }),
  limits: z
    .strictObject({
      c2s: rate("10kb/s")
        .default("10kb/s")
        .meta({ description: "Bandwidth per client connection, with the security toggle." }),
      s2s: rate("30kb/s").default("30kb/s").meta({
        description: "Bandwidth per incoming server connection, with the security toggle.",
      }),
    })
    .prefault({})
    .meta({ description: "Bandwidth limits, with the security toggle." }),
  metricsAllowCidr: cidr.default("127.0.0.0/8").meta({
    description:
      "The only network that may read the OpenMetrics endpoint on the private HTTP port (loopback too only when inside it).",
  }),
  dns: z
    .strictObject({
      provider: z.enum(["none", "route53", "cloudflare"]).default("none").meta({
        description:
          'Who publishes the records: "none" (they become an output and zone-file text), "route53" or "cloudflare" (with secret cloudflareApiToken).',
      }),
      ttl: z
        .number()
        .int()
        .min(30)
        .max(86400)
        .default(300)
        .meta({ description: "TTL of every record, in seconds (30 to 86400)." }),
      ipv4: z.array(ipv4).default([]).meta({
        description:
          "Public IPv4 addresses of the server: required with a DNS provider on Docker, otherwise the platform points the records.",
        defaultText: "none",
      }),
      ipv6: z
        .array(ipv6)
        .default([])
        .meta({ description: "Public IPv6 addresses of the server.", defaultText: "none" }),
      zone: hostName.optional().meta({
        description: "The DNS zone (Route53 hosted zone, Cloudflare zone) every host name lives in.",
        defaultText: "the domain",
      }),
    })
    .prefault({})
    .meta({ description: "The DNS records of every host, and who publishes them." }),
  image: z
    .strictObject({
      registry: imageRegistry.optional().meta({
        description: "Registry the image is pushed to.",
        defaultText: "none: the image is only loaded into the local Docker engine",
      }),
      repository: z
        .string()
        .regex(/^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/, {
          error: rule("not a repository name", "use lower-case words joined by '.', '_', '-' or '/'"),
        })
        .default("prosody-stack/prosody")
        .meta({
          description: "Repository name of the image inside the registry.",
        }),
      rocks: z
        .record(
          z
            .string()
            .regex(/^[a-z0-9_]+$/, { error: rule("not a module name", "write it without mod_, e.g. log_json") }),
          z.string().regex(/^[0-9][0-9a-z.-]{0,31}$/, {
            error: rule("not a rocks version", 'write the version the rocks server lists, e.g. "1"'),
          }),
        )
        .default({})
        .meta({
          description:
            'Rocks-server version of each module the image installs with `prosodyctl install`, e.g. { "log_json": "1" }.',
          defaultText: "none",
        }),
      refresh: z.enum(IMAGE_REFRESH_PERIODS).default("weekly").meta({
        description:
          'How often our images take in Debian\'s security updates: the first `pulumi up` of each week or month rebuilds them from fresh packages and replaces the containers, never a volume or a database; "never" rebuilds only when their files change.',
      }),
      hold: isoDate.optional().meta({
        description:
          "Hold the images at the week or month of this date (YYYY-MM-DD): no rebuild for updates until it is removed or moved.",
        defaultText: "none: images follow image.refresh",
      }),
    })
    .prefault({})
    .meta({
      description:
        "Our Prosody image: where it is pushed and which community modules it installs from the rocks server.",
    }),
  docker: z
    .strictObject({
      publishAddress: ipAddress.default("0.0.0.0").meta({
        description: "Host address the Docker platform publishes Prosody's public ports on.",
      }),
      minio: z.boolean().default(false).meta({
        description: 'With uploads "s3" and no upload.s3.endpoint: run a MinIO container as the S3 server.',
      }),
    })
    .prefault({})
    .meta({ description: "Choices of the Docker platform." }),
  aws: awsSpecSchema.meta({ description: "Sizes and choices of the AWS platform." }),
  kubernetes: kubernetesSpecSchema.meta({ description: "Where and how the Kubernetes platform runs the server." }),
  options: z
    .strictObject({
      global: optionTable
        .default({})
        .meta({ description: "Options of the global section, e.g. { c2s_timeout: 300 }.", defaultText: "none" }),
      virtualHosts: z.record(hostName, optionTable).default({}).meta({
        description: "Options of one virtual host, by its name (the domain or one of extraDomains).",
        defaultText: "none",
      }),
      components: z
        .strictObject({
          muc: optionTable.optional().meta({ description: "Options of the MUC component.", defaultText: "none" }),
          upload: optionTable.optional().meta({ description: "Options of the upload component.", defaultText: "none" }),
          proxy65: optionTable
            .optional()
            .meta({ description: "Options of the SOCKS5 proxy component.", defaultText: "none" }),
          pubsub: optionTable.optional().meta({ description: "Options of the pubsub component.", defaultText: "none" }),
        })
        .prefault({})
        .meta({ description: "Options of a component, by its kind." }),
    })
    .prefault({})
    .meta({
      description:
        "Prosody options the spec does not model (a module's own, timeouts), written through the one Lua serializer; options the plan writes itself are refused, naming their spec field.",
    }),
  logLevel: z
    .enum(["debug", "info", "warn", "error"])
    .default("info")
    .meta({ description: "Least severe log level written to the console." }),
  paths: z
    .strictObject({
      data: absolutePath.default("/var/lib/prosody").meta({
        description: "Data folder (SQLite, archives, local uploads); change it only when running outside our image.",
      }),
      certificates: absolutePath.default("/etc/prosody/certs").meta({
        description: "Certificates folder holding <host>.crt and <host>.key.",
      }),
    })
    .prefault({})
    .meta({ description: "Folders inside the Prosody container." }),
});

export type DeploymentSpec = z.output<typeof deploymentSpecSchema>;
