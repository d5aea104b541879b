/**
 * The Docker platform: one machine with a Docker engine. A private network,
 * named volumes for data, uploads and certificates, the Prosody container
 * with its config and certificates copied in, and next to it PostgreSQL,
 * coturn, and with uploads "s3" the upload gateway (and MinIO, when asked)
 * when the plan needs them. Volumes holding data are protected unless the
 * spec sets protectData: false.
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { DeploymentPlan } from "../../../src/plan/plan-deployment";
import { ENV } from "../../../src/plan/plan-deployment";
import { renderCoturnConfig } from "../../../src/render/coturn";
import { secretsOf, type SecretReader, type StackSecrets } from "../../secrets";
import {
  buildImage,
  GATEWAY_COMMAND,
  GATEWAY_IMAGE_USER,
  gatewayImageBuild,
  IMAGE_USER,
  PROSODY_HEALTHCHECK,
} from "../../images";
import { selfSignedCertificate, type StackCertificate } from "../../certificates/self-signed";
import { childName, physicalName } from "../../naming";
import type { PlatformInput, PlatformOutputs, PlatformSupport } from "../contract";

export const support: PlatformSupport = {
  tlsModes: ["self-signed"],
  dnsProviders: ["none"],
  uploads: ["volume", "s3"],
  check: (plan, { existing }) => [
    ...(plan.uploads?.bucket && plan.uploads.bucket.endpoint === undefined && !plan.uploads.bucket.selfHosted
      ? [
          {
            field: "upload.s3.endpoint",
            message: "uploads go to S3, and a Docker host has no S3 of its own",
            fix: "give the endpoint of an S3-compatible server (with secrets s3AccessKeyId and s3SecretAccessKey), or set docker.minio: true",
          },
        ]
      : []),
    ...Object.entries(existing)
      .filter(([, value]) => value !== undefined)
      .map(([key]) => ({
        field: `existing.${key}`,
        message: "only the aws platform uses existing resources; the docker platform would ignore it",
        fix: `remove existing.${key}, or set platform: "aws"`,
      })),
  ],
};

/** Images run next to Prosody, pinned: minor updates of these majors are safe on an existing volume. */
export const SIDE_IMAGES = {
  postgres: "postgres:17-bookworm",
  coturn: "coturn/coturn:4.6",
  // MinIO publishes dated releases only.
  minio: "minio/minio:RELEASE.2025-04-22T22-12-26Z",
} as const;

/** The coturn image runs as nobody:nogroup. */
const COTURN_GROUP = "65534";
const CONFIG_FILE = "/etc/prosody/prosody.cfg.lua";
const DATABASE_ALIAS = "postgres";
const MINIO_ALIAS = "minio";
const MINIO_PORT = 9000;
/** Where the gateway's copy of the certificate goes (its own files: the key belongs to its user). */
const GATEWAY_TLS = "/etc/upload-gateway";

export function deployDocker(input: PlatformInput): PlatformOutputs {
  const { name, parent, plan, artifacts, secrets } = input;
  const { spec } = plan;
  const certificate = selfSignedCertificate(name, parent, plan);
  const image = buildImage(name, parent, plan, { load: true });
  const network = new docker.Network(
    childName(name, "network"),
    { name: physicalName(name, "network"), driver: "bridge" },
    { parent },
  );
  const volume = (part: string, holdsData: boolean): docker.Volume =>
    new docker.Volume(
      childName(name, part),
      { name: physicalName(name, part) },
      { parent, protect: holdsData && spec.protectData },
    );
  const data = volume("data", true);
  // Uploads live in a volume: Prosody's own (mode volume) or MinIO's (self-hosted S3).
  const uploads =
    plan.uploads?.mode === "volume" || plan.uploads?.bucket?.selfHosted ? volume("uploads", true) : undefined;
  const certificates = volume("certificates", false);
  const databaseVolume = plan.storage.kind === "postgresql" ? volume("database", true) : undefined;
  const database = databaseVolume ? deployPostgres(input, network, databaseVolume) : undefined;

  const certificateFile = (extension: string): string =>
    `${spec.paths.certificates}/${certificate.fileStem}.${extension}`;
  const prosody = new docker.Container(
    childName(name, "server"),
    {
      name: physicalName(name, "server"),
      image: image.ref,
      restart: "unless-stopped",
      networksAdvanced: [{ name: network.name, aliases: ["prosody"] }],
      ports: plan.listeners
        .filter((listener) => listener.public)
        .map((listener) => ({
          internal: listener.port,
          external: listener.port,
          ip: spec.docker.publishAddress,
          protocol: "tcp",
        })),
      volumes: [
        { volumeName: data.name, containerPath: spec.paths.data },
        ...(uploads && plan.uploads?.folder ? [{ volumeName: uploads.name, containerPath: plan.uploads.folder }] : []),
        { volumeName: certificates.name, containerPath: spec.paths.certificates },
      ],
      uploads: [
        { file: CONFIG_FILE, content: artifacts["prosody.cfg.lua"], permissions: "0644" },
        {
          file: certificateFile("crt"),
          content: certificate.fullChainPem,
          owner: String(IMAGE_USER.uid),
          group: String(IMAGE_USER.gid),
          permissions: "0644",
        },
        {
          file: certificateFile("key"),
          content: certificate.privateKeyPem,
          owner: String(IMAGE_USER.uid),
          group: String(IMAGE_USER.gid),
          permissions: "0600",
        },
      ],
      envs: prosodyEnvironment(plan, secrets, database ? DATABASE_ALIAS : undefined),
      healthcheck: {
        tests: [...PROSODY_HEALTHCHECK],
        interval: "30s",
        timeout: "5s",
        startPeriod: "20s",
        retries: 3,
      },
      // Waiting for "healthy" turns a config Prosody refuses into a failed `pulumi up`, not a restart loop.
      wait: true,
      waitTimeout: 120,
    },
    // The old container holds the name and the ports: it must go before its replacement starts.
    { parent, deleteBeforeReplace: true, dependsOn: database ? [database] : [] },
  );
  if (plan.turn && spec.turn.coturn) deployCoturn(input, prosody);
  const minio = plan.uploads?.bucket?.selfHosted && uploads ? deployMinio(input, network, uploads) : undefined;
  if (plan.uploads?.gateway) deployUploadGateway(input, certificate, network, minio);

  return {
    image: image.ref,
    ...(certificate.caPem ? { caCertificate: certificate.caPem } : {}),
    volumes: {
      data: data.name,
      uploads: uploads?.name,
      certificates: certificates.name,
      database: databaseVolume?.name,
    },
    databaseHost: database ? pulumi.output(DATABASE_ALIAS) : undefined,
  };
}

