/**
 * The flat outputs of a ProsodyStack, declared once: their types and docs
 * (ProsodyStackOutputs, which the class takes as its own properties), and how
 * each is computed from the plan, the certificate and what the platform made.
 * Two outputs are secrets, and say so: the first admins' initial passwords and
 * the key that decrypts the backups.
 */
import * as pulumi from "@pulumi/pulumi";
import type { DeploymentPlan, DnsRecord } from "../src/plan/types";
import type { BackupKey } from "./backup-key";
import type { StackCertificate } from "./certificates/contract";
import type { BackupTask } from "./platforms/aws/backup-task";

export interface SuiteSummary {
  suite: string;
  /** the server level of XEP-0479 is met */
  server: boolean;
  advanced: boolean;
  /** requirements of the advanced level (which includes the server level) still missing */
  missing: string[];
}

export interface ProsodyStackOutputs {
  /** The XMPP domain. */
  domain: pulumi.Output<string>;
  /** Every virtual host, the domain first. */
  domains: pulumi.Output<string[]>;
  /** Bare JIDs with admin rights. */
  admins: pulumi.Output<string[]>;
  /**
   * Secret: the initial password of each admin on one of the stack's domains, by JID
   * (`pulumi stack output --show-secrets adminPasswords`). The server creates the account
   * when it is missing and never resets it, so a changed password stays changed.
   */
  adminPasswords: pulumi.Output<Record<string, string>>;
  /** host:port for clients (STARTTLS). */
  clientEndpoint: pulumi.Output<string>;
  /** host:port for clients with direct TLS. */
  directTlsEndpoint: pulumi.Output<string>;
  /** host:port other servers federate with. */
  serverEndpoint: pulumi.Output<string>;
  /** Base URL of Prosody's HTTPS services (BOSH, WebSocket). */
  httpsUrl: pulumi.Output<string>;
  /** Base URL uploads go to, when the plan has an upload component. */
  uploadUrl: pulumi.Output<string | undefined>;
  /** The DNS records to publish (with dns.provider "none", publish them yourself). */
  dnsRecords: pulumi.Output<DnsRecord[]>;
  /** The same records as zone-file text. */
  zoneFile: pulumi.Output<string>;
  /** The generated prosody.cfg.lua (it holds no secret: those are ENV_ references). */
  prosodyConfig: pulumi.Output<string>;
  /** e.g. "34 modules: core 31, community stable 1, beta 2, alpha 0". */
  stabilityProfile: pulumi.Output<string>;
  /** XEP-0479 result per suite. */
  compliance: pulumi.Output<SuiteSummary[]>;
  /** The image the server runs. */
  image: pulumi.Output<string>;
  /** The CA certificate clients must trust (self-signed TLS). */
  caCertificate: pulumi.Output<string | undefined>;
  /** When the served certificate expires (RFC 3339); self-signed renews within its window on `pulumi up`; acme is renewed where the server runs (then this says so, and `prosody-stack check` shows the end), as with cert-manager. */
  certificateExpires: pulumi.Output<string>;
  /** Volume holding Prosody's data (SQLite, archives): a Docker volume, or a Kubernetes claim. */
  dataVolume: pulumi.Output<string | undefined>;
  /** Volume holding uploads, with uploads "volume" (or MinIO's objects): a Docker volume, or a Kubernetes claim. */
  uploadsVolume: pulumi.Output<string | undefined>;
  /** Where Prosody reads its certificates from: a Docker volume, or the Kubernetes TLS Secret. */
  certificatesVolume: pulumi.Output<string | undefined>;
  /** Volume holding PostgreSQL's data, with storage "postgresql" on Docker. */
  databaseVolume: pulumi.Output<string | undefined>;
  /** Where Prosody reaches PostgreSQL, with storage "postgresql". */
  databaseHost: pulumi.Output<string | undefined>;
  /** The load balancer in front of Prosody: its DNS name on AWS, its address (or host name) on Kubernetes. */
  loadBalancer: pulumi.Output<string | undefined>;
  /** The S3 bucket uploads go to, on AWS. */
  uploadBucket: pulumi.Output<string | undefined>;
  /** Security group of Prosody's task, on AWS: let it into services of yours. */
  serverSecurityGroupId: pulumi.Output<string | undefined>;
  /** Where the containers' logs go, on AWS (a CloudWatch log group). */
  logGroup: pulumi.Output<string | undefined>;
  /** Where backups go, with backup.enabled: e.g. "volume prosody-dev-backups" or "s3://bucket". */
  backupDestination: pulumi.Output<string | undefined>;
  /** The stack's own backup recipient (an ssh-ed25519 public key), with backup.enabled. */
  backupRecipient: pulumi.Output<string | undefined>;
  /**
   * Secret: the private key that decrypts the backups, with backup.enabled
   * (`pulumi stack output --show-secrets backupIdentity`). Keep a copy outside the stack:
   * without it, and without a recipient of your own in backup.recipients, no backup can be read.
   */
  backupIdentity: pulumi.Output<string | undefined>;
  /** With backups on AWS: the ECS cluster, the backup task's family, its subnets and security groups, and Prosody's service, for a restore by hand (`prosody-stack restore --task`). */
  backupTask: pulumi.Output<BackupTask | undefined>;
}

