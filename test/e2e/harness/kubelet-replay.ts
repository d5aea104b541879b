/**
 * A pod's one container, started from the manifests the Kubernetes platform
 * recorded, the way the kubelet and a container runtime start it, without a
 * cluster:
 * - a fresh root filesystem from our image (buildah), mounted read-only when
 *   the container says readOnlyRootFilesystem;
 * - Secret and ConfigMap volumes projected as the kubelet's AtomicWriter
 *   writes them (a timestamped folder, `..data` pointing at it, each item a
 *   link through `..data`, owned by root and the pod's fsGroup, with the
 *   item's mode), updated by swapping `..data`; a subPath mount binds the
 *   file itself, so it never sees an update;
 * - claims and emptyDirs as host folders, group-owned by the fsGroup with the
 *   setgid bit, as the kubelet leaves them;
 * - variables from `value` or `secretKeyRef`, the user, group and
 *   supplementary fsGroup from the security context.
 * The runtime is util-linux: a mount namespace (unshare), bind mounts and
 * chroot, on the host's network. buildah only provides the root filesystem,
 * because `buildah run` cannot run on a read-only root.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import type { TestedRun } from "../../support/mock-stack";
import { IMAGE, STORAGE, waitForExit } from "./prosody";

interface KeyToPath {
  key: string;
  path: string;
  mode?: number;
}
interface Volume {
  name: string;
  persistentVolumeClaim?: { claimName: string };
  secret?: { secretName: string; items?: KeyToPath[]; defaultMode?: number };
  configMap?: { name: string; items?: KeyToPath[]; defaultMode?: number };
  emptyDir?: Record<string, unknown>;
}
interface Mount {
  name: string;
  mountPath: string;
  subPath?: string;
  readOnly?: boolean;
}
interface Container {
  name: string;
  command?: string[];
  env: { name: string; value?: string; valueFrom?: { secretKeyRef: { name: string; key: string } } }[];
  volumeMounts: Mount[];
  securityContext: { runAsUser: number; runAsGroup: number; readOnlyRootFilesystem: boolean };
  readinessProbe?: { exec: { command: string[] } };
}
export interface PodTemplate {
  securityContext: { fsGroup: number };
  initContainers?: Container[];
  containers: Container[];
  volumes: Volume[];
}

/** The image's own settings a runtime starts a container with. */
const IMAGE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
const IMAGE_ENTRYPOINT = ["/usr/local/bin/prosody-entrypoint"];

/** What the cluster holds by name: Secrets and ConfigMaps, as the recorded run made them (the mocks' generated names). */
export class ClusterObjects {
  private readonly objects = new Map<string, Record<string, string>>();

  constructor(run: TestedRun) {
    for (const resource of run.resources) {
      if (resource.type !== "kubernetes:core/v1:Secret" && resource.type !== "kubernetes:core/v1:ConfigMap") continue;
      const inputs = resource.clearInputs as {
        metadata: { name?: string };
        data?: Record<string, string>;
        stringData?: Record<string, string>;
      };
      const data = inputs.stringData ?? inputs.data ?? {};
      this.objects.set(inputs.metadata.name ?? `generated:${resource.name}`, data);
    }
  }

  /** A Secret someone else writes (cert-manager's). */
  put(name: string, data: Record<string, string>): void {
    this.objects.set(name, data);
  }

  get(name: string): Record<string, string> {
    const exact = this.objects.get(name);
    if (exact) return exact;
    // A generated name is the logical name and 8 hex characters.
    const generated = this.objects.get(`generated:${name.replace(/-[0-9a-f]{8}$/, "")}`);
    if (!generated) throw new Error(`the cluster holds no Secret or ConfigMap named ${name}`);
    return generated;
  }
}

export class KubeletReplay {
  private readonly container: string;
  private readonly rootfs: string;
  private readonly folders = new Map<string, string>();
  private child?: ChildProcess;
  private output = "";

