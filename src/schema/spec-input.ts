/**
 * The spec's input types, with each field's doc and default. Generated from the schema by
 * `npm run docs:spec`: never edit by hand. The check at the end fails to compile when this
 * file and the schema disagree.
 */
import type { z } from "zod";
import type { deploymentSpecSchema } from "./deployment-spec";
import type { OptionValue } from "./fields";

export interface DeploymentSpecInput {
  /**
   * Prosody release the server runs: "13" (our image) or "0.12" (Debian bookworm).
   *
   * @default "13"
   */
  prosodyVersion?: "13" | "0.12";
  /**
   * Module tier: "personal", "community" or "enterprise".
   *
   * @default "personal"
   */
  tier?: "personal" | "community" | "enterprise";
  /**
   * Per-toggle overrides of the tier's defaults (security, modern, http, admin, beta, alpha).
   *
   * @default the tier's
   */
  features?: FeaturesInput;
  /**
   * Modules beyond the tier and toggles, and modules taken out of them.
   *
   * @default each field's own default
   */
  modules?: ModulesInput;
  /**
   * Where the server runs: "docker" (one machine), "aws" or "kubernetes".
   *
   * @default "docker"
   */
  platform?: "docker" | "aws" | "kubernetes";
  /**
   * Refuse to delete stateful resources (data and database volumes, databases); set false before tearing a stack down.
   *
   * @default true
   */
  protectData?: boolean;
  /**
   * The XMPP domain: user addresses are user@domain. Required.
   */
  domain: string;
  /**
   * More virtual hosts served by the same server, with the same modules.
   *
   * @default none
   */
  extraDomains?: string[];
  /**
   * Bare JIDs with admin rights on every host.
   *
   * @default none
   */
  admins?: string[];
  /**
   * Host names of the components; each defaults to a prefix on the domain.
   *
   * @default each field's own default
   */
  hosts?: HostsInput;
  /**
   * Who may create accounts: "invite-only", "open" (anyone, in-band) or "closed" (admins only).
   *
   * @default "invite-only"
   */
  registration?: "invite-only" | "open" | "closed";
  /**
   * Where Prosody keeps its data: "sqlite" (on the data volume) or "postgresql".
   *
   * @default "sqlite"
   */
  storage?: "sqlite" | "postgresql";
  /**
   * The PostgreSQL database, with storage "postgresql"; its host and password reach Prosody through the environment.
   *
   * @default each field's own default
   */
  database?: DatabaseInput;
  /**
   * Where uploads (XEP-0363) live: "volume" (Prosody's disk) or "s3" (our upload gateway in front of a bucket).
   *
   * @default "volume"
   */
  uploads?: "volume" | "s3";
  /**
   * Limits of http_file_share, and where uploads "s3" go.
   *
   * @default each field's own default
   */
  upload?: UploadInput;
  /**
   * Message archives (MAM), users' and rooms'.
   *
   * @default each field's own default
   */
  archive?: ArchiveInput;
  /**
   * Scheduled backups, encrypted with age.
   *
   * @default each field's own default
   */
  backup?: BackupInput;
  /**
   * Listening addresses for every port.
   *
   * @default ["*", "::"]: all IPv4 and IPv6 addresses
   */
  interfaces?: string[];
  /**
   * Prosody's listeners and the upload gateway's public port.
   *
   * @default each field's own default
   */
  ports?: PortsInput;
  /**
   * Prosody's HTTP services behind a reverse proxy.
   *
   * @default each field's own default
   */
  http?: HttpInput;
  /**
   * A web client for users with only a browser.
   *
   * @default each field's own default
   */
  web?: WebInput;
  /**
   * Certificates and how strictly federation checks them.
   *
   * @default each field's own default
   */
  tls?: TlsInput;
  /**
   * A TURN server for audio and video calls.
   *
   * @default each field's own default
   */
  turn?: TurnInput;
  /**
   * Contact addresses published with XEP-0157 when the admin toggle is on.
   *
   * @default each field's own default
   */
  contact?: ContactInput;
  /**
   * Bandwidth limits, with the security toggle.
   *
   * @default each field's own default
   */
  limits?: LimitsInput;
  /**
   * Who may read the OpenMetrics endpoint on the private HTTP port.
   *
   * @default "127.0.0.0/8"
   */
  metricsAllowCidr?: string;
  /**
   * The DNS records of every host, and who publishes them.
   *
   * @default each field's own default
   */
  dns?: DnsInput;
  /**
   * Our Prosody image: where it is pushed and which community modules it installs from the rocks server.
   *
   * @default each field's own default
   */
  image?: ImageInput;
  /**
   * Choices of the Docker platform.
   *
   * @default each field's own default
   */
  docker?: DockerInput;
  /**
   * Sizes and choices of the AWS platform.
   *
   * @default each field's own default
   */
  aws?: AwsInput;
  /**
   * Where and how the Kubernetes platform runs the server.
   *
   * @default each field's own default
   */
  kubernetes?: KubernetesInput;
  /**
   * Prosody options the spec does not model (a module's own, timeouts), written through the one Lua serializer; options the plan writes itself are refused, naming their spec field.
   *
   * @default each field's own default
   */
  options?: OptionsInput;
  /**
   * Least severe log level written to the console.
   *
   * @default "info"
   */
  logLevel?: "debug" | "info" | "warn" | "error";
  /**
   * Folders inside the Prosody container.
   *
   * @default each field's own default
   */
  paths?: PathsInput;
}

