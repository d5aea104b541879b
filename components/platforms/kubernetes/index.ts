/**
 * The Kubernetes platform: one Prosody in the caller's cluster. Each part is
 * a function in this folder; this file wires them together:
 * - cluster.ts: the caller's provider (or one for kubernetes.context) and the namespace;
 * - tls.ts: the certificate as a TLS Secret (cert-manager's, or the component's);
 * - postgres.ts: a CloudNativePG cluster, or the caller's server;
 * - workloads.ts and pod.ts: claims, ConfigMaps, env Secrets and Deployments,
 *   from the container descriptions;
 * - traffic.ts: Services, the optional Ingress and the NetworkPolicies;
 * - monitoring.ts: prometheus-operator's ServiceMonitor and PrometheusRule, opt-in;
 * - backups as a CronJob next to Prosody (workloads.ts' scheduledJob).
 * Certificates by other modes and DNS records are the component's
 * (components/certificates, components/dns): the public Services' addresses
 * are what the DNS provider points the host names at.
 */
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { CertificatePair } from "../../../src/containers/description";
import { describeBackup } from "../../../src/containers/backup";
import { describeGateway } from "../../../src/containers/gateway";
import { describeProsody } from "../../../src/containers/prosody";
import { describeWatchdog } from "../../../src/containers/watchdog";
import { WATCHDOG_STATE_PATH } from "../../../watchdog/src/contract";
import { imageFor } from "../../../src/containers/images";
import { buildImage, IMAGE_PARTS } from "../../build-image";
import type { PlatformInput, PlatformModule, PlatformOutputs } from "../contract";
import { checkKubernetesPlan } from "./check";
import { type Cluster, cluster } from "./cluster";
import type { ExistingKubernetesResources } from "./existing";
import { monitoring } from "./monitoring";
import { database } from "./postgres";
import { type ClusterCertificate, clusterCertificate } from "./tls";
import { ingress, networkPolicy, privateService, type PublicService, publicService } from "./traffic";
import { claim, prosodyPlatformEnvironment, scheduledJob, workload } from "./workloads";

/** The pods mount the TLS Secret: the descriptions' TLS files never carry their content here. */
const MOUNTED: CertificatePair<pulumi.Output<string>> = {
  chain: "mounted from the TLS Secret",
  key: "mounted from the TLS Secret",
};

/** Where Prosody and the gateway write outside their volumes (the root filesystem is read-only). */
const PROSODY_SCRATCH = ["/run/prosody", "/tmp"] as const;
const GATEWAY_SCRATCH = ["/tmp"] as const;
/** The backup runner's working copies: as large as the database, so no size limit. */
const BACKUP_SCRATCH = ["/tmp"] as const;
/** The watchdog's state and its copy of the CA. */
const WATCHDOG_SCRATCH = [WATCHDOG_STATE_PATH, "/tmp"] as const;

function deployKubernetes(input: PlatformInput<ExistingKubernetesResources>): PlatformOutputs {
  const { name, parent, plan, secrets, existing } = input;
  const { spec } = plan;
  const context = { name, parent, plan };
  const where = cluster(context, input.providers);
  const tls = clusterCertificate(context, where, input.certificate);
  const db = database(context, where, secrets.databasePassword, existing);
  const prosody = describeProsody(plan, {
    image: input.images.prosody,
    certificate: MOUNTED,
    ...(db ? { databaseHost: db.host } : {}),
  });

  const data = claim(context, where, "data", spec.kubernetes.dataSize);
  const uploads = plan.uploads?.folder ? claim(context, where, "uploads", spec.kubernetes.uploadsSize) : undefined;
  const image = buildImage(context, prosody.image, IMAGE_PARTS.prosody, { load: false });
  workload(context, where, {
    description: prosody,
    part: "server",
    image: image.ref,
    secrets,
    tlsSecretName: tls.secretName,
    claims: { data: data.metadata.name, ...(uploads ? { uploads: uploads.metadata.name } : {}) },
    resources: spec.kubernetes.server,
    scratch: PROSODY_SCRATCH,
    environment: prosodyPlatformEnvironment(plan),
    strategy: "Recreate",
    dependsOn: [tls.resource, ...(db?.resource ? [db.resource] : [])],
  });
  const server = publicService(context, where, prosody, "server");
  const metrics = privateService(context, where, prosody);
  ingress(context, where, metrics, tls.secretName);
  monitoring(context, where, metrics);
  networkPolicy(context, where, prosody, "server");

  const bucket = plan.uploads?.bucket;
  const gatewayService =
    plan.uploads?.gateway && bucket?.name
      ? deployGateway(input, where, tls, { name: bucket.name, region: bucket.region, endpoint: bucket.endpoint })
      : undefined;

  const backupClaim = plan.backup ? deployBackups(input, where, tls, { data, uploads, db }) : undefined;
  if (plan.watchdog) deployWatchdog(input, where, tls, image.ref);

  const fixedAddresses = spec.dns.ipv4.length > 0 || spec.dns.ipv6.length > 0;
  const shareHost = plan.uploads?.host;
  return {
    image: image.ref,
    resources: {
      dataVolume: data.metadata.name,
      ...(uploads ? { uploadsVolume: uploads.metadata.name } : {}),
      certificatesVolume: tls.secretName,
      ...(db ? { databaseHost: db.host } : {}),
      loadBalancer: server.endpoint.apply((endpoint) => endpoint.hostname ?? endpoint.ip ?? ""),
      ...(tls.expires ? { certificateExpires: tls.expires } : {}),
      ...(plan.backup
        ? {
            backupDestination: backupClaim
              ? pulumi.interpolate`claim ${backupClaim.metadata.name}`
              : pulumi.output(
                  `s3://${plan.backup.destination.kind === "s3" ? (plan.backup.destination.bucket ?? "") : ""}`,
                ),
          }
        : {}),
    },
    addressTarget: fixedAddresses
      ? {}
      : {
          endpoint: {
            all: server.endpoint,
            ...(gatewayService && shareHost ? { byHost: { [shareHost]: gatewayService.endpoint } } : {}),
          },
        },
  };
}