  /** `nodeRoot` holds the claims (which outlive the pod) and this pod's volumes. */
  constructor(
    private readonly pod: PodTemplate,
    private readonly objects: ClusterObjects,
    private readonly nodeRoot: string,
    private readonly podName: string,
  ) {
    this.container = execFileSync("buildah", [...STORAGE, "from", IMAGE], { encoding: "utf8" }).trim();
    this.rootfs = execFileSync("buildah", [...STORAGE, "mount", this.container], { encoding: "utf8" }).trim();
    const fsGroup = pod.securityContext.fsGroup;
    for (const volume of pod.volumes) {
      if (volume.persistentVolumeClaim) {
        const folder = join(nodeRoot, "claims", volume.persistentVolumeClaim.claimName);
        if (!existsSync(folder)) {
          // A new volume is root's; the kubelet gives it to the fsGroup (OnRootMismatch: once).
          mkdirSync(folder, { recursive: true });
          chownSync(folder, 0, fsGroup);
          chmodSync(folder, 0o2775);
        }
        this.folders.set(volume.name, folder);
      } else if (volume.emptyDir) {
        const folder = join(nodeRoot, podName, "empty-dir", volume.name);
        mkdirSync(folder, { recursive: true });
        chownSync(folder, 0, fsGroup);
        chmodSync(folder, 0o2777);
        this.folders.set(volume.name, folder);
      } else {
        const source = volume.secret ?? volume.configMap;
        if (!source) throw new Error(`volume ${volume.name}: unsupported source`);
        const folder = join(nodeRoot, podName, "projected", volume.name);
        mkdirSync(folder, { recursive: true });
        this.folders.set(volume.name, folder);
        this.project(volume.name);
      }
    }
  }

  private projectedSource(volumeName: string): { name: string; items?: KeyToPath[]; defaultMode?: number } {
    const volume = this.pod.volumes.find((entry) => entry.name === volumeName);
    const source = volume?.secret ? { ...volume.secret, name: volume.secret.secretName } : volume?.configMap;
    if (!source) throw new Error(`volume ${volumeName} is not projected`);
    return source;
  }

  /** Writes the volume's current data the kubelet's way: a new timestamped folder, then `..data` swapped to it. */
  project(volumeName: string): void {
    const folder = this.folders.get(volumeName);
    if (!folder) throw new Error(`no volume ${volumeName}`);
    const source = this.projectedSource(volumeName);
    const data = this.objects.get(source.name);
    const items: KeyToPath[] = source.items ?? Object.keys(data).map((key) => ({ key, path: key }));
    const stamp = `..${new Date().toISOString().replace(/[-:.]/g, "_")}.${Math.random().toString(36).slice(2, 8)}`;
    const target = join(folder, stamp);
    mkdirSync(target);
    chmodSync(target, 0o755);
    for (const item of items) {
      const value = data[item.key];
      if (value === undefined) throw new Error(`${source.name} has no key ${item.key}`);
      const file = join(target, item.path);
      writeFileSync(file, value);
      chownSync(file, 0, this.pod.securityContext.fsGroup);
      chmodSync(file, item.mode ?? source.defaultMode ?? 0o644);
    }
    const current = join(folder, "..data");
    const previous = existsSync(current) ? readlinkSync(current) : undefined;
    symlinkSync(stamp, join(folder, "..data_tmp"));
    renameSync(join(folder, "..data_tmp"), current);
    for (const item of items) {
      const link = join(folder, item.path);
      if (!existsSync(link)) symlinkSync(join("..data", item.path), link);
    }
    if (previous) rmSync(join(folder, previous), { recursive: true, force: true });
  }

  private get spec(): Container {
    const [container] = this.pod.containers;
    if (!container) throw new Error("the pod has no container");
    return container;
  }