export interface FeaturesInput {
  /**
   * Toggle security: anti-abuse: bandwidth limits, reserved names of deleted accounts, failed-login logging, spam reports, moderation.
   *
   * @default the tier's
   */
  security?: boolean;
  /**
   * Toggle modern: what current clients expect: history, carbons, stream management, CSI, bookmarks, push, SASL2/FAST.
   *
   * @default the tier's
   */
  modern?: boolean;
  /**
   * Toggle http: web clients: BOSH, WebSocket and their discovery.
   *
   * @default the tier's
   */
  http?: boolean;
  /**
   * Toggle admin: operators: announcements, contact addresses, the OpenMetrics endpoint.
   *
   * @default the tier's
   */
  admin?: boolean;
  /**
   * Toggle beta: allow community modules labelled Beta.
   *
   * @default the tier's
   */
  beta?: boolean;
  /**
   * Toggle alpha: allow community modules labelled Alpha or unlabelled.
   *
   * @default the tier's
   */
  alpha?: boolean;
}

export interface ModulesInput {
  /**
   * Modules to add, as `name` or `name@placement`. Beta and alpha modules named here are allowed with a warning.
   *
   * @default none
   */
  add?: string[];
  /**
   * Modules to remove from what the tier and toggles bring. Autoloaded ones go to modules_disabled.
   *
   * @default none
   */
  remove?: string[];
}

export interface HostsInput {
  /**
   * The MUC (group chat) component.
   *
   * @default groups.<domain>
   */
  groups?: string;
  /**
   * The HTTP upload component.
   *
   * @default share.<domain>
   */
  share?: string;
  /**
   * The SOCKS5 file-transfer proxy (XEP-0065), when the tier loads proxy65.
   *
   * @default proxy.<domain>
   */
  proxy?: string;
  /**
   * The standalone pubsub service, when modules.add names pubsub.
   *
   * @default pubsub.<domain>
   */
  pubsub?: string;
}

export interface DatabaseInput {
  /**
   * PostgreSQL database name.
   *
   * @default "prosody"
   */
  name?: string;
  /**
   * PostgreSQL role Prosody logs in as.
   *
   * @default "prosody"
   */
  user?: string;
  /**
   * PostgreSQL port.
   *
   * @default 5432
   */
  port?: number;
}

