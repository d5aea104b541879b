/**
 * The Docker platform: one machine with a Docker engine. A private network,
 * named volumes for what the containers keep, our Prosody container and (with
 * uploads "s3") our upload gateway, each translated from its container
 * description, and next to them PostgreSQL, coturn and MinIO when the plan
 * needs them (sidecars.ts). Volumes holding data are protected unless the
 * spec sets protectData: false.
 */
import * as docker from "@pulumi/docker";
import * as dockerBuild from "@pulumi/docker-build";
import * as pulumi from "@pulumi/pulumi";
import type { Problem } from "../../../common/problems";
import type { CertificatePair, ContainerDescription, ContainerVolume } from "../../../src/containers/description";
import { describeBackup } from "../../../src/containers/backup";
import { describeGateway } from "../../../src/containers/gateway";
import { describeProsody } from "../../../src/containers/prosody";
import { describeRenewer, type RenewerFolder } from "../../../src/containers/renewer";
import { describeWatchdog } from "../../../src/containers/watchdog";
import { imageFor } from "../../../src/containers/images";
import type { DeploymentPlan } from "../../../src/plan/types";
import { certificatePair, givenCertificate } from "../../certificates";
import { buildImage, IMAGE_PARTS } from "../../build-image";
import { child, physicalName } from "../../naming";
import type { NoExisting, PlatformInput, PlatformModule, PlatformOutputs, PlatformSupport } from "../contract";
import { backupBucketNamed } from "../rules";
import { containerArgs, type Value } from "./container";
import { DATABASE_ALIAS, deployCoturn, deployMinio, deployPostgres, MINIO_ENDPOINT } from "./sidecars";

/** The Docker platform takes no existing resources. */
type Input = PlatformInput<NoExisting>;

const support: PlatformSupport<NoExisting> = {
  tlsModes: ["self-signed", "acme", "provided"],
  dnsProviders: ["none", "route53", "cloudflare"],
  uploads: ["volume", "s3"],
  check: (plan) => checkDockerPlan(plan),
};

function checkDockerPlan(plan: DeploymentPlan): Problem[] {
  const problems: Problem[] = [];
  const bucket = plan.uploads?.bucket;
  if (bucket && bucket.endpoint === undefined && !bucket.selfHosted) {
    problems.push({
      field: "upload.s3.endpoint",
      message: "uploads go to S3, and a Docker host has no S3 of its own",
      fix: "give the endpoint of an S3-compatible server (with secrets s3AccessKeyId and s3SecretAccessKey), or set docker.minio: true",
    });
  }
  problems.push(
    ...backupBucketNamed<NoExisting>("Docker")(plan, { existing: {}, givenSecrets: new Set(), providers: [] }),
  );
  const { dns } = plan.spec;
  if (dns.provider !== "none" && dns.ipv4.length === 0 && dns.ipv6.length === 0) {
    problems.push({
      field: "dns.ipv4",
      value: "[]",
      message: `dns.provider "${dns.provider}" publishes the host names, and a Docker host has no load balancer the records could point at`,
      fix: 'list the Docker host\'s public addresses in dns.ipv4 (and dns.ipv6), or set dns.provider: "none"',
    });
  }
  return problems;
}

export const platform: PlatformModule<NoExisting> = { support, deploy: deployDocker };

/** Each container as a child (and its Docker name): renaming one replaces it. */
const CONTAINER_PARTS: Record<ContainerDescription["name"], string> = {
  prosody: "server",
  "upload-gateway": "upload-gateway",
  backup: "backup",
  renewer: "renewer",
  watchdog: "watchdog",
};

/** What every container of ours is placed with: the private network, the stack's volumes by part, the image builder. */
interface Placement {
  network: docker.Network;
  /** the volumes made so far, by part; a container's missing ones are made when it is */
  volumes: Map<ContainerVolume["name"], docker.Volume>;
  volume: (part: string, holdsData: boolean) => docker.Volume;
  builder: dockerBuild.Provider | undefined;
}

/**
 * The shared parts of a container of ours: its image, name, network alias and restart policy, and the
 * volumes it mounts (made here when no container before it made them); Docker waits for it.
 */
function ourContainer(
  input: Input,
  description: ContainerDescription<Value>,
  placement: Placement,
  opts: pulumi.CustomResourceOptions,
): { container: docker.Container; image: pulumi.Output<string> } {
  const { network, volumes, builder } = placement;
  for (const entry of description.volumes) {
    if (!volumes.has(entry.name)) volumes.set(entry.name, placement.volume(entry.name, entry.holdsData));
  }
  const part = CONTAINER_PARTS[description.name];
  const image = buildImage(input, description.image, IMAGE_PARTS[description.name], {
    load: true,
    ...(builder ? { provider: builder } : {}),
  });
  const args = containerArgs(description, {
    secrets: input.secrets,
    publishAddress: input.plan.spec.docker.publishAddress,
    uploadTls: !renewedHere(input.plan),
    volumeNames: (volume) => {
      const found = volumes.get(volume.name);
      if (!found) throw new Error(`no Docker volume for ${volume.name}`);
      return found.name;
    },
  });
  const container = new docker.Container(
    child(input, part),
    {
      name: physicalName(input.name, part),
      image: image.ref,
      restart: "unless-stopped",
      networksAdvanced: [{ name: network.name, aliases: [description.name] }],
      ...args,
      // Waiting for "healthy" turns a config the program refuses into a failed `pulumi up`, not a restart loop.
      wait: true,
      waitTimeout: 120,
    },
    // The old container holds the name and the ports: it must go before its replacement starts.
    { parent: input.parent, deleteBeforeReplace: true, ...opts },
  );
  return { container, image: image.ref };
}

