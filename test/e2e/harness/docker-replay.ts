/**
 * The Docker platform's Prosody container, replayed without a Docker engine:
 * the inputs the component gives docker.Container (image, env, volumes, the
 * files it uploads with their owner and mode, the health check) are applied
 * the way Docker applies them, then the container runs with buildah. Named
 * volumes are host folders that outlive any one container, as in Docker.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { buildahRunArgs, IMAGE, STORAGE, listenerPid, waitForExit, waitForPort, waitForPortClosed } from "./prosody";

export interface ContainerInputs {
  envs?: string[];
  volumes?: { volumeName: string; containerPath: string }[];
  uploads?: { file: string; content: string; owner?: string; group?: string; permissions?: string }[];
  ports?: { internal: number; external: number }[];
  healthcheck?: { tests: string[] };
}

export class ReplayedContainer {
  private readonly container: string;
  private readonly mounts: string[] = [];
  private child?: ChildProcess;
  private output = "";

  /** `volumesRoot` holds one folder per named volume; `scratch` the files uploaded outside any volume. */
  constructor(
    private readonly inputs: ContainerInputs,
    volumesRoot: string,
    scratch: string,
    imageUser: { uid: number; gid: number },
  ) {
    this.container = execFileSync("buildah", [...STORAGE, "from", IMAGE], { encoding: "utf8" }).trim();
    const volumes = [...(inputs.volumes ?? [])].sort((a, b) => a.containerPath.length - b.containerPath.length);
    for (const volume of volumes) {
      const folder = join(volumesRoot, volume.volumeName);
      // Docker fills a new named volume from the image, so it belongs to the image's prosody user.
      if (!existsSync(folder)) {
        mkdirSync(folder, { recursive: true });
        chownSync(folder, imageUser.uid, imageUser.gid);
      }
      this.mounts.push(`${folder}:${volume.containerPath}`);
    }
    for (const upload of inputs.uploads ?? []) {
      const volume = volumes.filter((entry) => upload.file.startsWith(`${entry.containerPath}/`)).pop();
      const hostFile = volume
        ? join(volumesRoot, volume.volumeName, upload.file.slice(volume.containerPath.length + 1))
        : join(scratch, upload.file);
      mkdirSync(dirname(hostFile), { recursive: true });
      writeFileSync(hostFile, upload.content);
      // docker cp semantics as the provider uses them: root-owned 0644 unless the upload says otherwise.
      chownSync(hostFile, Number(upload.owner ?? 0), Number(upload.group ?? 0));
      chmodSync(hostFile, Number.parseInt(upload.permissions ?? "0644", 8));
      if (!volume) this.mounts.push(`${hostFile}:${upload.file}:ro`);
    }
  }

  private runArgs(command: readonly string[]): string[] {
    const env = Object.fromEntries(
      (this.inputs.envs ?? []).map((entry) => [
        entry.slice(0, entry.indexOf("=")),
        entry.slice(entry.indexOf("=") + 1),
      ]),
    );
    return buildahRunArgs(this.container, this.mounts, env, command);
  }

  exec(command: readonly string[]): { code: number; output: string } {
    const result = spawnSync("buildah", this.runArgs(command), { encoding: "utf8" });
    return { code: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
  }

  /** The container's health check command, as Docker would run it. */
  healthcheck(): { code: number; output: string } {
    const [kind, ...command] = this.inputs.healthcheck?.tests ?? [];
    if (kind !== "CMD") throw new Error(`unsupported health check ${kind}`);
    return this.exec(command);
  }

  async start(): Promise<void> {
    const child = spawn("buildah", this.runArgs(["/usr/local/bin/prosody-entrypoint"]), {
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout?.on("data", (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (this.output += chunk.toString()));
    this.child = child;
    for (const { internal } of this.inputs.ports ?? []) await waitForPort(internal, 30_000, () => this.output);
  }

  log(): string {
    return this.output;
  }

  /** SIGTERM to Prosody, then waits until every published port is free and removes the container. */
  async remove(): Promise<void> {
    const ports = (this.inputs.ports ?? []).map((port) => port.internal);
    const [first] = ports;
    const pid = first === undefined ? undefined : listenerPid(first);
    if (pid !== undefined) process.kill(pid, "SIGTERM");
    if (this.child) await waitForExit(this.child, 15_000).catch(() => this.child?.kill("SIGKILL"));
    for (const port of ports) {
      if (!(await waitForPortClosed(port, 15_000))) throw new Error(`port ${port} is still taken`);
    }
    spawnSync("buildah", [...STORAGE, "rm", this.container], { stdio: "ignore" });
  }
}