export interface UploadInput {
  /**
   * Largest file a user may upload, in bytes (1 KiB to 16 GiB).
   *
   * @default 100 MiB
   */
  sizeLimit?: number;
  /**
   * Seconds before an upload is deleted (1 hour to 10 years).
   *
   * @default 7 days
   */
  expiresAfter?: number;
  /**
   * Bytes one user may upload per day.
   *
   * @default DAILY_QUOTA_FILES (10) times sizeLimit
   */
  dailyQuota?: number;
  /**
   * Public base URL of the upload gateway with uploads "s3".
   *
   * @default https://<share host>[:ports.uploadGateway]/
   */
  gatewayUrl?: string;
  /**
   * Where the gateway keeps uploads "s3".
   *
   * @default each field's own default
   */
  s3?: UploadS3Input;
}

export interface UploadS3Input {
  /**
   * Bucket name.
   *
   * @default on AWS a created one with a unique name; elsewhere "prosody-uploads"
   */
  bucket?: string;
  /**
   * Endpoint of an S3-compatible server (MinIO, Ceph, Garage); its keys are the secrets s3AccessKeyId and s3SecretAccessKey.
   *
   * @default none (AWS S3)
   */
  endpoint?: string;
  /**
   * Region of the bucket.
   *
   * @default "us-east-1"
   */
  region?: string;
  /**
   * Path-style addressing (endpoint/bucket/key), which most S3-compatible servers need.
   *
   * @default false
   */
  forcePathStyle?: boolean;
  /**
   * "redirect": downloads go to short-lived presigned S3 URLs; "stream": through the gateway.
   *
   * @default "redirect" ("stream" with docker.minio)
   */
  downloads?: "redirect" | "stream";
}

export interface ArchiveInput {
  /**
   * How long message archives (MAM) are kept, users' and rooms': "never" (forever), or a number with d, w, m or y.
   *
   * @default "1w"
   */
  expiresAfter?: string;
}

export interface BackupInput {
  /**
   * Scheduled backups of the database and the uploads volume, encrypted with age before they leave the machine.
   *
   * @default false
   */
  enabled?: boolean;
  /**
   * When backups run: five cron fields (minute hour day month weekday) of numbers, in UTC.
   *
   * @default "17 3 * * *" (03:17 UTC every day)
   */
  schedule?: string;
  /**
   * Backups kept (1 to 1000); older ones are deleted after each success.
   *
   * @default 14
   */
  keep?: number;
  /**
   * Where backups go: "volume" (a volume or claim of the stack's own, on Docker and Kubernetes) or "s3" (a bucket).
   *
   * @default "s3" on AWS, "volume" elsewhere
   */
  destination?: "volume" | "s3";
  /**
   * Where backups "s3" go.
   *
   * @default each field's own default
   */
  s3?: BackupS3Input;
  /**
   * More public keys (age1… or ssh-ed25519 …) that can decrypt every backup, e.g. an admin's offline key.
   *
   * @default none: the stack's own key (output backupIdentity)
   */
  recipients?: string[];
}

export interface BackupS3Input {
  /**
   * Bucket name.
   *
   * @default on AWS a created one with a unique name; elsewhere required
   */
  bucket?: string;
  /**
   * Endpoint of an S3-compatible server; its keys are the secrets backupS3AccessKeyId and backupS3SecretAccessKey.
   *
   * @default none (AWS S3)
   */
  endpoint?: string;
  /**
   * Region of the bucket.
   *
   * @default "us-east-1"
   */
  region?: string;
  /**
   * Path-style addressing (endpoint/bucket/key), which most S3-compatible servers need.
   *
   * @default false
   */
  forcePathStyle?: boolean;
}

export interface PortsInput {
  /**
   * Client connections with STARTTLS.
   *
   * @default 5222
   */
  c2s?: number;
  /**
   * Client connections with direct TLS (XEP-0368).
   *
   * @default 5223
   */
  c2sDirectTls?: number;
  /**
   * Server-to-server federation.
   *
   * @default 5269
   */
  s2s?: number;
  /**
   * Public HTTPS: uploads, BOSH, WebSocket.
   *
   * @default 5281
   */
  https?: number;
  /**
   * Private HTTP for health checks and metrics; never published by a platform.
   *
   * @default 5280
   */
  http?: number;
  /**
   * SOCKS5 proxy for file transfer, when proxy65 loads.
   *
   * @default 5000
   */
  proxy65?: number;
  /**
   * Public HTTPS port of the upload gateway, with uploads "s3".
   *
   * @default 443
   */
  uploadGateway?: number;
}