  /** The shell script that sets up a container's mounts in a new mount namespace, then runs `command` as its user. */
  private script(command: readonly string[], spec: Container): string {
    const root = this.rootfs;
    const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
    const lines = [
      "set -eu",
      `mount --bind ${quote(root)} ${quote(root)}`,
      `mount --rbind /dev ${quote(`${root}/dev`)}`,
      `mount -t proc proc ${quote(`${root}/proc`)}`,
    ];
    // Shorter paths first: a mount inside another volume lands on top of it.
    const mounts = [...spec.volumeMounts].sort((a, b) => a.mountPath.length - b.mountPath.length);
    for (const mount of mounts) {
      const folder = this.folders.get(mount.name);
      if (!folder) throw new Error(`mount of unknown volume ${mount.name}`);
      // subPath: the runtime binds the file the link resolves to, once.
      const source = mount.subPath ? join(folder, "..data", mount.subPath) : folder;
      const target = `${root}${mount.mountPath}`;
      lines.push(
        mount.subPath ? `[ -e ${quote(target)} ] || touch ${quote(target)}` : `mkdir -p ${quote(target)}`,
        `mount --bind "$(readlink -f ${quote(source)})" ${quote(target)}`,
      );
      if (mount.readOnly) lines.push(`mount -o remount,ro,bind ${quote(target)}`);
    }
    if (spec.securityContext.readOnlyRootFilesystem) lines.push(`mount -o remount,ro,bind ${quote(root)}`);
    const { runAsUser, runAsGroup } = spec.securityContext;
    const groups = [...new Set([runAsGroup, this.pod.securityContext.fsGroup])].join(",");
    lines.push(
      `exec chroot --userspec=${runAsUser}:${runAsGroup} --groups=${groups} ${quote(root)} ${command.map(quote).join(" ")}`,
    );
    return lines.join("\n");
  }

  /** A container's environment: the image's PATH, then each variable from its value or its Secret. */
  environment(spec: Container = this.spec): Record<string, string> {
    const env: Record<string, string> = { PATH: IMAGE_PATH, HOME: "/" };
    for (const variable of spec.env) {
      const reference = variable.valueFrom?.secretKeyRef;
      const value = reference ? this.objects.get(reference.name)[reference.key] : variable.value;
      if (value === undefined) throw new Error(`no value for ${variable.name}`);
      env[variable.name] = value;
    }
    return env;
  }

  private spawnInContainer(command: readonly string[], spec: Container = this.spec): ChildProcess {
    // A process group of its own: stopping the pod ends whatever the container started, as a runtime does.
    return spawn("unshare", ["--mount", "--propagation", "private", "sh", "-c", this.script(command, spec)], {
      env: this.environment(spec),
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
  }

  /** Runs a command in the container's mounts, as its user (kubectl exec; a probe). */
  exec(command: readonly string[]): Promise<{ code: number; output: string }> {
    const child = this.spawnInContainer(command);
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    return new Promise((resolve) => child.on("close", (code) => resolve({ code: code ?? -1, output })));
  }

  /** The readiness probe, as the kubelet runs it. */
  probe(): Promise<{ code: number; output: string }> {
    const probe = this.spec.readinessProbe;
    if (!probe) throw new Error("the container has no readiness probe");
    return this.exec(probe.exec.command);
  }

  /** Runs the init containers one after the other, each to a zero exit (or throws with its output), then the container. */
  async start(): Promise<void> {
    for (const init of this.pod.initContainers ?? []) {
      const child = this.spawnInContainer(init.command ?? IMAGE_ENTRYPOINT, init);
      let output = "";
      child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
      this.output += output;
      if (code !== 0) throw new Error(`init container ${init.name} exited with ${code}:\n${output}`);
    }
    const child = this.spawnInContainer(this.spec.command ?? IMAGE_ENTRYPOINT);
    child.stdout?.on("data", (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (this.output += chunk.toString()));
    this.child = child;
  }

  log(): string {
    return this.output;
  }

  /** SIGTERM, as the kubelet stops a pod, then the root filesystem goes; the claims stay. */
  async remove(): Promise<void> {
    const child = this.child;
    if (child?.pid !== undefined && child.exitCode === null) {
      child.kill("SIGTERM");
      await waitForExit(child, 20_000).catch(() => child.kill("SIGKILL"));
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // the group is gone already
      }
    }
    spawnSync("buildah", [...STORAGE, "umount", this.container], { stdio: "ignore" });
    spawnSync("buildah", [...STORAGE, "rm", this.container], { stdio: "ignore" });
    rmSync(join(this.nodeRoot, this.podName), { recursive: true, force: true });
  }

  /** Where a volume lives on the "node". */
  folder(volumeName: string): string {
    const folder = this.folders.get(volumeName);
    if (!folder) throw new Error(`no volume ${volumeName}`);
    return folder;
  }
}
