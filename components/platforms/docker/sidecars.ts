/**
 * Containers the Docker platform runs next to ours, from pinned public images:
 * PostgreSQL (storage "postgresql"), coturn (turn.host with turn.coturn) and
 * MinIO (uploads "s3" with docker.minio). They are Docker's way of providing
 * what a cloud platform rents, so they are not container descriptions.
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { renderCoturnConfig } from "../../../src/render/coturn";
import { child, physicalName } from "../../naming";
import { secretValue } from "../../stack-secrets";
import type { PlatformInput } from "../contract";

/** Images run next to Prosody, pinned: minor updates of these majors are safe on an existing volume. */
export const SIDE_IMAGES = {
  postgres: "postgres:17-bookworm",
  coturn: "coturn/coturn:4.6",
  // MinIO publishes dated releases only.
  minio: "minio/minio:RELEASE.2025-04-22T22-12-26Z",
} as const;

/** Where our containers reach the side containers on the private network. */
export const DATABASE_ALIAS = "postgres";
export const MINIO_ENDPOINT = { alias: "minio", port: 9000 } as const;
/** The coturn image runs as nobody:nogroup. */
const COTURN_GROUP = "65534";

type Input = PlatformInput<unknown>;

/** A container next to Prosody from a pinned public image: its name, image and restart policy. */
function sideContainer(input: Input, part: keyof typeof SIDE_IMAGES) {
  const image = new docker.RemoteImage(
    child(input, `${part}-image`),
    { name: SIDE_IMAGES[part], keepLocally: true },
    { parent: input.parent },
  );
  return { name: physicalName(input.name, part), image: image.imageId, restart: "unless-stopped" };
}

export function deployPostgres(input: Input, network: docker.Network, volume: docker.Volume): docker.Container {
  const { parent, plan, secrets } = input;
  if (plan.storage.kind !== "postgresql") throw new Error("deployPostgres: the plan does not store in PostgreSQL");
  const { database, user, port } = plan.storage;
  return new docker.Container(
    child(input, "postgres"),
    {
      ...sideContainer(input, "postgres"),
      networksAdvanced: [{ name: network.name, aliases: [DATABASE_ALIAS] }],
      command: ["postgres", "-c", `port=${port}`],
      envs: [
        `POSTGRES_DB=${database}`,
        `POSTGRES_USER=${user}`,
        pulumi.secret(pulumi.interpolate`POSTGRES_PASSWORD=${secretValue(secrets, "databasePassword")}`),
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

export function deployCoturn(input: Input, prosody: docker.Container): docker.Container {
  const { parent, plan, secrets } = input;
  const secret = secretValue(secrets, "turnSecret");
  return new docker.Container(
    child(input, "coturn"),
    {
      ...sideContainer(input, "coturn"),
      // TURN relays use a range of UDP ports; the host network avoids mapping each one.
      networkMode: "host",
      command: ["-c", "/etc/coturn/turnserver.conf"],
      uploads: [
        {
          file: "/etc/coturn/turnserver.conf",
          content: pulumi.secret(secret.apply((value) => renderCoturnConfig(plan, value))),
          owner: "0",
          group: COTURN_GROUP,
          permissions: "0640",
        },
      ],
    },
    { parent, deleteBeforeReplace: true, dependsOn: [prosody] },
  );
}

export function deployMinio(input: Input, network: docker.Network, volume: docker.Volume): docker.Container {
  const { parent, secrets } = input;
  return new docker.Container(
    child(input, "minio"),
    {
      ...sideContainer(input, "minio"),
      networksAdvanced: [{ name: network.name, aliases: [MINIO_ENDPOINT.alias] }],
      command: ["server", "/data", "--address", `:${MINIO_ENDPOINT.port}`],
      envs: [
        pulumi.secret(pulumi.interpolate`MINIO_ROOT_USER=${secretValue(secrets, "s3AccessKeyId")}`),
        pulumi.secret(pulumi.interpolate`MINIO_ROOT_PASSWORD=${secretValue(secrets, "s3SecretAccessKey")}`),
      ],
      volumes: [{ volumeName: volume.name, containerPath: "/data" }],
      healthcheck: { tests: ["CMD", "mc", "ready", "local"], interval: "10s", timeout: "5s", retries: 5 },
      wait: true,
      waitTimeout: 120,
    },
    { parent, deleteBeforeReplace: true },
  );
}