export interface HttpInput {
  /**
   * The URL users reach Prosody's HTTP services at, when a proxy sits in front.
   *
   * @default none
   */
  externalUrl?: string;
  /**
   * Addresses or ranges of reverse proxies whose X-Forwarded-For Prosody trusts.
   *
   * @default none
   */
  trustedProxies?: string[];
}

export interface WebInput {
  /**
   * The web client Prosody serves at /chat/ on its HTTPS port: "conversejs" (Converse.js, from the image, nothing fetched from a CDN) or "none".
   *
   * @default "conversejs" wherever the tier serves BOSH and WebSocket (toggle http), "none" elsewhere
   */
  client?: "conversejs" | "none";
}

export interface TlsInput {
  /**
   * Require valid certificates from federating servers.
   *
   * @default the tier's choice (on for enterprise)
   */
  s2sSecureAuth?: boolean;
  /**
   * Where certificates come from: "self-signed" (a CA of the stack's own), "acme" (Let's Encrypt), "provided" (secrets tlsCertificate and tlsPrivateKey) or "cert-manager" (on Kubernetes, from tls.certManager.issuer).
   *
   * @default "self-signed"
   */
  mode?: "self-signed" | "acme" | "provided" | "cert-manager";
  /**
   * Let's Encrypt, with tls.mode acme.
   *
   * @default each field's own default
   */
  acme?: TlsAcmeInput;
  /**
   * cert-manager, with tls.mode "cert-manager" on Kubernetes.
   *
   * @default each field's own default
   */
  certManager?: TlsCertManagerInput;
}

export interface TlsAcmeInput {
  /**
   * Let's Encrypt's "production" directory, or "staging" (untrusted certificates, generous limits) to try a stack out.
   *
   * @default "production"
   */
  directory?: "production" | "staging";
  /**
   * Renew on a `pulumi up --refresh` when fewer days than this remain (7 to 60).
   *
   * @default 30
   */
  renewDaysBefore?: number;
}

export interface TlsCertManagerInput {
  /**
   * The cert-manager issuer that signs the certificate, with tls.mode "cert-manager".
   *
   * @default none: required with that mode
   */
  issuer?: string;
  /**
   * Whether the issuer is a "ClusterIssuer" or an "Issuer" in kubernetes.namespace.
   *
   * @default "ClusterIssuer"
   */
  kind?: "ClusterIssuer" | "Issuer";
}

export interface TurnInput {
  /**
   * A TURN server (e.g. coturn) for audio/video calls; its shared secret comes from the environment.
   *
   * @default none
   */
  host?: string;
  /**
   * TURN port.
   *
   * @default 3478
   */
  port?: number;
  /**
   * Run coturn next to Prosody where the platform can (Docker); false when turn.host is a TURN server you run.
   *
   * @default true
   */
  coturn?: boolean;
}

export interface ContactInput {
  /**
   * .
   *
   * @default every admin as xmpp:<jid>
   */
  admin?: string[];
  /**
   * .
   *
   * @default none
   */
  abuse?: string[];
  /**
   * .
   *
   * @default none
   */
  security?: string[];
  /**
   * .
   *
   * @default none
   */
  support?: string[];
}

export interface LimitsInput {
  /**
   * Bandwidth per client connection, with the security toggle.
   *
   * @default "10kb/s"
   */
  c2s?: string;
  /**
   * Bandwidth per incoming server connection, with the security toggle.
   *
   * @default "30kb/s"
   */
  s2s?: string;
}

