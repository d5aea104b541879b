/**
 * The rules of the ProsodyStack policy pack (policy/ in the package), as plain
 * functions over the stack's resources: each takes every resource of the stack
 * and returns its violations, each naming the resource. components/policy/pack.ts
 * hands them to @pulumi/policy; the tests run them on stacks under mocks.
 *
 * Policies see secret values unwrapped, so a rule cannot ask whether a value is
 * a Pulumi secret; it checks instead that secrets travel the platform's secret
 * store (ECS `secrets`, Kubernetes `secretKeyRef`) and never sit in plain text.
 */

export interface PolicyResource {
  type: string;
  /** the logical name */
  name: string;
  urn: string;
  props: Record<string, unknown>;
  protect: boolean;
}

export interface PolicyConfig {
  /** false when the stack sets `protectData: false`: stateful resources may then be unprotected */
  protectData: boolean;
  /** the ports the world may reach: the plan's public listeners (defaults: Prosody's, and 443 for the upload gateway) */
  publicPorts: number[];
}

export const DEFAULT_POLICY_CONFIG: PolicyConfig = {
  protectData: true,
  publicPorts: [5222, 5223, 5269, 5281, 5000, 443, 3478, 5349],
};

export interface Violation {
  urn: string;
  message: string;
}

export interface PolicyRule {
  name: string;
  description: string;
  check(resources: readonly PolicyResource[], config: PolicyConfig): Violation[];
}

const POSTGRES_PORT = 5432;
const WORLD = ["0.0.0.0/0", "::/0"];
/** variable names that carry a secret */
const SECRET_NAME = /PASSWORD|SECRET|TOKEN|PRIVATE|ACCESS_KEY|_KEY$/i;
const PRIVATE_KEY = "PRIVATE KEY-----";

/** Types whose resources hold what must survive: never replaced, protected. */
const STATEFUL_TYPES = new Set([
  "aws:rds/instance:Instance",
  "aws:s3/bucket:Bucket",
  "aws:s3/bucketV2:BucketV2",
  "docker:index/volume:Volume",
  "kubernetes:core/v1:PersistentVolumeClaim",
  "kubernetes:postgresql.cnpg.io/v1:Cluster",
]);
/** Docker volumes the platform fills again on every run (the certificate's), which hold nothing to keep. */
const REFILLED_VOLUME = /-certificates$/;

const BUCKET_TYPES = new Set(["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"]);

type Ingress = { fromPort?: number; toPort?: number; cidrBlocks?: string[]; ipv6CidrBlocks?: string[] };
type EnvEntry = { name?: string; value?: unknown; valueFrom?: unknown };
type PodContainer = { name?: string; env?: EnvEntry[] };

const asArray = <T>(value: unknown): T[] => (Array.isArray(value) ? (value as T[]) : []);
const record = (value: unknown): Record<string, unknown> =>
  typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
const violation = (resource: PolicyResource, message: string): Violation => ({
  urn: resource.urn,
  message: `${resource.name} (${resource.type}): ${message}`,
});

/** Ingress rules of a security group open to the whole internet. */
const worldIngress = (resource: PolicyResource): Ingress[] =>
  asArray<Ingress>(resource.props.ingress).filter((rule) =>
    [...(rule.cidrBlocks ?? []), ...(rule.ipv6CidrBlocks ?? [])].some((block) => WORLD.includes(block)),
  );

const covers = (rule: Ingress, port: number) => (rule.fromPort ?? 0) <= port && port <= (rule.toPort ?? 65535);

/** Ports a Kubernetes Service or a Docker container exposes beyond the cluster or the host's loopback. */
function exposedPorts(resource: PolicyResource): number[] {
  if (resource.type === "kubernetes:core/v1:Service") {
    const spec = record(resource.props.spec);
    if (spec.type !== "LoadBalancer" && spec.type !== "NodePort") return [];
    return asArray<{ port?: number }>(spec.ports).map((port) => port.port ?? 0);
  }
  if (resource.type === "docker:index/container:Container") {
    return asArray<{ external?: number; internal?: number; ip?: string }>(resource.props.ports)
      .filter((port) => port.ip === undefined || !/^127\.|^::1$|^localhost$/.test(port.ip))
      .map((port) => port.external ?? port.internal ?? 0);
  }
  return [];
}

/** The containers of a Deployment, StatefulSet or Job, with their environment. */
function podContainers(resource: PolicyResource): PodContainer[] {
  if (!resource.type.startsWith("kubernetes:apps/v1:") && !resource.type.startsWith("kubernetes:batch/v1:")) return [];
  const spec = record(record(record(resource.props.spec).template).spec);
  return [...asArray<PodContainer>(spec.containers), ...asArray<PodContainer>(spec.initContainers)];
}

/** ECS container definitions (a JSON string in the task definition's inputs). */
function ecsContainers(resource: PolicyResource): { name?: string; environment?: EnvEntry[] }[] {
  if (resource.type !== "aws:ecs/taskDefinition:TaskDefinition") return [];
  const definitions = resource.props.containerDefinitions;
  if (typeof definitions !== "string") return [];
  try {
    return asArray(JSON.parse(definitions));
  } catch {
    return [];
  }
}

