/**
 * The stack's secrets: which of our containers reads each one, from which
 * variable, which the deployment itself uses (a DNS provider's token, a
 * certificate the user brings), how one is generated when nobody gave it, and
 * what a given one must look like. Only names and rules here; the values live
 * in Pulumi's state (components/stack-secrets.ts).
 */
import type { Problem } from "../../common/problems";
import { ENV } from "../plan/environment";
import type { DeploymentPlan } from "../plan/types";
import { SECRET_KEYS, type SecretKey } from "../schema/pulumi-config";
import { ENCRYPTED_STAND_IN } from "../schema/stack-file";
import { BACKUP_VARIABLES } from "../../backup/src/contract";
import { GATEWAY_VARIABLES } from "../../gateway/src/contract";
import { PROSODY_VARIABLES } from "../../image/contract";
import { RENEWER_VARIABLES } from "../../renewer/src/contract";
import { WATCHDOG_VARIABLES } from "../../watchdog/src/contract";

/**
 * A secret the stack makes itself and nobody sets: the initial passwords of
 * the first admins and of the watchdog's monitoring account, as the
 * "jid password" lines the image's entrypoint reads.
 */
export const ADMIN_ACCOUNTS = "adminAccounts";
/** What a container's secret variable carries: a stack config secret, or one the stack makes itself. */
export type ContainerSecret = SecretKey | typeof ADMIN_ACCOUNTS;

export interface SecretRule {
  /** what it is, for the docs of every language's SDK */
  purpose: string;
  /** the secret's part in child names (a generated value, a secret store entry) */
  part: string;
  /** how a given value must look */
  format: { kind: "token"; minLength: number } | { kind: "pem"; label: string };
  /** characters of a generated value; undefined for a secret the stack never makes up */
  length?: number;
  /** whether the stack may make this secret up itself for this plan */
  generatable: (plan: DeploymentPlan) => boolean;
  /** plans whose deployment uses it itself, whatever the containers read */
  usedByDeployment?: (plan: DeploymentPlan) => boolean;
  /** what to tell someone whose plan needs it and who did not give it, when it cannot be generated */
  whyGiven: string;
}

const always = (): boolean => true;
const never = (): boolean => false;
/** Keys of an S3 server: ours to choose only when the stack runs that server (MinIO). */
const ownS3Server = (plan: DeploymentPlan): boolean => plan.uploads?.bucket?.selfHosted === true;
const S3_KEYS_WHY = "upload.s3.endpoint names an S3 server whose keys only its owner can issue";
const providedCertificate = (plan: DeploymentPlan): boolean => plan.spec.tls.mode === "provided";
const PROVIDED_WHY = 'tls.mode "provided" serves a certificate you bring: its chain and its key';
const token = (minLength: number): SecretRule["format"] => ({ kind: "token", minLength });
const watchdogRuns = (plan: DeploymentPlan): boolean => plan.watchdog !== undefined;
const ROUTE53_KEYS_WHY =
  "the certificate renewer publishes DNS-01 challenges in your Route53 zone with an access key only your AWS account can issue (renewer/README.md has the narrowest policy)";