export interface DnsInput {
  /**
   * Who publishes the records: "none" (they become an output and zone-file text), "route53" or "cloudflare" (with secret cloudflareApiToken).
   *
   * @default "none"
   */
  provider?: "none" | "route53" | "cloudflare";
  /**
   * TTL of every record, in seconds (30 to 86400).
   *
   * @default 300
   */
  ttl?: number;
  /**
   * Public IPv4 addresses of the server: required with a DNS provider on Docker, otherwise the platform points the records.
   *
   * @default none
   */
  ipv4?: string[];
  /**
   * Public IPv6 addresses of the server.
   *
   * @default none
   */
  ipv6?: string[];
  /**
   * The DNS zone (Route53 hosted zone, Cloudflare zone) every host name lives in.
   *
   * @default the domain
   */
  zone?: string;
}

export interface ImageInput {
  /**
   * Registry the image is pushed to.
   *
   * @default none: the image is only loaded into the local Docker engine
   */
  registry?: string;
  /**
   * Repository name of the image inside the registry.
   *
   * @default "prosody-stack/prosody"
   */
  repository?: string;
  /**
   * Rocks-server version of each module the image installs with `prosodyctl install`, e.g. { "log_json": "1" }.
   *
   * @default none
   */
  rocks?: Record<string, string>;
}

export interface DockerInput {
  /**
   * Host address the Docker platform publishes Prosody's public ports on.
   *
   * @default "0.0.0.0"
   */
  publishAddress?: string;
  /**
   * With uploads "s3" and no upload.s3.endpoint: run a MinIO container as the S3 server.
   *
   * @default false
   */
  minio?: boolean;
}

export interface AwsInput {
  /**
   * Availability zones a new VPC spans: its public and private subnets, and the database's standby (2 or 3).
   *
   * @default 2
   */
  zones?: number;
  /**
   * Address range of a new VPC (IPv4, /16 to /24).
   *
   * @default "10.0.0.0/16"
   */
  vpcCidr?: string;
  /**
   * NAT gateways of a new VPC: "single" (cheapest) or "per-zone" (outbound traffic survives a zone outage).
   *
   * @default "single"
   */
  natGateways?: "single" | "per-zone";
  /**
   * The Prosody task's size.
   *
   * @default 512 CPU units, 1024 MiB
   */
  server?: AwsServerInput;
  /**
   * The upload gateway's task size.
   *
   * @default 256 CPU units, 512 MiB
   */
  gateway?: AwsGatewayInput;
  /**
   * The backup task's size, with backup.enabled.
   *
   * @default 256 CPU units, 512 MiB
   */
  backup?: AwsBackupInput;
  /**
   * Days CloudWatch keeps the containers' logs.
   *
   * @default 30
   */
  logRetentionDays?: number;
  /**
   * The RDS PostgreSQL instance.
   *
   * @default each field's own default
   */
  database?: AwsDatabaseInput;
}

export interface AwsServerInput {
  /**
   * CPU units of the task (1024 = one vCPU).
   *
   * @default 512 for the server, 256 for the gateway and the backup task
   */
  cpu?: 256 | 512 | 1024 | 2048 | 4096;
  /**
   * Memory of the task in MiB; Fargate allows only certain sizes per CPU size.
   *
   * @default 1024 for the server, 512 for the gateway and the backup task
   */
  memory?: number;
}

export interface AwsGatewayInput {
  /**
   * CPU units of the task (1024 = one vCPU).
   *
   * @default 512 for the server, 256 for the gateway and the backup task
   */
  cpu?: 256 | 512 | 1024 | 2048 | 4096;
  /**
   * Memory of the task in MiB; Fargate allows only certain sizes per CPU size.
   *
   * @default 1024 for the server, 512 for the gateway and the backup task
   */
  memory?: number;
}

export interface AwsBackupInput {
  /**
   * CPU units of the task (1024 = one vCPU).
   *
   * @default 512 for the server, 256 for the gateway and the backup task
   */
  cpu?: 256 | 512 | 1024 | 2048 | 4096;
  /**
   * Memory of the task in MiB; Fargate allows only certain sizes per CPU size.
   *
   * @default 1024 for the server, 512 for the gateway and the backup task
   */
  memory?: number;
}

