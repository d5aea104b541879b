/**
 * The Docker platform: one machine with a Docker engine. A private network,
 * named volumes for data, uploads and certificates, the Prosody container
 * with its config and certificates copied in, and next to it PostgreSQL and
 * coturn when the plan asks for them. Volumes holding data are protected
 * unless the spec sets protectData: false.
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { DeploymentPlan } from "../../src/plan/deployment";
import { ENV } from "../../src/plan/deployment";
import { renderCoturnConfig } from "../../src/render/coturn";
import type { SecretKey } from "../../src/spec/pulumi-config";
import { SECRET_VARIABLES, type StackSecrets } from "../shared/secrets";
import { buildImage, IMAGE_USER } from "../shared/image";
import { childName, physicalName } from "../shared/names";
import type { PlatformInput, PlatformOutputs, PlatformSupport } from "./types";

export const support: PlatformSupport = { tlsModes: ["self-signed"], dnsProviders: ["none"], uploads: ["volume"] };

/** Images run next to Prosody, pinned to a major version: minor updates are safe on an existing volume. */
export const SIDE_IMAGES = { postgres: "postgres:17-bookworm", coturn: "coturn/coturn:4.6" } as const;

/** The coturn image runs as nobody:nogroup. */
const COTURN_GROUP = "65534";
const CONFIG_FILE = "/etc/prosody/prosody.cfg.lua";
const DATABASE_ALIAS = "postgres";

export function deployDocker(input: PlatformInput): PlatformOutputs {
  const { name, parent, plan, artifacts, certificate, secrets } = input;
  const { spec } = plan;
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
  const uploads = plan.uploads?.mode === "volume" ? volume("uploads", true) : undefined;
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
        tests: ["CMD", "/usr/local/bin/prosody-healthcheck"],
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

  return {
    image: image.ref,
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
  for (const key of Object.keys(SECRET_VARIABLES) as SecretKey[]) {
    const value = secrets[key];
    if (value) environment.push(pulumi.secret(pulumi.interpolate`${SECRET_VARIABLES[key].variable}=${value}`));
  }
  return environment;
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
