/**
 * planDeployment: the resolved, deterministic picture of one Prosody server.
 * Hosts and components, the modules of each, storage, uploads, listeners,
 * certificate names, DNS records, the environment (secrets by name only),
 * the stability profile and the XEP-0479 report. Pure: same spec, same plan.
 */
import type { ComponentKind } from "../catalog";
import { DAILY_QUOTA_FILES, type DeploymentSpec } from "../schema/deployment-spec";
import { type Problem, ProblemError } from "../common/problems";
import { planDns, type DnsPlan } from "./dns";
import { PLATFORM_CAPABILITIES } from "./platform-capabilities";
import { type Resolution, type ResolvedModule, resolveModules } from "./resolve";

/** The spec field naming each component's host, and the prefix of its default name. */
export const COMPONENT_HOSTS: Record<ComponentKind, { field: keyof DeploymentSpec["hosts"]; module: string }> = {
  muc: { field: "groups", module: "muc" },
  upload: { field: "share", module: "http_file_share" },
  proxy65: { field: "proxy", module: "proxy65" },
  pubsub: { field: "pubsub", module: "pubsub" },
};

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

export interface DeploymentPlan {
  spec: DeploymentSpec;
  /** the virtual hosts, the primary domain first */
  domains: string[];
  admins: string[];
  /** modules for every virtual host (global and host sections) */
  modules: ResolvedModule[];
  /** autoloaded modules switched off on every virtual host */
  disabled: string[];
  components: PlannedComponent[];
  storage: StoragePlan;
  uploads?: UploadPlan;
  listeners: Listener[];
  /** every host name a certificate must cover, the primary domain first */
  certificateNames: string[];
  dns: DnsPlan;
  environment: EnvironmentVariable[];
  s2sSecureAuth: boolean;
  turn?: { host: string; port: number };
  resolution: Resolution;
  warnings: string[];
}

export const ENV = {
  databaseHost: "PROSODY_DB_HOST",
  databasePassword: "PROSODY_DB_PASSWORD",
  uploadSecret: "PROSODY_UPLOAD_SECRET",
  turnSecret: "PROSODY_TURN_SECRET",
} as const;

/** Tiers whose servers refuse federation with servers that lack a valid certificate. */
const SECURE_S2S_TIERS: ReadonlySet<DeploymentSpec["tier"]> = new Set(["enterprise"]);

const DAY = 86400;

export function planDeployment(spec: DeploymentSpec): DeploymentPlan {
  const problems: Problem[] = [];
  const domains = [spec.domain, ...spec.extraDomains];

  const resolution = resolveModules(spec, {
    conditions: {
      openRegistration: spec.registration === "open",
      inviteOnlyRegistration: spec.registration === "invite-only",
      externalUploads: spec.uploads === "s3",
    },
    facts: { directTls: true, turn: spec.turn.host !== undefined },
    settingModules: spec.turn.host ? [{ name: "turn_external", reason: "turn.host is set" }] : [],
  });

  const components = planComponents(spec, resolution);
  checkDistinct(
    [
      ...domains.map((name, index) => ({ field: index === 0 ? "domain" : `extraDomains[${index - 1}]`, value: name })),
      ...components.map((component) => ({
        field: `hosts.${COMPONENT_HOSTS[component.kind].field}`,
        value: component.host,
      })),
    ],
    "host name",
    "is already used by another host or component",
    problems,
  );

  const listeners = planListeners(
    spec,
    components.some((component) => component.kind === "proxy65"),
  );
  checkDistinct(
    listeners.map((listener) => ({ field: `ports.${LISTENER_FIELDS[listener.name]}`, value: listener.port })),
    "port",
    "is already taken by another listener",
    problems,
  );

  const uploadComponent = components.find((component) => component.kind === "upload");
  const uploads = uploadComponent ? planUploads(spec, uploadComponent.host) : undefined;
  const gatewayPort = uploads?.gateway?.port;
  const gatewayClash = listeners.find((listener) => listener.public && listener.port === gatewayPort);
  if (gatewayClash) {
    problems.push({
      field: "ports.uploadGateway",
      value: JSON.stringify(gatewayPort),
      message: `this port is already taken by a public listener (ports.${LISTENER_FIELDS[gatewayClash.name]})`,
      fix: "give ports.uploadGateway a port of its own",
    });
  }
  if (!uploadComponent && spec.uploads === "s3") {
    problems.push({
      field: "uploads",
      value: JSON.stringify(spec.uploads),
      message: "uploads go to S3, but http_file_share is removed, so the plan has no upload component",
      fix: 'take http_file_share out of modules.remove, or set uploads to "volume"',
    });
  }
  if (problems.length > 0) throw new ProblemError(problems, "the deployment cannot be planned");

  const hostSections = resolution.sections.filter((section) => section.id === "global" || section.id === "host");
  const certificateNames = [...domains, ...components.map((component) => component.host)];
  const storage: StoragePlan =
    spec.storage === "postgresql"
      ? { kind: "postgresql", database: spec.database.name, user: spec.database.user, port: spec.database.port }
      : { kind: "sqlite", file: "prosody.sqlite" };

  return {
    spec,
    domains,
    admins: [...spec.admins],
    modules: hostSections.flatMap((section) => section.modules),
    disabled: hostSections.flatMap((section) => section.disabled),
    components,
    storage,
    uploads,
    listeners,
    certificateNames,
    dns: planDns(spec, domains, components),
    environment: planEnvironment(spec),
    s2sSecureAuth: spec.tls.s2sSecureAuth ?? SECURE_S2S_TIERS.has(spec.tier),
    turn: spec.turn.host ? { host: spec.turn.host, port: spec.turn.port } : undefined,
    resolution,
    warnings: [...resolution.warnings],
  };
}

