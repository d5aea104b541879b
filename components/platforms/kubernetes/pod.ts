/**
 * One container description (src/containers/) as a Kubernetes container and
 * the volumes of its pod. The choices here are Kubernetes' own:
 * - plain variables are set in the pod, secret ones come from the stack's
 *   Secret by `secretKeyRef`, so no secret value sits in the Deployment;
 * - files are mounted, never written by the entrypoint: the configuration
 *   from a ConfigMap, the TLS pair from a `kubernetes.io/tls` Secret mounted as
 *   a folder (no `subPath`, so a renewed certificate reaches the pod);
 * - the root filesystem is read-only, with emptyDirs where programs write;
 * - the health command becomes the startup, readiness and liveness probes,
 *   except in a scheduled description's pod, a job's, which runs its one-shot arguments;
 * - a preparation (Prosody's storage step) runs first as an init container, which no probe cuts short.
 */
import { basename, dirname } from "node:path";
import type { types } from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { ContainerDescription, ContainerFile, HealthCheck } from "../../../src/containers/description";

type Container = types.input.core.v1.Container;
type EnvVar = types.input.core.v1.EnvVar;
type KeyToPath = types.input.core.v1.KeyToPath;
type PodSecurityContext = types.input.core.v1.PodSecurityContext;
type Volume = types.input.core.v1.Volume;
type VolumeMount = types.input.core.v1.VolumeMount;
export type Value = pulumi.Output<string>;

export interface PodPlacement {
  image: pulumi.Input<string>;
  /** the Secret holding every secret variable, by the variable's name; none when there is no secret variable */
  secretName?: pulumi.Input<string>;
  /** the ConfigMap holding the plain files, by their file names */
  configMapName?: pulumi.Input<string>;
  /** the `kubernetes.io/tls` Secret holding tls.crt and tls.key */
  tlsSecretName: pulumi.Input<string>;
  /** the claim behind each volume that holds data */
  claims: Partial<Record<ContainerDescription["volumes"][number]["name"], pulumi.Input<string>>>;
  resources: { cpu: string; memory: string };
  /** folders the program writes to outside its volumes (read-only root filesystem) */
  scratch: readonly string[];
  /** how much each scratch folder may hold; none: as much as the node gives (the backup runner's copies) */
  scratchSizeLimit?: string;
}

export interface PodParts {
  container: Container;
  /** the description's preparation, run to completion before the container starts (no probes apply) */
  initContainers: Container[];
  volumes: Volume[];
  /** the pod's security context: the image's user, and the volumes' group */
  securityContext: PodSecurityContext;
}

/** Files the platform mounts from the ConfigMap: plain text, not the TLS pair. */
export const configFiles = <T>(description: ContainerDescription<T>): ContainerFile<T>[] =>
  description.files.filter((file) => file.tls === undefined);

/** The key a file has in the ConfigMap. */
export const configKey = (file: ContainerFile<unknown>): string => basename(file.path);

/** The TLS Secret's keys, as cert-manager and `kubernetes.io/tls` name them. */
const TLS_KEYS = { certificate: "tls.crt", key: "tls.key" } as const;

/** Port names are IANA service names: 15 lower-case letters, digits and '-' at most. */
export const portName = (name: string): string => name.replace(/_/g, "-").slice(0, 15);

/** Time the first start may take: the entrypoint's config check, the first accounts, the first SQL connection. */
const STARTUP_SECONDS = 120;
const STARTUP_PERIOD_SECONDS = 5;

function probes(health: HealthCheck): Pick<Container, "startupProbe" | "readinessProbe" | "livenessProbe"> {
  const exec = { command: [...health.command] };
  return {
    startupProbe: {
      exec,
      periodSeconds: STARTUP_PERIOD_SECONDS,
      timeoutSeconds: health.timeoutSeconds,
      failureThreshold: Math.ceil(STARTUP_SECONDS / STARTUP_PERIOD_SECONDS),
    },
    readinessProbe: { exec, periodSeconds: 10, timeoutSeconds: health.timeoutSeconds, failureThreshold: 3 },
    livenessProbe: {
      exec,
      periodSeconds: health.intervalSeconds,
      timeoutSeconds: health.timeoutSeconds,
      failureThreshold: health.retries,
    },
  };
}