export const SECRET_RULES: Record<SecretKey, SecretRule> = {
  databasePassword: {
    purpose: "The password of the PostgreSQL role Prosody logs in as.",
    part: "database-password",
    format: token(16),
    length: 32,
    generatable: always,
    whyGiven: "",
  },
  // Prosody signs upload tokens with it, the gateway checks them.
  uploadSecret: {
    purpose: "The key Prosody signs upload tokens with and the upload gateway checks them with.",
    part: "upload-secret",
    format: token(16),
    length: 32,
    generatable: always,
    whyGiven: "",
  },
  turnSecret: {
    purpose: "The secret Prosody shares with the TURN server.",
    part: "turn-secret",
    format: token(16),
    length: 32,
    generatable: always,
    whyGiven: "",
  },
  // MinIO takes access keys of 3-20 and secret keys of 8-40 characters.
  s3AccessKeyId: {
    purpose: "The access key the upload gateway signs S3 requests with, for an S3-compatible server.",
    part: "s3-access-key",
    format: token(3),
    length: 20,
    generatable: ownS3Server,
    whyGiven: S3_KEYS_WHY,
  },
  s3SecretAccessKey: {
    purpose: "The secret of that access key.",
    part: "s3-secret-key",
    format: token(8),
    length: 40,
    generatable: ownS3Server,
    whyGiven: S3_KEYS_WHY,
  },
  backupS3AccessKeyId: {
    purpose: 'The access key the backup runner writes with, for backup.destination "s3" outside AWS.',
    part: "backup-s3-access-key",
    format: token(3),
    generatable: never,
    whyGiven: "backup.s3 names a bucket whose keys only its owner can issue",
  },
  backupS3SecretAccessKey: {
    purpose: "The secret of that access key.",
    part: "backup-s3-secret-key",
    format: token(8),
    generatable: never,
    whyGiven: "backup.s3 names a bucket whose keys only its owner can issue",
  },
  tlsCertificate: {
    purpose:
      'With tls.mode "provided": the PEM certificate chain Prosody serves, leaf first, covering every host name of the stack.',
    part: "tls-certificate",
    format: { kind: "pem", label: "CERTIFICATE" },
    generatable: never,
    usedByDeployment: providedCertificate,
    whyGiven: PROVIDED_WHY,
  },
  tlsPrivateKey: {
    purpose: 'With tls.mode "provided": the PEM private key of that certificate.',
    part: "tls-private-key",
    format: { kind: "pem", label: "PRIVATE KEY" },
    generatable: never,
    usedByDeployment: providedCertificate,
    whyGiven: PROVIDED_WHY,
  },
  cloudflareApiToken: {
    purpose:
      'With dns.provider "cloudflare": an API token with Zone.DNS edit rights on the zone (and Zone read, to find it by name).',
    part: "cloudflare-api-token",
    format: token(20),
    generatable: never,
    usedByDeployment: (plan) => plan.spec.dns.provider === "cloudflare",
    whyGiven: 'dns.provider "cloudflare" publishes records with a token only the zone\'s owner can issue',
  },
  route53AccessKeyId: {
    purpose:
      'With tls.mode "acme" and dns.provider "route53" on Docker: the access key the certificate renewer publishes DNS-01 challenges with.',
    part: "route53-access-key",
    format: token(16),
    generatable: never,
    whyGiven: ROUTE53_KEYS_WHY,
  },
  route53SecretAccessKey: {
    purpose: "The secret of that access key.",
    part: "route53-secret-key",
    format: token(16),
    generatable: never,
    whyGiven: ROUTE53_KEYS_WHY,
  },
  watchdogPassword: {
    purpose:
      "With alerts.watchdog.enabled: the password of the monitoring account (watchdog@<domain>) the watchdog logs in with.",
    part: "watchdog-password",
    format: token(16),
    length: 32,
    generatable: watchdogRuns,
    whyGiven: "",
  },
  alertsWebhookUrl: {
    purpose:
      "With alerts.webhook: the URL the watchdog posts to (an ntfy topic's, with user:token@ when protected; a Slack incoming webhook's).",
    part: "alerts-webhook-url",
    format: token(12),
    generatable: never,
    whyGiven: "alerts.webhook posts to a URL only you have: an ntfy topic's or an incoming webhook's",
  },
  alertsSmtpPassword: {
    purpose: "With alerts.smtp.username: the password of that SMTP login.",
    part: "alerts-smtp-password",
    format: token(1),
    generatable: never,
    whyGiven: "alerts.smtp.username logs in to your SMTP server with a password only you know",
  },
};

/** Prosody's config reads these through ENV_<variable>: which stack secret each variable holds. */
const PROSODY_SECRET_VARIABLES: Readonly<Record<string, SecretKey>> = {
  [ENV.databasePassword]: "databasePassword",
  [ENV.uploadSecret]: "uploadSecret",
  [ENV.turnSecret]: "turnSecret",
};

/** Variable → secret, for every secret the plan's Prosody container reads (its config and its entrypoint). */
export function prosodySecretEnvironment(plan: DeploymentPlan): Record<string, ContainerSecret> {
  const environment: Record<string, ContainerSecret> = {};
  for (const variable of plan.environment.filter((entry) => entry.secret)) {
    const key = PROSODY_SECRET_VARIABLES[variable.name];
    if (key === undefined) throw new Error(`no stack secret feeds Prosody's ${variable.name}`);
    environment[variable.name] = key;
  }
  if (ensuredAccounts(plan).length > 0) environment[PROSODY_VARIABLES.adminAccounts] = ADMIN_ACCOUNTS;
  return environment;
}

/** The accounts the image's entrypoint creates when missing: the first admins and the watchdog's. */
export const ensuredAccounts = (plan: DeploymentPlan): string[] => [
  ...plan.firstAccounts,
  ...(plan.watchdog ? [plan.watchdog.account] : []),
];

/** Variable → stack secret, for every secret the upload gateway reads; empty without a gateway. */
export function gatewaySecretEnvironment(plan: DeploymentPlan): Record<string, SecretKey> {
  const gateway = plan.uploads?.gateway;
  if (!gateway) return {};
  return {
    [GATEWAY_VARIABLES.secret]: "uploadSecret",
    ...(gateway.credentials === "keys"
      ? {
          [GATEWAY_VARIABLES.accessKeyId]: "s3AccessKeyId",
          [GATEWAY_VARIABLES.secretAccessKey]: "s3SecretAccessKey",
        }
      : {}),
  };
}