function planComponents(spec: DeploymentSpec, resolution: Resolution): PlannedComponent[] {
  const components: PlannedComponent[] = [];
  for (const kind of Object.keys(COMPONENT_HOSTS) as ComponentKind[]) {
    const section = resolution.sections.find((candidate) => candidate.id === kind);
    const { field, module } = COMPONENT_HOSTS[kind];
    if (!section || !section.modules.some((entry) => entry.name === module)) continue;
    components.push({
      kind,
      host: spec.hosts[field] ?? `${field}.${spec.domain}`,
      module,
      modules: section.modules.filter((entry) => entry.name !== module),
      disabled: section.disabled,
    });
  }
  return components;
}

const LISTENER_FIELDS: Record<Listener["name"], keyof DeploymentSpec["ports"]> = {
  c2s: "c2s",
  c2s_direct_tls: "c2sDirectTls",
  s2s: "s2s",
  https: "https",
  http: "http",
  proxy65: "proxy65",
};

function planListeners(spec: DeploymentSpec, proxy65: boolean): Listener[] {
  const listeners: Listener[] = [
    { name: "c2s", port: spec.ports.c2s, public: true, purpose: "client connections, STARTTLS required" },
    { name: "c2s_direct_tls", port: spec.ports.c2sDirectTls, public: true, purpose: "client connections, direct TLS" },
    { name: "s2s", port: spec.ports.s2s, public: true, purpose: "federation with other servers" },
    { name: "https", port: spec.ports.https, public: true, purpose: "uploads and web transports over HTTPS" },
    { name: "http", port: spec.ports.http, public: false, purpose: "health checks and metrics (private)" },
  ];
  if (proxy65) {
    listeners.push({ name: "proxy65", port: spec.ports.proxy65, public: true, purpose: "SOCKS5 file transfer proxy" });
  }
  return listeners;
}

function planUploads(spec: DeploymentSpec, host: string): UploadPlan {
  const base = {
    host,
    sizeLimit: spec.upload.sizeLimit,
    dailyQuota: spec.upload.dailyQuota ?? spec.upload.sizeLimit * DAILY_QUOTA_FILES,
    expiresAfter: spec.upload.expiresAfter,
  };
  if (spec.uploads === "volume") {
    return { mode: "volume", ...base, folder: `${spec.paths.data}/${storeFolderName(host)}/http_file_share` };
  }
  const { s3 } = spec.upload;
  const selfHosted = PLATFORM_CAPABILITIES[spec.platform].s3Server && spec.docker.minio && s3.endpoint === undefined;
  const port = spec.ports.uploadGateway;
  return {
    mode: "s3",
    ...base,
    gateway: {
      url: spec.upload.gatewayUrl ?? `https://${host}${port === 443 ? "" : `:${port}`}/`,
      port,
      // Clients cannot reach a self-hosted S3 server on the private network: bytes go through the gateway.
      downloads: s3.downloads ?? (selfHosted ? "stream" : "redirect"),
      credentials: s3.endpoint !== undefined || selfHosted ? "keys" : "platform",
    },
    bucket: {
      ...(s3.bucket !== undefined || s3.endpoint !== undefined || selfHosted
        ? { name: s3.bucket ?? DEFAULT_BUCKET }
        : {}),
      ...(s3.endpoint !== undefined ? { endpoint: s3.endpoint } : {}),
      region: s3.region,
      forcePathStyle: s3.forcePathStyle || selfHosted,
      selfHosted,
      expiryDays: Math.ceil(spec.upload.expiresAfter / DAY),
    },
  };
}

/** The bucket name where no platform names buckets uniquely for us. */
export const DEFAULT_BUCKET = "prosody-uploads";

/** How Prosody's datamanager names a host's folder: every character but a letter or digit as %xx. */
export const storeFolderName = (host: string): string =>
  host.replace(/[^A-Za-z0-9]/g, (character) => `%${character.charCodeAt(0).toString(16).padStart(2, "0")}`);

function planEnvironment(spec: DeploymentSpec): EnvironmentVariable[] {
  const environment: EnvironmentVariable[] = [];
  if (spec.storage === "postgresql") {
    environment.push(
      { name: ENV.databaseHost, secret: false, purpose: "PostgreSQL host name or address" },
      { name: ENV.databasePassword, secret: true, purpose: `password of the PostgreSQL role ${spec.database.user}` },
    );
  }
  if (spec.uploads === "s3") {
    environment.push({
      name: ENV.uploadSecret,
      secret: true,
      purpose: "HS256 key shared by http_file_share and the upload gateway",
    });
  }
  if (spec.turn.host) {
    environment.push({
      name: ENV.turnSecret,
      secret: true,
      purpose: `secret shared with the TURN server ${spec.turn.host}`,
    });
  }
  return environment;
}

/** Reports every value that appears twice, naming the later field. */
function checkDistinct<T>(
  entries: readonly { field: string; value: T }[],
  what: string,
  clash: string,
  problems: Problem[],
): void {
  const seen = new Map<T, string>();
  for (const { field, value } of entries) {
    const earlier = seen.get(value);
    if (earlier === undefined) {
      seen.set(value, field);
      continue;
    }
    problems.push({
      field,
      value: JSON.stringify(value),
      message: `this ${what} ${clash} (${earlier})`,
      fix: `give ${field} a ${what} of its own`,
    });
  }
}