/**
 * The containers run on the engine of the caller's Docker provider; the images must be built
 * there too, or they would be built on the default engine and missing where they run. Without a
 * docker-build provider of the caller's, one with the same host builds them.
 */
function imageBuilder({ name, parent, providers }: Input): dockerBuild.Provider | undefined {
  if (providers.some((provider) => dockerBuild.Provider.isInstance(provider))) return undefined;
  const engine = providers.find((provider): provider is docker.Provider => docker.Provider.isInstance(provider));
  if (!engine) return undefined;
  return new dockerBuild.Provider(child({ name }, "image-builder"), { host: engine.host }, { parent });
}

/** The certificate renewer issues the pair where the server runs, into volumes the servers mount. */
const renewedHere = (plan: DeploymentPlan): boolean => plan.certificate.source === "renewer";

/** What the descriptions' TLS files hold when the renewer writes them into a volume: nothing of the component's. */
const ISSUED_HERE: CertificatePair<Value> = {
  chain: "issued where the server runs by the certificate renewer",
  key: "issued where the server runs by the certificate renewer",
};

/** The container's TLS folder as one more volume of its own, which the renewer writes the pair into. */
function withTlsVolume(
  description: ContainerDescription<Value>,
  name: ContainerVolume["name"],
): ContainerDescription<Value> {
  const certificate = description.files.find((file) => file.tls === "certificate");
  if (!certificate || description.volumes.some((volume) => certificate.path.startsWith(`${volume.path}/`))) {
    return description;
  }
  const path = certificate.path.slice(0, certificate.path.lastIndexOf("/"));
  return { ...description, volumes: [...description.volumes, { name, path, holdsData: false }] };
}

/** Where a served container's TLS pair lives, as a folder of the renewer's: the volume, its owner, the files' name. */
function renewerFolder(description: ContainerDescription<Value>): RenewerFolder {
  const certificate = description.files.find((file) => file.tls === "certificate");
  const key = description.files.find((file) => file.tls === "key");
  const volume = description.volumes
    .filter((entry) => certificate && certificate.path.startsWith(`${entry.path}/`))
    .sort((a, b) => b.path.length - a.path.length)[0];
  if (!certificate || !key || !volume) throw new Error(`${description.name} has no TLS pair in a volume`);
  const file = certificate.path.slice(certificate.path.lastIndexOf("/") + 1);
  return {
    volume: volume.name,
    path: `/srv/${volume.name}`,
    owner: key.owner ?? { uid: 0, gid: 0 },
    name: file.replace(/\.crt$/, ""),
  };
}

const internal = (message: string): never => {
  throw new Error(message);
};