export interface AwsDatabaseInput {
  /**
   * RDS instance class.
   *
   * @default "db.t4g.micro"
   */
  instanceClass?: string;
  /**
   * Allocated storage in GiB.
   *
   * @default 20
   */
  storageGb?: number;
  /**
   * RDS grows the storage up to this many GiB when it fills.
   *
   * @default 100
   */
  maxStorageGb?: number;
  /**
   * PostgreSQL major version; RDS applies minor versions in the maintenance window.
   *
   * @default "17"
   */
  engineVersion?: string;
  /**
   * A standby in a second zone that RDS fails over to (doubles the database's cost).
   *
   * @default false
   */
  multiAz?: boolean;
  /**
   * Days of automatic backups (point-in-time recovery) RDS keeps (1 to 35).
   *
   * @default 7
   */
  backupRetentionDays?: number;
}

export interface KubernetesInput {
  /**
   * The kubeconfig context the component deploys to through a provider of its own; a program of yours passes its provider in opts.providers.kubernetes instead.
   *
   * @default none: opts.providers.kubernetes is required
   */
  context?: string;
  /**
   * Namespace every namespaced child goes to.
   *
   * @default "prosody"
   */
  namespace?: string;
  /**
   * Create the namespace; false when it exists already (yours, with its own quotas and policies).
   *
   * @default true
   */
  createNamespace?: boolean;
  /**
   * Storage class of the data and uploads volumes.
   *
   * @default the cluster's default storage class
   */
  storageClass?: string;
  /**
   * Size of the data volume (SQLite, archives, uploads on the volume).
   *
   * @default "10Gi"
   */
  dataSize?: string;
  /**
   * Size of the uploads volume, with uploads "volume".
   *
   * @default "20Gi"
   */
  uploadsSize?: string;
  /**
   * Size of the backups volume, with backup.destination "volume".
   *
   * @default "20Gi"
   */
  backupsSize?: string;
  /**
   * The public Services of Prosody and the upload gateway.
   *
   * @default each field's own default
   */
  service?: KubernetesServiceInput;
  /**
   * An Ingress in front of Prosody's HTTP services.
   *
   * @default each field's own default
   */
  ingress?: KubernetesIngressInput;
  /**
   * Namespaces whose pods may reach Prosody's private HTTP port (your ingress controller's, Prometheus'); nothing else may.
   *
   * @default none
   */
  privateHttpFrom?: string[];
  /**
   * The Prosody container's resources.
   *
   * @default "250m", "512Mi"
   */
  server?: KubernetesServerInput;
  /**
   * The upload gateway container's resources.
   *
   * @default "100m", "256Mi"
   */
  gateway?: KubernetesGatewayInput;
  /**
   * The backup runner's resources, with backup.enabled.
   *
   * @default "100m", "256Mi"
   */
  backup?: KubernetesBackupInput;
  /**
   * With storage "postgresql" and no existing.kubernetes.database: a CloudNativePG Cluster (the operator must be installed).
   *
   * @default each field's own default
   */
  postgres?: KubernetesPostgresInput;
  /**
   * Secrets in the namespace the kubelet pulls our images from image.registry with.
   *
   * @default none (a public registry, or nodes that may pull)
   */
  imagePullSecrets?: string[];
}

export interface KubernetesServiceInput {
  /**
   * How the public listeners are exposed: "LoadBalancer" (the cluster gives an address) or "NodePort" (every node's address; name them in dns.ipv4).
   *
   * @default "LoadBalancer"
   */
  type?: "LoadBalancer" | "NodePort";
  /**
   * The load balancer implementation to use, when the cluster has several.
   *
   * @default the cluster's default
   */
  loadBalancerClass?: string;
  /**
   * "Local" keeps each client's own address (Prosody's limits and logs see it); "Cluster" spreads traffic over every node.
   *
   * @default "Local"
   */
  externalTrafficPolicy?: "Local" | "Cluster";
  /**
   * Annotations of the public Services, e.g. a cloud's load balancer settings.
   *
   * @default none
   */
  annotations?: Record<string, string>;
  /**
   * Do not wait for the load balancer's address (clusters without one, e.g. kind); DNS records then cannot point at it.
   *
   * @default false
   */
  skipAwait?: boolean;
}