/** Variable → stack secret, for every secret the backup runner reads; empty without backups. */
export function backupSecretEnvironment(plan: DeploymentPlan): Record<string, SecretKey> {
  const { backup } = plan;
  if (!backup) return {};
  return {
    ...(backup.database === "postgresql" ? { [BACKUP_VARIABLES.pgPassword]: "databasePassword" as const } : {}),
    ...(backup.destination.kind === "s3" && backup.destination.credentials === "keys"
      ? {
          [BACKUP_VARIABLES.accessKeyId]: "backupS3AccessKeyId" as const,
          [BACKUP_VARIABLES.secretAccessKey]: "backupS3SecretAccessKey" as const,
        }
      : {}),
  };
}

/** Variable → stack secret, for every secret the certificate renewer reads; empty without a renewer. */
export function renewerSecretEnvironment(plan: DeploymentPlan): Record<string, SecretKey> {
  const renewer = plan.certificate.renewer;
  if (!renewer || plan.certificate.source !== "renewer") return {};
  if (renewer.credentials === "token") return { [RENEWER_VARIABLES.cloudflareToken]: "cloudflareApiToken" };
  if (renewer.credentials === "keys") {
    return {
      [RENEWER_VARIABLES.accessKeyId]: "route53AccessKeyId",
      [RENEWER_VARIABLES.secretAccessKey]: "route53SecretAccessKey",
    };
  }
  return {};
}

/** Variable → stack secret, for every secret the watchdog reads; empty without a watchdog. */
export function watchdogSecretEnvironment(plan: DeploymentPlan): Record<string, SecretKey> {
  const { watchdog } = plan;
  if (!watchdog) return {};
  // It reads the latest backup's note where the runner writes it, with the runner's keys for a bucket outside AWS.
  const backupKeys = Object.fromEntries(
    Object.entries(backupSecretEnvironment(plan)).filter(([, key]) => key !== "databasePassword"),
  );
  return {
    ...backupKeys,
    [WATCHDOG_VARIABLES.password]: "watchdogPassword",
    ...(watchdog.channels.webhook ? { [WATCHDOG_VARIABLES.webhookUrl]: "alertsWebhookUrl" as const } : {}),
    ...(watchdog.channels.email?.username !== undefined
      ? { [WATCHDOG_VARIABLES.smtpPassword]: "alertsSmtpPassword" as const }
      : {}),
  };
}

/** A container secret's part in child names (its secret store entry). */
export const containerSecretPart = (name: ContainerSecret): string =>
  name === ADMIN_ACCOUNTS ? "admin-accounts" : SECRET_RULES[name].part;

/** The stack config secrets some container of the plan reads, in SECRET_KEYS order. */
export function containerSecretKeys(plan: DeploymentPlan): SecretKey[] {
  const read = new Set<ContainerSecret>([
    ...Object.values(prosodySecretEnvironment(plan)),
    ...Object.values(gatewaySecretEnvironment(plan)),
    ...Object.values(backupSecretEnvironment(plan)),
    ...Object.values(renewerSecretEnvironment(plan)),
    ...Object.values(watchdogSecretEnvironment(plan)),
  ]);
  return SECRET_KEYS.filter((key) => read.has(key));
}

/** Every stack config secret the plan needs (its containers' and its deployment's), and whether it may be generated. */
export function neededSecrets(plan: DeploymentPlan): Map<SecretKey, { generate: boolean }> {
  const read = new Set(containerSecretKeys(plan));
  return new Map(
    SECRET_KEYS.filter((key) => read.has(key) || SECRET_RULES[key].usedByDeployment?.(plan)).map((key) => [
      key,
      { generate: SECRET_RULES[key].generatable(plan) },
    ]),
  );
}

/** The most text a given secret may hold: a long certificate chain fits, a runaway file does not. */
const MAX_PEM_BYTES = 64 * 1024;

/**
 * Secrets from outside end up in files and command lines: what would break them is refused.
 * What stands in for a value `prosody-stack plan` cannot decrypt is left to `pulumi up`, which can.
 */
export function givenSecretProblem(key: SecretKey, value: string): Problem | undefined {
  if (value === ENCRYPTED_STAND_IN) return undefined;
  const { format } = SECRET_RULES[key];
  const refused = (fix: string): Problem => ({
    field: `secrets.${key}`,
    value: "[secret]",
    message: "not a usable secret",
    fix,
  });
  if (format.kind === "token") {
    if (new RegExp(`^[\\x21-\\x7e]{${format.minLength},512}$`).test(value)) return undefined;
    return refused(`give ${format.minLength} to 512 printable ASCII characters, no spaces`);
  }
  const begin = new RegExp(`-----BEGIN (?:[A-Z]+ )?${format.label}-----`);
  if (value.length <= MAX_PEM_BYTES && /^[\x20-\x7e\r\n\t]*$/.test(value) && begin.test(value)) return undefined;
  return refused(`give PEM text (-----BEGIN ${format.label}-----), at most 64 KiB, e.g. the file certbot wrote`);
}