function deployDocker(input: Input): PlatformOutputs {
  const { name, parent, plan } = input;
  const pair = renewedHere(plan) ? ISSUED_HERE : certificatePair(givenCertificate(input.certificate));
  const { spec } = plan;
  const network = new docker.Network(
    child(input, "network"),
    { name: physicalName(name, "network"), driver: "bridge" },
    { parent },
  );
  const volume = (part: string, holdsData: boolean): docker.Volume =>
    new docker.Volume(
      child(input, part),
      { name: physicalName(name, part) },
      { parent, protect: holdsData && spec.protectData },
    );

  const database = plan.storage.kind === "postgresql" ? volume("database", true) : undefined;
  const postgres = database ? deployPostgres(input, network, database) : undefined;
  const prosody = describeProsody(plan, {
    image: input.images.prosody,
    certificate: pair,
    ...(postgres ? { databaseHost: DATABASE_ALIAS } : {}),
  });
  const volumes = new Map(prosody.volumes.map((entry) => [entry.name, volume(entry.name, entry.holdsData)]));
  // MinIO keeps its objects in the uploads volume when the stack runs its own S3 server.
  const bucket = plan.uploads?.bucket;
  if (bucket?.selfHosted && !volumes.has("uploads")) volumes.set("uploads", volume("uploads", true));
  const placement: Placement = { network, volumes, volume, builder: imageBuilder(input) };
  const server = ourContainer(input, prosody, placement, { dependsOn: postgres ? [postgres] : [] });
  /** The containers that serve the certificate: where the renewer writes each renewed pair. */
  const served: ContainerDescription<Value>[] = [prosody];

  if (plan.turn && spec.turn.coturn) deployCoturn(input, server.container);
  const uploadsVolume = volumes.get("uploads");
  const minio = bucket?.selfHosted && uploadsVolume ? deployMinio(input, network, uploadsVolume) : undefined;
  if (plan.uploads?.gateway) {
    if (!bucket?.name) throw new Error("the Docker platform's upload gateway needs a named bucket (refused earlier)");
    const described = describeGateway(plan, {
      image: imageFor(input.images, "upload-gateway"),
      certificate: pair,
      bucket: {
        name: bucket.name,
        region: bucket.region,
        ...(bucket.selfHosted
          ? { endpoint: `http://${MINIO_ENDPOINT.alias}:${MINIO_ENDPOINT.port}` }
          : bucket.endpoint !== undefined
            ? { endpoint: bucket.endpoint }
            : {}),
      },
    });
    const gateway = renewedHere(plan) ? withTlsVolume(described, "gateway-certificates") : described;
    ourContainer(input, gateway, placement, { dependsOn: minio ? [minio] : [] });
    served.push(gateway);
  }
  if (renewedHere(plan)) deployRenewer(input, placement, served);

  const backupVolume = plan.backup ? deployBackup(input, placement, postgres) : undefined;
  if (plan.watchdog) deployWatchdog(input, placement, server.image);

  const named = (part: ContainerVolume["name"]) => volumes.get(part)?.name;
  const always = (part: ContainerVolume["name"]) => named(part) ?? internal(`Prosody has no ${part} volume`);
  const uploadsName = named("uploads");
  return {
    image: server.image,
    addressTarget: {},
    resources: {
      dataVolume: always("data"),
      ...(uploadsName ? { uploadsVolume: uploadsName } : {}),
      certificatesVolume: always("certificates"),
      ...(database ? { databaseVolume: database.name } : {}),
      ...(postgres ? { databaseHost: pulumi.output(DATABASE_ALIAS) } : {}),
      ...(plan.backup ? { backupDestination: backupVolume ?? s3Destination(plan) } : {}),
    },
  };
}

/**
 * The certificate renewer next to the servers: it issues and renews the certificate with Let's Encrypt and
 * writes each pair into the volumes Prosody and the gateway read it from, which they take in place.
 */
function deployRenewer(input: Input, placement: Placement, served: readonly ContainerDescription<Value>[]): void {
  const description = describeRenewer<Value>(input.plan, {
    image: imageFor(input.images, "renewer"),
    store: { kind: "folders", folders: served.map(renewerFolder) },
  });
  ourContainer(input, description, placement, {});
}

/**
 * The backup runner next to Prosody, keeping its schedule itself (Docker has no scheduler): on the
 * private network (PostgreSQL), with the data and uploads volumes it backs up, and with backups to a
 * volume, a protected volume of its own. Returns that volume's description when there is one.
 */
function deployBackup(
  input: Input,
  placement: Placement,
  postgres: docker.Container | undefined,
): pulumi.Output<string> | undefined {
  const { plan, backupKey } = input;
  const destination = plan.backup?.destination;
  if (!backupKey || !destination) throw new Error("the Docker platform's backups need the stack's backup key");
  const description = describeBackup<Value>(plan, {
    image: imageFor(input.images, "backup"),
    recipients: backupKey.recipients,
    ...(postgres ? { databaseHost: DATABASE_ALIAS } : {}),
    ...(destination.kind === "s3" && destination.bucket !== undefined
      ? { bucket: { name: destination.bucket, region: destination.region } }
      : {}),
  });
  ourContainer(input, description, placement, { dependsOn: postgres ? [postgres] : [] });
  const backups = placement.volumes.get("backups");
  return backups ? pulumi.interpolate`volume ${backups.name}` : undefined;
}

/**
 * The watchdog next to the servers, keeping its schedule itself: it reaches the server the way
 * clients do (the published ports, through the DNS), and reads the renewer's state and the backups'
 * note from their volumes.
 */
function deployWatchdog(input: Input, placement: Placement, prosodyImage: pulumi.Output<string>): void {
  const destination = input.plan.backup?.destination;
  const description = describeWatchdog<Value>(input.plan, {
    image: imageFor(input.images, "watchdog"),
    ...(input.certificate?.caPem ? { ca: input.certificate.caPem } : {}),
    prosodyImage,
    reads: { renewerState: true, backupsVolume: true },
    state: "volume",
    ...(destination?.kind === "s3" && destination.bucket !== undefined ? { backupsBucket: destination.bucket } : {}),
  });
  ourContainer(input, description, placement, {});
}

const s3Destination = (plan: DeploymentPlan): pulumi.Output<string> => {
  const destination = plan.backup?.destination;
  return pulumi.output(destination?.kind === "s3" ? `s3://${destination.bucket ?? ""}` : "");
};