/** The resources named `<bucket>-<suffix>` of each bucket: our component names a bucket's settings after it. */
const companion = (resources: readonly PolicyResource[], bucket: PolicyResource, type: string) =>
  resources.find((resource) => resource.type === type && resource.name.startsWith(`${bucket.name}-`));

export const POLICY_RULES: PolicyRule[] = [
  {
    name: "no-public-database",
    description: "The database is never reachable from the internet.",
    check: (resources) =>
      resources.flatMap((resource) => {
        if (resource.type === "aws:rds/instance:Instance" && resource.props.publiclyAccessible === true)
          return [violation(resource, "publiclyAccessible is true; the database must be reachable from Prosody only")];
        if (
          resource.type === "aws:ec2/securityGroup:SecurityGroup" &&
          worldIngress(resource).some((rule) => covers(rule, POSTGRES_PORT))
        )
          return [violation(resource, `opens PostgreSQL's port ${POSTGRES_PORT} to the internet`)];
        if (exposedPorts(resource).includes(POSTGRES_PORT))
          return [violation(resource, `publishes PostgreSQL's port ${POSTGRES_PORT} beyond the host or cluster`)];
        return [];
      }),
  },
  {
    name: "storage-encrypted",
    description: "Databases and upload buckets are encrypted at rest.",
    check: (resources) =>
      resources.flatMap((resource) => {
        if (resource.type === "aws:rds/instance:Instance" && resource.props.storageEncrypted !== true)
          return [violation(resource, "storageEncrypted is not true")];
        if (
          BUCKET_TYPES.has(resource.type) &&
          !companion(
            resources,
            resource,
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
          )
        )
          return [violation(resource, "has no server-side encryption configuration")];
        return [];
      }),
  },
  {
    name: "no-plain-secret",
    description:
      "Secrets reach containers through the platform's secret store, never as plain variables or files in plain resources.",
    check: (resources) =>
      resources.flatMap((resource) => {
        const found: Violation[] = [];
        for (const container of podContainers(resource)) {
          for (const entry of container.env ?? []) {
            if (entry.value !== undefined && SECRET_NAME.test(entry.name ?? ""))
              found.push(
                violation(resource, `container ${container.name} has ${entry.name} as a plain value; use secretKeyRef`),
              );
          }
        }
        for (const container of ecsContainers(resource)) {
          for (const entry of container.environment ?? []) {
            if (SECRET_NAME.test(entry.name ?? ""))
              found.push(
                violation(resource, `container ${container.name} has ${entry.name} in environment; use secrets`),
              );
          }
        }
        if (resource.type === "kubernetes:core/v1:ConfigMap") {
          for (const [key, value] of Object.entries(record(resource.props.data))) {
            if (typeof value === "string" && value.includes(PRIVATE_KEY))
              found.push(violation(resource, `data key ${key} holds a private key; keys belong in a Secret`));
          }
        }
        return found;
      }),
  },
  {
    name: "stateful-protected",
    description:
      "Resources holding accounts, archives and uploads are protected, unless the stack sets protectData: false.",
    check: (resources, config) =>
      config.protectData
        ? resources
            .filter((resource) => STATEFUL_TYPES.has(resource.type) && !resource.protect)
            .filter(
              (resource) => !(resource.type === "docker:index/volume:Volume" && REFILLED_VOLUME.test(resource.name)),
            )
            .map((resource) =>
              violation(resource, "holds data but is not protected; protect it, or set protectData: false"),
            )
        : [],
  },
  {
    name: "bucket-tls-only-private",
    description: "Upload buckets refuse plain HTTP and are never public.",
    check: (resources) =>
      resources
        .filter((resource) => BUCKET_TYPES.has(resource.type))
        .flatMap((bucket) => {
          const found: Violation[] = [];
          const block = companion(resources, bucket, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock");
          const flags = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];
          const open = block ? flags.filter((flag) => block.props[flag] !== true) : flags;
          if (open.length > 0) found.push(violation(bucket, `public access is not blocked (${open.join(", ")})`));
          const policy = companion(resources, bucket, "aws:s3/bucketPolicy:BucketPolicy")?.props.policy;
          const text = typeof policy === "string" ? policy : JSON.stringify(policy ?? "");
          if (!/"aws:SecureTransport"\s*:\s*"?false"?/.test(text) || !/"Effect"\s*:\s*"Deny"/.test(text))
            found.push(violation(bucket, "no bucket policy denies requests without TLS (aws:SecureTransport false)"));
          if (typeof bucket.props.acl === "string" && bucket.props.acl.startsWith("public"))
            found.push(violation(bucket, `acl is ${bucket.props.acl}`));
          return found;
        }),
  },
  {
    name: "only-planned-ports",
    description: "The internet reaches only the planned public ports.",
    check: (resources, config) =>
      resources.flatMap((resource) => {
        const ports =
          resource.type === "aws:ec2/securityGroup:SecurityGroup"
            ? worldIngress(resource).flatMap((rule) => (rule.fromPort === rule.toPort ? [rule.fromPort ?? 0] : [-1]))
            : exposedPorts(resource);
        const unplanned = ports.filter((port) => !config.publicPorts.includes(port));
        return unplanned.length > 0
          ? [
              violation(
                resource,
                `opens ${unplanned.map((port) => (port === -1 ? "a port range" : `port ${port}`)).join(", ")} beyond the planned ${config.publicPorts.join(", ")}`,
              ),
            ]
          : [];
      }),
  },
];
