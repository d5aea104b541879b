/**
 * One container description (src/containers/) as the arguments of a
 * docker.Container: plain and secret variables, files copied in with their
 * owner and mode, volumes, published ports and the health check. The only
 * choices made here are Docker's own: files are copied into the container
 * (so its root filesystem stays writable), secrets travel as variables
 * marked secret, ports are published on one host address.
 */
import type * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { ContainerDescription, ContainerVolume, HealthCheck } from "../../../src/containers/description";
import { secretValue, type StackSecrets } from "../../stack-secrets";

export type Value = pulumi.Output<string>;

const seconds = (value: number): string => `${value}s`;

/** Docker's health check: the exec form and its timing as durations. */
export const healthcheck = (health: HealthCheck) => ({
  tests: ["CMD", ...health.command],
  interval: seconds(health.intervalSeconds),
  timeout: seconds(health.timeoutSeconds),
  startPeriod: seconds(health.startSeconds),
  retries: health.retries,
});

const assignment = (variable: string, value: string | Value): pulumi.Input<string> =>
  typeof value === "string" ? `${variable}=${value}` : pulumi.interpolate`${variable}=${value}`;

export interface ContainerPlacement {
  secrets: StackSecrets;
  /** the host address public ports are published on */
  publishAddress: string;
  /** the Docker volume behind each of the description's volumes */
  volumeNames: (volume: ContainerVolume) => pulumi.Input<string>;
  /** false: the TLS pair reaches the container through a volume the certificate renewer writes, not as uploads */
  uploadTls?: boolean;
}

export function containerArgs(
  description: ContainerDescription<Value>,
  { secrets, publishAddress, volumeNames, uploadTls = true }: ContainerPlacement,
): Pick<docker.ContainerArgs, "envs" | "uploads" | "volumes" | "ports" | "healthcheck"> {
  return {
    envs: [
      ...Object.entries(description.environment).map(([variable, value]) => assignment(variable, value)),
      // Files are mounted, so a program that reads a path is told where each one is.
      ...description.files.flatMap((file) => (file.pathVariable ? [`${file.pathVariable}=${file.path}`] : [])),
      ...Object.entries(description.secretEnvironment).map(([variable, key]) =>
        pulumi.secret(pulumi.interpolate`${variable}=${secretValue(secrets, key)}`),
      ),
    ],
    uploads: description.files
      .filter((file) => uploadTls || file.tls === undefined)
      .map((file) => ({
        file: file.path,
        content: file.secret ? pulumi.secret(file.content) : file.content,
        ...(file.owner ? { owner: String(file.owner.uid), group: String(file.owner.gid) } : {}),
        permissions: file.mode,
      })),
    ...(description.volumes.length > 0
      ? {
          volumes: description.volumes.map((volume) => ({
            volumeName: volumeNames(volume),
            containerPath: volume.path,
          })),
        }
      : {}),
    ports: description.ports.flatMap(({ port, publicPort }) =>
      publicPort === undefined ? [] : [{ internal: port, external: publicPort, ip: publishAddress, protocol: "tcp" }],
    ),
    healthcheck: healthcheck(description.health),
  };
}