export interface KubernetesIngressInput {
  /**
   * Ingress class of an Ingress for Prosody's HTTPS services (BOSH, WebSocket, host-meta, uploads); none without it.
   *
   * @default none: HTTPS goes through the public Service on ports.https
   */
  className?: string;
  /**
   * More annotations of the Ingress (your controller's own settings).
   *
   * @default none
   */
  annotations?: Record<string, string>;
}

export interface KubernetesServerInput {
  /**
   * CPU the container is guaranteed (its request); it may use more when the node has it.
   *
   * @default "250m" for the server, "100m" for the gateway
   */
  cpu?: string;
  /**
   * Memory the container requests and may not exceed (its request and limit).
   *
   * @default "512Mi" for the server, "256Mi" for the gateway
   */
  memory?: string;
}

export interface KubernetesGatewayInput {
  /**
   * CPU the container is guaranteed (its request); it may use more when the node has it.
   *
   * @default "250m" for the server, "100m" for the gateway
   */
  cpu?: string;
  /**
   * Memory the container requests and may not exceed (its request and limit).
   *
   * @default "512Mi" for the server, "256Mi" for the gateway
   */
  memory?: string;
}

export interface KubernetesBackupInput {
  /**
   * CPU the container is guaranteed (its request); it may use more when the node has it.
   *
   * @default "250m" for the server, "100m" for the gateway
   */
  cpu?: string;
  /**
   * Memory the container requests and may not exceed (its request and limit).
   *
   * @default "512Mi" for the server, "256Mi" for the gateway
   */
  memory?: string;
}

export interface KubernetesPostgresInput {
  /**
   * PostgreSQL instances of the CloudNativePG cluster (more than one: streaming replicas).
   *
   * @default 1
   */
  instances?: number;
  /**
   * Volume size of each PostgreSQL instance.
   *
   * @default "10Gi"
   */
  size?: string;
}

export interface OptionsInput {
  /**
   * Options of the global section, e.g. { c2s_timeout: 300 }.
   *
   * @default none
   */
  global?: Record<string, OptionValue>;
  /**
   * Options of one virtual host, by its name (the domain or one of extraDomains).
   *
   * @default none
   */
  virtualHosts?: Record<string, Record<string, OptionValue>>;
  /**
   * Options of a component, by its kind.
   *
   * @default each field's own default
   */
  components?: OptionsComponentsInput;
}

export interface OptionsComponentsInput {
  /**
   * Options of the MUC component.
   *
   * @default none
   */
  muc?: Record<string, OptionValue>;
  /**
   * Options of the upload component.
   *
   * @default none
   */
  upload?: Record<string, OptionValue>;
  /**
   * Options of the SOCKS5 proxy component.
   *
   * @default none
   */
  proxy65?: Record<string, OptionValue>;
  /**
   * Options of the pubsub component.
   *
   * @default none
   */
  pubsub?: Record<string, OptionValue>;
}

export interface PathsInput {
  /**
   * Data folder (SQLite, archives, local uploads); change it only when running outside our image.
   *
   * @default "/var/lib/prosody"
   */
  data?: string;
  /**
   * Certificates folder holding <host>.crt and <host>.key.
   *
   * @default "/etc/prosody/certs"
   */
  certificates?: string;
}

type Exact<A, B> = [A] extends [B]
  ? [B] extends [A]
    ? [keyof A] extends [keyof B]
      ? [keyof B] extends [keyof A]
        ? true
        : never
      : never
    : never
  : never;
/** Compiles only while these types are exactly what the schema accepts. */
export const SPEC_INPUT_MATCHES_SCHEMA: Exact<DeploymentSpecInput, z.input<typeof deploymentSpecSchema>> = true;