/** Prosody's environment: plain settings, then each secret it reads through ENV_. */
function prosodyEnvironment(
  plan: DeploymentPlan,
  secrets: StackSecrets,
  databaseHost: string | undefined,
): pulumi.Input<string>[] {
  const environment: pulumi.Input<string>[] = [`PROSODY_HEALTH_PORT=${plan.spec.ports.c2s}`];
  if (databaseHost) environment.push(`${ENV.databaseHost}=${databaseHost}`);
  return [...environment, ...secretEnvironment("prosody", secrets)];
}

/** `VARIABLE=value` for each secret the reader takes, each one a Pulumi secret. */
function secretEnvironment(reader: SecretReader, secrets: StackSecrets): pulumi.Output<string>[] {
  return secretsOf(reader, secrets).map(([variable, , value]) =>
    pulumi.secret(pulumi.interpolate`${variable}=${value}`),
  );
}

/** A container next to Prosody from a pinned public image: its name, image and restart policy. */
function sideContainer({ name, parent }: PlatformInput, part: keyof typeof SIDE_IMAGES) {
  const image = new docker.RemoteImage(
    childName(name, `${part}-image`),
    { name: SIDE_IMAGES[part], keepLocally: true },
    { parent },
  );
  return { name: physicalName(name, part), image: image.imageId, restart: "unless-stopped" };
}

function deployPostgres(input: PlatformInput, network: docker.Network, volume: docker.Volume): docker.Container {
  const { name, parent, plan, secrets } = input;
  if (plan.storage.kind !== "postgresql" || !secrets.databasePassword) {
    throw new pulumi.ResourceError("storage: PostgreSQL needs a database password", parent);
  }
  const { database, user, port } = plan.storage;
  return new docker.Container(
    childName(name, "postgres"),
    {
      ...sideContainer(input, "postgres"),
      networksAdvanced: [{ name: network.name, aliases: [DATABASE_ALIAS] }],
      command: ["postgres", "-c", `port=${port}`],
      envs: [
        `POSTGRES_DB=${database}`,
        `POSTGRES_USER=${user}`,
        pulumi.secret(pulumi.interpolate`POSTGRES_PASSWORD=${secrets.databasePassword}`),
      ],
      volumes: [{ volumeName: volume.name, containerPath: "/var/lib/postgresql/data" }],
      healthcheck: {
        tests: ["CMD", "pg_isready", "-U", user, "-d", database, "-p", String(port)],
        interval: "10s",
        timeout: "5s",
        startPeriod: "10s",
        retries: 5,
      },
      wait: true,
      waitTimeout: 120,
    },
    { parent, deleteBeforeReplace: true },
  );
}