/** The TLS files of the description must share one folder: the Secret is mounted there. */
function tlsFolder(description: ContainerDescription<unknown>): { path: string; items: KeyToPath[] } | undefined {
  const files = description.files.filter((file) => file.tls !== undefined);
  if (files.length === 0) return undefined;
  const folders = new Set(files.map((file) => dirname(file.path)));
  const [path] = folders;
  if (folders.size !== 1 || path === undefined) throw new Error(`${description.name}: TLS files in several folders`);
  return {
    path,
    items: files.map((file) => ({
      key: TLS_KEYS[file.tls ?? "certificate"],
      path: basename(file.path),
      // Owned by root and the pod's fsGroup: the key is readable by that group only.
      mode: file.secret ? 0o440 : 0o444,
    })),
  };
}

export function podParts(description: ContainerDescription<Value>, placement: PodPlacement): PodParts {
  const mounts: VolumeMount[] = [];
  const volumes: Volume[] = [];
  for (const volume of description.volumes) {
    if (volume.name === "certificates") continue;
    const claimName = placement.claims[volume.name];
    if (claimName === undefined) throw new Error(`${description.name}: no claim for the ${volume.name} volume`);
    volumes.push({ name: volume.name, persistentVolumeClaim: { claimName } });
    mounts.push({ name: volume.name, mountPath: volume.path });
  }
  const tls = tlsFolder(description);
  if (tls) {
    volumes.push({
      name: "tls",
      secret: { secretName: placement.tlsSecretName, items: tls.items, defaultMode: 0o444 },
    });
    mounts.push({ name: "tls", mountPath: tls.path, readOnly: true });
  }
  const files = configFiles(description);
  if (files.length > 0) {
    if (placement.configMapName === undefined) throw new Error(`${description.name}: files but no ConfigMap`);
    volumes.push({ name: "config", configMap: { name: placement.configMapName, defaultMode: 0o444 } });
    // One file each: a changed file comes with a new ConfigMap (and so a new pod), never in place.
    for (const file of files) {
      mounts.push({ name: "config", mountPath: file.path, subPath: configKey(file), readOnly: true });
    }
  }
  placement.scratch.forEach((path, index) => {
    const name = `scratch-${index}`;
    volumes.push({ name, emptyDir: placement.scratchSizeLimit ? { sizeLimit: placement.scratchSizeLimit } : {} });
    mounts.push({ name, mountPath: path });
  });

  const secretVariables = Object.keys(description.secretEnvironment);
  if (secretVariables.length > 0 && placement.secretName === undefined) {
    throw new Error(`${description.name}: secret variables but no Secret`);
  }
  const env: EnvVar[] = [
    ...Object.entries(description.environment).map(([name, value]) => ({ name, value })),
    ...description.files.flatMap((file) => (file.pathVariable ? [{ name: file.pathVariable, value: file.path }] : [])),
    ...secretVariables.map((name) => ({
      name,
      valueFrom: { secretKeyRef: { name: placement.secretName, key: name } },
    })),
  ];
  const { uid, gid } = description.user;
  const shared: Container = {
    name: description.name,
    image: placement.image,
    env,
    resources: {
      requests: { cpu: placement.resources.cpu, memory: placement.resources.memory },
      limits: { memory: placement.resources.memory },
    },
    securityContext: {
      runAsNonRoot: true,
      runAsUser: uid,
      runAsGroup: gid,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    },
    volumeMounts: mounts,
  };
  return {
    container: {
      ...shared,
      ports: description.ports.map((port) => ({
        name: portName(port.name),
        containerPort: port.port,
        protocol: "TCP",
      })),
      // A scheduled description is a job, not a server: its one-shot arguments, and no probe.
      ...(description.schedule ? { args: [...description.schedule.arguments] } : probes(description.health)),
    },
    initContainers: description.preparation
      ? [{ ...shared, name: `${description.name}-prepare`, command: [...description.preparation.command] }]
      : [],
    volumes,
    securityContext: {
      runAsNonRoot: true,
      runAsUser: uid,
      runAsGroup: gid,
      fsGroup: gid,
      // A full relabel of a large data volume at every start would delay it by minutes.
      fsGroupChangePolicy: "OnRootMismatch",
      seccompProfile: { type: "RuntimeDefault" },
    },
  };
}
