/** The shape of a deployment plan: everything a platform needs to know about one Prosody server. */
import type { ComponentKind } from "../catalog";
import type { DeploymentSpec } from "../schema/deployment-spec";
import type { Resolution, ResolvedModule } from "./resolve/types";

export interface PlannedComponent {
  kind: ComponentKind;
  host: string;
  /** the module named on the Component line */
  module: string;
  /** further modules loaded on this component */
  modules: ResolvedModule[];
  disabled: string[];
}

export interface Listener {
  name: "c2s" | "c2s_direct_tls" | "s2s" | "https" | "http" | "proxy65";
  port: number;
  /** published to the internet by a platform; the private HTTP port never is */
  public: boolean;
  purpose: string;
}

export interface EnvironmentVariable {
  name: string;
  /** held by the platform's secret store, never in a file or a plain output */
  secret: boolean;
  purpose: string;
}

export type StoragePlan =
  { kind: "sqlite"; file: string } | { kind: "postgresql"; database: string; user: string; port: number };

export interface UploadPlan {
  mode: "volume" | "s3";
  host: string;
  sizeLimit: number;
  dailyQuota: number;
  /** bytes all uploads together may take (http_file_share_global_quota); none: unlimited */
  totalQuota?: number;
  expiresAfter: number;
  /** with mode volume: the folder http_file_share keeps files in (Prosody's data folder for the upload host) */
  folder?: string;
  /** with mode s3: the upload gateway, where http_file_share sends uploaders */
  gateway?: UploadGatewayPlan;
  /** with mode s3: the bucket the gateway writes to */
  bucket?: BucketPlan;
}

export interface UploadGatewayPlan {
  /** public base URL (http_file_share_base_url) */
  url: string;
  /** the port the gateway listens on and is published at */
  port: number;
  downloads: "redirect" | "stream";
  /** "keys": the gateway signs with an access key pair (secrets s3AccessKeyId, s3SecretAccessKey); "platform": with the platform's identity (an IAM role) */
  credentials: "keys" | "platform";
}

export interface BucketPlan {
  /** undefined: the platform creates a bucket with a unique name */
  name?: string;
  /** an S3-compatible server's endpoint; undefined for AWS S3 or the platform's own server */
  endpoint?: string;
  region: string;
  forcePathStyle: boolean;
  /** the platform runs the S3 server itself (docker.minio) */
  selfHosted: boolean;
  /** the lifecycle rule: objects expire after this many whole days, never sooner than Prosody forgets them */
  expiryDays: number;
}

export interface BackupPlan {
  /** five cron fields, UTC */
  schedule: string;
  keep: number;
  destination:
    | { kind: "volume" }
    | {
        kind: "s3";
        /** undefined: the platform creates a bucket (AWS) */
        bucket?: string;
        endpoint?: string;
        region: string;
        forcePathStyle: boolean;
        /** "keys": the secrets backupS3AccessKeyId and backupS3SecretAccessKey; "platform": a role (AWS) */
        credentials: "keys" | "platform";
      };
  database: StoragePlan["kind"];
  /** with SQLite: the live database file, as the containers see it */
  sqliteFile?: string;
  /** with uploads on a volume: the folder http_file_share keeps them in */
  uploadsFolder?: string;
  /** recipients besides the stack's own key */
  recipients: string[];
  specHash: string;
}

export interface DnsRecord {
  /** fully qualified, without the trailing dot */
  name: string;
  type: "A" | "AAAA" | "SRV";
  ttl: number;
  /** SRV: "priority weight port target." */
  value: string;
}

export interface DnsPlan {
  ttl: number;
  records: DnsRecord[];
  /** host names that need A/AAAA (or alias) records pointing at the server */
  addressHosts: string[];
  /** the host SRV records point at */
  target: string;
}

/** Where the served certificate comes from (src/plan/certificates.ts). */
export interface CertificatePlan {
  /** "component": Pulumi makes it; "renewer": issued and renewed where the server runs; "cluster": cert-manager */
  source: "component" | "renewer" | "cluster";
  renewer?: RenewerPlan;
}

/** The certificate renewer: Let's Encrypt over DNS-01, where the server runs. */
export interface RenewerPlan {
  /** the ACME directory's URL */
  directory: string;
  dnsProvider: "route53" | "cloudflare";
  renewDaysBefore: number;
  /** how it reaches the DNS provider: Cloudflare's token, a Route53 access key, or the platform's identity (a role) */
  credentials: "token" | "keys" | "platform";
}

/** The watchdog: `prosody-stack check` from inside the stack, telling what changes. */
export interface WatchdogPlan {
  /** the monitoring account it logs in with, on the primary domain; the stack creates it */
  account: string;
  everySeconds: number;
  allGood: "never" | "daily" | "weekly";
  /** another server's domain to reach over s2s at each check */
  peer?: string;
  channels: {
    webhook?: "ntfy" | "slack";
    email?: { host: string; port: number; from: string; username?: string; to: string[] };
    /** the admins it messages over XMPP */
    xmpp: string[];
  };
}

export interface DeploymentPlan {
  spec: DeploymentSpec;
  /** the virtual hosts, the primary domain first */
  domains: string[];
  admins: string[];
  /** the admins on one of the stack's own domains: the stack creates their accounts when they are missing */
  firstAccounts: string[];
  /** modules for every virtual host (global and host sections) */
  modules: ResolvedModule[];
  /** autoloaded modules switched off on every virtual host */
  disabled: string[];
  components: PlannedComponent[];
  storage: StoragePlan;
  uploads?: UploadPlan;
  backup?: BackupPlan;
  watchdog?: WatchdogPlan;
  listeners: Listener[];
  /** every host name a certificate must cover, the primary domain first */
  certificateNames: string[];
  certificate: CertificatePlan;
  dns: DnsPlan;
  environment: EnvironmentVariable[];
  s2sSecureAuth: boolean;
  turn?: { host: string; port: number };
  webClient?: WebClientPlan;
  resolution: Resolution;
  warnings: string[];
}

/** The web client Prosody serves (spec web.client), and what it is set up with. */
export interface WebClientPlan {
  client: "conversejs";
  /** the path on every virtual host's HTTPS port, without the trailing slash */
  path: string;
  /** the domain users log in to: the page asks for the name alone */
  domain: string;
  /** where rooms are made and looked for */
  mucHost?: string;
  registration: "invite-only" | "open" | "closed";
  /** the connections the page may use: WebSocket first, BOSH when WebSocket fails */
  websocket: boolean;
  bosh: boolean;
}