function deployCoturn(input: PlatformInput, prosody: docker.Container): docker.Container {
  const { name, parent, plan, secrets } = input;
  if (!secrets.turnSecret) throw new pulumi.ResourceError("turn: coturn needs a shared secret", parent);
  return new docker.Container(
    childName(name, "coturn"),
    {
      ...sideContainer(input, "coturn"),
      // TURN relays use a range of UDP ports; the host network avoids mapping each one.
      networkMode: "host",
      command: ["-c", "/etc/coturn/turnserver.conf"],
      uploads: [
        {
          file: "/etc/coturn/turnserver.conf",
          content: pulumi.secret(secrets.turnSecret.apply((secret) => renderCoturnConfig(plan, secret))),
          owner: "0",
          group: COTURN_GROUP,
          permissions: "0640",
        },
      ],
    },
    { parent, deleteBeforeReplace: true, dependsOn: [prosody] },
  );
}

function deployMinio(input: PlatformInput, network: docker.Network, volume: docker.Volume): docker.Container {
  const { name, parent, secrets } = input;
  const { s3AccessKeyId, s3SecretAccessKey } = secrets;
  if (!s3AccessKeyId || !s3SecretAccessKey)
    throw new pulumi.ResourceError("docker.minio: MinIO needs its keys", parent);
  return new docker.Container(
    childName(name, "minio"),
    {
      ...sideContainer(input, "minio"),
      networksAdvanced: [{ name: network.name, aliases: [MINIO_ALIAS] }],
      command: ["server", "/data", "--address", `:${MINIO_PORT}`],
      envs: [
        pulumi.secret(pulumi.interpolate`MINIO_ROOT_USER=${s3AccessKeyId}`),
        pulumi.secret(pulumi.interpolate`MINIO_ROOT_PASSWORD=${s3SecretAccessKey}`),
      ],
      volumes: [{ volumeName: volume.name, containerPath: "/data" }],
      healthcheck: { tests: ["CMD", "mc", "ready", "local"], interval: "10s", timeout: "5s", retries: 5 },
      wait: true,
      waitTimeout: 120,
    },
    { parent, deleteBeforeReplace: true },
  );
}

/** The upload gateway: Prosody's http_file_share in external mode sends uploaders here; the bytes go to S3. */
function deployUploadGateway(
  input: PlatformInput,
  certificate: StackCertificate,
  network: docker.Network,
  minio?: docker.Container,
): docker.Container {
  const { name, parent, plan, secrets } = input;
  const { gateway, bucket } = plan.uploads ?? {};
  if (!gateway || !bucket?.name || !secrets.uploadSecret) {
    throw new pulumi.ResourceError("uploads: the gateway needs a bucket name and the upload secret", parent);
  }
  const image = buildImage(name, parent, plan, { load: true }, gatewayImageBuild(plan), "gateway-image");
  const endpoint = bucket.selfHosted ? `http://${MINIO_ALIAS}:${MINIO_PORT}` : bucket.endpoint;
  const settings: Record<string, string | undefined> = {
    S3_BUCKET: bucket.name,
    S3_REGION: bucket.region,
    S3_ENDPOINT: endpoint,
    S3_FORCE_PATH_STYLE: String(bucket.forcePathStyle),
    GATEWAY_PORT: String(gateway.port),
    GATEWAY_DOWNLOAD_MODE: gateway.downloads,
    GATEWAY_TLS_CERT_FILE: `${GATEWAY_TLS}/tls.crt`,
    GATEWAY_TLS_KEY_FILE: `${GATEWAY_TLS}/tls.key`,
    GATEWAY_CREATE_BUCKET: String(bucket.selfHosted),
    GATEWAY_BUCKET_EXPIRY_DAYS: bucket.selfHosted ? String(bucket.expiryDays) : undefined,
  };
  return new docker.Container(
    childName(name, "upload-gateway"),
    {
      name: physicalName(name, "upload-gateway"),
      image: image.ref,
      restart: "unless-stopped",
      networksAdvanced: [{ name: network.name, aliases: ["upload-gateway"] }],
      ports: [{ internal: gateway.port, external: gateway.port, ip: plan.spec.docker.publishAddress, protocol: "tcp" }],
      envs: [
        ...Object.entries(settings).flatMap(([variable, value]) =>
          value === undefined ? [] : [`${variable}=${value}`],
        ),
        ...secretEnvironment("gateway", secrets),
      ],
      uploads: [
        { file: `${GATEWAY_TLS}/tls.crt`, content: certificate.fullChainPem, permissions: "0644" },
        {
          file: `${GATEWAY_TLS}/tls.key`,
          content: certificate.privateKeyPem,
          owner: String(GATEWAY_IMAGE_USER.uid),
          group: String(GATEWAY_IMAGE_USER.gid),
          permissions: "0600",
        },
      ],
      healthcheck: {
        tests: ["CMD", ...GATEWAY_COMMAND, "--health"],
        interval: "30s",
        timeout: "6s",
        startPeriod: "10s",
        retries: 3,
      },
      wait: true,
      waitTimeout: 120,
    },
    { parent, deleteBeforeReplace: true, dependsOn: minio ? [minio] : [] },
  );
}