/**
 * Backups as a CronJob in UTC, next to Prosody: its pods go to Prosody's node, whose ReadWriteOnce
 * claims (the data, the uploads) they mount too, and with backups to a volume, a claim of their own.
 */
function deployBackups(
  input: PlatformInput<ExistingKubernetesResources>,
  where: Cluster,
  tls: ClusterCertificate,
  stateful: {
    data: k8s.core.v1.PersistentVolumeClaim;
    uploads: k8s.core.v1.PersistentVolumeClaim | undefined;
    db: { host: pulumi.Output<string> } | undefined;
  },
): k8s.core.v1.PersistentVolumeClaim | undefined {
  const { name, parent, plan, backupKey } = input;
  const destination = plan.backup?.destination;
  if (!backupKey || !destination) throw new Error("the Kubernetes platform's backups need the stack's backup key");
  const context = { name, parent, plan };
  const description = describeBackup(plan, {
    image: imageFor(input.images, "backup"),
    recipients: backupKey.recipients,
    ...(stateful.db ? { databaseHost: stateful.db.host } : {}),
    ...(destination.kind === "s3" && destination.bucket !== undefined
      ? { bucket: { name: destination.bucket, region: destination.region } }
      : {}),
  });
  const backups =
    destination.kind === "volume" ? claim(context, where, "backups", plan.spec.kubernetes.backupsSize) : undefined;
  const image = buildImage(context, description.image, IMAGE_PARTS.backup, { load: false });
  scheduledJob(context, where, {
    description,
    part: "backup",
    image: image.ref,
    secrets: input.secrets,
    tlsSecretName: tls.secretName,
    claims: {
      data: stateful.data.metadata.name,
      ...(stateful.uploads ? { uploads: stateful.uploads.metadata.name } : {}),
      ...(backups ? { backups: backups.metadata.name } : {}),
    },
    resources: plan.spec.kubernetes.backup,
    scratch: BACKUP_SCRATCH,
    besides: "prosody",
  });
  return backups;
}

/** The upload gateway: stateless, so a rolling Deployment, behind a public Service of its own. */
function deployGateway(
  input: PlatformInput<ExistingKubernetesResources>,
  where: Cluster,
  tls: ClusterCertificate,
  bucket: { name: string; region: string; endpoint?: string },
): PublicService {
  const { name, parent, plan } = input;
  const context = { name, parent, plan };
  const gateway = describeGateway(plan, {
    image: imageFor(input.images, "upload-gateway"),
    certificate: MOUNTED,
    bucket: { name: bucket.name, region: bucket.region, ...(bucket.endpoint ? { endpoint: bucket.endpoint } : {}) },
  });
  const image = buildImage(context, gateway.image, IMAGE_PARTS["upload-gateway"], { load: false });
  workload(context, where, {
    description: gateway,
    part: "upload-gateway",
    image: image.ref,
    secrets: input.secrets,
    tlsSecretName: tls.secretName,
    claims: {},
    resources: plan.spec.kubernetes.gateway,
    scratch: GATEWAY_SCRATCH,
    strategy: "RollingUpdate",
    dependsOn: [tls.resource],
  });
  networkPolicy(context, where, gateway, "upload-gateway");
  return publicService(context, where, gateway, "upload-gateway");
}

/**
 * The watchdog: one pod keeping its own schedule (a Deployment, not a CronJob: it serves its metrics
 * between checks), reaching the server as clients do. Its state lives in the pod, as claims of
 * ReadWriteOnce would tie it to Prosody's node: a new pod tells what is still wrong once more.
 */
function deployWatchdog(
  input: PlatformInput<ExistingKubernetesResources>,
  where: Cluster,
  tls: ClusterCertificate,
  prosodyImage: pulumi.Output<string>,
): void {
  const { name, parent, plan } = input;
  const context = { name, parent, plan };
  const description = describeWatchdog(plan, {
    image: imageFor(input.images, "watchdog"),
    ...(input.certificate?.caPem ? { ca: input.certificate.caPem } : {}),
    prosodyImage,
    reads: { renewerState: false, backupsVolume: false },
    state: "container",
  });
  const image = buildImage(context, description.image, IMAGE_PARTS.watchdog, { load: false });
  workload(context, where, {
    description,
    part: "watchdog",
    image: image.ref,
    secrets: input.secrets,
    tlsSecretName: tls.secretName,
    claims: {},
    resources: plan.spec.kubernetes.watchdog,
    scratch: WATCHDOG_SCRATCH,
    strategy: "Recreate",
    dependsOn: [],
  });
}

export const platform: PlatformModule<ExistingKubernetesResources> = {
  support: {
    tlsModes: ["cert-manager", "acme", "provided", "self-signed"],
    dnsProviders: ["none", "route53", "cloudflare"],
    uploads: ["volume", "s3"],
    check: checkKubernetesPlan,
  },
  deploy: deployKubernetes,
};