/** The outputs a platform gives where it has what they name (a volume, a load balancer, a log group); undefined elsewhere. */
export type PlatformResourceOutputs = {
  [
    K in
      | "certificateExpires"
      | "dataVolume"
      | "uploadsVolume"
      | "certificatesVolume"
      | "databaseVolume"
      | "databaseHost"
      | "loadBalancer"
      | "uploadBucket"
      | "serverSecurityGroupId"
      | "logGroup"
      | "backupDestination"
      | "backupTask"
  ]?: ProsodyStackOutputs[K] extends pulumi.Output<infer T> ? pulumi.Output<NonNullable<T>> : never;
};

export function stackOutputs(
  plan: DeploymentPlan,
  artifacts: Readonly<Record<string, string>>,
  certificate: StackCertificate | undefined,
  deployed: { image: pulumi.Output<string>; resources: PlatformResourceOutputs },
  adminPasswords: Readonly<Record<string, pulumi.Output<string>>>,
  backups?: BackupKey,
): ProsodyStackOutputs {
  const { spec, dns } = plan;
  const uploadUrl =
    plan.uploads?.mode === "s3"
      ? plan.uploads.gateway?.url
      : plan.uploads
        ? `https://${plan.uploads.host}:${spec.ports.https}/`
        : undefined;
  const compliance = plan.resolution.compliance.suites.map((result): SuiteSummary => ({
    suite: result.suite,
    server: result.server.met,
    advanced: result.advanced.met,
    missing: [...new Set([...result.server.missing, ...result.advanced.missing])],
  }));
  const plain = <T>(value: T) => pulumi.output(value);
  const { resources } = deployed;
  return {
    domain: plain(spec.domain),
    domains: plain(plan.domains),
    admins: plain(plan.admins),
    adminPasswords: pulumi.secret(pulumi.output(adminPasswords)),
    clientEndpoint: plain(`${dns.target}:${spec.ports.c2s}`),
    directTlsEndpoint: plain(`${dns.target}:${spec.ports.c2sDirectTls}`),
    serverEndpoint: plain(`${dns.target}:${spec.ports.s2s}`),
    httpsUrl: plain(spec.http.externalUrl ?? `https://${spec.domain}:${spec.ports.https}/`),
    uploadUrl: plain(uploadUrl),
    dnsRecords: plain(dns.records),
    zoneFile: plain(artifacts["dns.zone"] ?? ""),
    prosodyConfig: plain(artifacts["prosody.cfg.lua"] ?? ""),
    stabilityProfile: plain(plan.resolution.profile.summary),
    compliance: plain(compliance),
    image: deployed.image,
    caCertificate: plain(certificate?.caPem),
    certificateExpires:
      certificate?.expires ??
      resources.certificateExpires ??
      (plan.certificate.source === "renewer" ? plain(RENEWED_WHERE_IT_RUNS) : internal("no certificate expiry")),
    dataVolume: plain(resources.dataVolume),
    uploadsVolume: plain(resources.uploadsVolume),
    certificatesVolume: plain(resources.certificatesVolume),
    databaseVolume: plain(resources.databaseVolume),
    databaseHost: plain(resources.databaseHost),
    loadBalancer: plain(resources.loadBalancer),
    uploadBucket: plain(resources.uploadBucket),
    serverSecurityGroupId: plain(resources.serverSecurityGroupId),
    logGroup: plain(resources.logGroup),
    backupDestination: plain(resources.backupDestination),
    backupRecipient: plain(backups?.recipient),
    backupIdentity: pulumi.secret(pulumi.output(backups?.identity)),
    backupTask: plain(resources.backupTask),
  };
}

/** certificateExpires where the renewer keeps the certificate: the component never holds it. */
const RENEWED_WHERE_IT_RUNS = "renewed where the server runs: prosody-stack check shows its end";

const internal = (message: string): never => {
  throw new Error(message);
};
