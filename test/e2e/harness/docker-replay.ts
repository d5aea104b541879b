/**
 * The Docker platform's Prosody container, replayed without a Docker engine:
 * the inputs the component gives docker.Container (image, env, volumes, the
 * files it uploads with their owner and mode, the health check) are applied
 * the way Docker applies them, then the container runs with buildah. Named
 * volumes are host folders that outlive any one container, as in Docker. The
 * container shares the host's network, so a port published under another
 * number is forwarded on loopback, as Docker's proxy does.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { connect, createServer, type Socket } from "node:net";
import { dirname, join } from "node:path";
import { BACKUP_ENTRYPOINT, BACKUP_USER } from "../../../backup/src/contract";
import { GATEWAY_COMMAND, GATEWAY_USER } from "../../../gateway/src/contract";
import { PROSODY_USER } from "../../../image/contract";
import { RENEWER_ENTRYPOINT } from "../../../renewer/src/contract";
import { WATCHDOG_ENTRYPOINT, WATCHDOG_PROGRAM, WATCHDOG_USER } from "../../../watchdog/src/contract";
import {
  buildahRunArgs,
  descendantPid,
  IMAGE,
  listenerPid,
  processGone,
  STORAGE,
  waitForExit,
  waitForPort,
  waitForPortClosed,
} from "./prosody";

export interface ContainerInputs {
  envs?: string[];
  volumes?: { volumeName: string; containerPath: string }[];
  uploads?: { file: string; content: string; owner?: string; group?: string; permissions?: string }[];
  ports?: { internal: number; external: number }[];
  healthcheck?: { tests: string[] };
}

/**
 * A recorded container's variables with the platform's PostgreSQL (its network alias on Docker, RDS's
 * address on AWS) replaced by the suite's, reached on loopback.
 */
export const withDatabaseAt = (envs: readonly string[] | undefined, host: string): string[] =>
  (envs ?? []).map((entry) => entry.replace(/^(PROSODY_DB_HOST|PGHOST)=.*$/s, `$1=${host}`));

/** What Docker takes from the image: its name, user and entrypoint. */
export interface ReplayedImage {
  name: string;
  user: string;
  entrypoint: readonly string[];
  /** owner of a new named volume (Docker copies the image's folder, owned by the image's user) */
  owner: { uid: number; gid: number };
  /** what names the running program in the process list, when the entrypoint is a script that execs it */
  program?: string;
}

export const PROSODY_IMAGE: ReplayedImage = {
  name: IMAGE,
  user: "prosody",
  entrypoint: ["/usr/local/bin/prosody-entrypoint"],
  owner: PROSODY_USER,
};

export const BACKUP_IMAGE: ReplayedImage = {
  name: process.env.E2E_BACKUP_IMAGE ?? "localhost/prosody-stack/backup:latest",
  user: `${BACKUP_USER.uid}:${BACKUP_USER.gid}`,
  entrypoint: BACKUP_ENTRYPOINT,
  owner: BACKUP_USER,
};

export const RENEWER_IMAGE: ReplayedImage = {
  name: process.env.E2E_RENEWER_IMAGE ?? "localhost/prosody-stack/renewer:latest",
  user: "0:0",
  entrypoint: RENEWER_ENTRYPOINT,
  owner: { uid: 0, gid: 0 },
};

export const WATCHDOG_IMAGE: ReplayedImage = {
  name: process.env.E2E_WATCHDOG_IMAGE ?? "localhost/prosody-stack/watchdog:latest",
  user: `${WATCHDOG_USER.uid}:${WATCHDOG_USER.gid}`,
  entrypoint: WATCHDOG_ENTRYPOINT,
  owner: WATCHDOG_USER,
  program: WATCHDOG_PROGRAM,
};

export const GATEWAY_IMAGE: ReplayedImage = {
  name: process.env.E2E_GATEWAY_IMAGE ?? "localhost/prosody-stack/upload-gateway:latest",
  user: String(GATEWAY_USER.uid),
  entrypoint: GATEWAY_COMMAND,
  owner: GATEWAY_USER,
};

export class ReplayedContainer {
  private readonly container: string;
  private readonly mounts: string[] = [];
  private child?: ChildProcess;
  private output = "";
  private readonly forwarders: (() => Promise<void>)[] = [];

  /** `volumesRoot` holds one folder per named volume; `scratch` the files uploaded outside any volume. */
  constructor(
    private readonly inputs: ContainerInputs,
    volumesRoot: string,
    scratch: string,
    private readonly image: ReplayedImage = PROSODY_IMAGE,
  ) {
    const imageUser = image.owner;
    this.container = execFileSync("buildah", [...STORAGE, "from", image.name], { encoding: "utf8" }).trim();
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
    return buildahRunArgs(this.container, this.mounts, env, command, this.image.user);
  }

  /** Runs a command to its end (at most `timeoutMs`, then SIGKILL: a command that never ends fails the test, not the suite). */
  exec(command: readonly string[], timeoutMs = 180_000): { code: number; output: string } {
    const result = spawnSync("buildah", this.runArgs(command), {
      encoding: "utf8",
      timeout: timeoutMs,
      killSignal: "SIGKILL",
    });
    return { code: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
  }

  /** The container's health check command, as Docker would run it (asynchronously: it may need servers in this process). */
  healthcheck(): Promise<{ code: number; output: string }> {
    const [kind, ...command] = this.inputs.healthcheck?.tests ?? [];
    if (kind !== "CMD") throw new Error(`unsupported health check ${kind}`);
    return this.run(command);
  }

  /** Runs a command to its end without blocking this process, which may hold a server it talks to (s3rver). */
  run(command: readonly string[]): Promise<{ code: number; output: string }> {
    const child = spawn("buildah", this.runArgs(command), { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    return new Promise((resolve) => child.on("close", (code) => resolve({ code: code ?? -1, output })));
  }

  /** Starts the entrypoint and waits for the given ports (default: every published port), each at most `timeoutMs`. */
  async start(
    ports: readonly number[] = (this.inputs.ports ?? []).map((port) => port.internal),
    timeoutMs = 30_000,
  ): Promise<void> {
    // A server left by an earlier test would answer in its place: fail here, naming the port.
    const taken = ports.find((port) => listenerPid(port) !== undefined);
    if (taken !== undefined) throw new Error(`port ${taken} is taken before the container starts`);
    const child = spawn("buildah", this.runArgs(this.image.entrypoint), {
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout?.on("data", (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (this.output += chunk.toString()));
    this.child = child;
    // A container that exits (a refused start) fails at once, with its output, instead of after the wait.
    const exited = new Promise<never>((_, reject) =>
      child.once("exit", (code) => reject(new Error(`the container exited with ${code}:\n${this.output}`))),
    );
    exited.catch(() => undefined);
    for (const port of ports) await Promise.race([waitForPort(port, timeoutMs, () => this.output), exited]);
    for (const { internal, external } of this.inputs.ports ?? []) {
      if (internal !== external) this.forwarders.push(await forward(external, internal));
    }
  }

  log(): string {
    return this.output;
  }

  /** The started program's exit code once it has exited; undefined while it runs. */
  exitCode(): number | null | undefined {
    if (!this.child || (this.child.exitCode === null && this.child.signalCode === null)) return undefined;
    return this.child.exitCode;
  }

  /** SIGKILL to the server mid-flight (no shutdown), then waits until its ports are free; start() runs it again. */
  async kill9(): Promise<void> {
    for (const stop of this.forwarders.splice(0)) await stop();
    const ports = (this.inputs.ports ?? []).map((port) => port.internal);
    const pid = ports[0] === undefined ? undefined : listenerPid(ports[0]);
    if (pid === undefined) throw new Error("no process listens on the container's first port");
    process.kill(pid, "SIGKILL");
    if (this.child) await waitForExit(this.child, 15_000);
    for (const port of ports) {
      if (!(await waitForPortClosed(port, 15_000))) throw new Error(`port ${port} is still taken`);
    }
  }

  /**
   * SIGTERM to the server, then waits until every published port is free and removes the container.
   * A server still running 15 s later gets SIGKILL, as Docker's stop timeout gives it: Prosody sometimes
   * closes its listeners on SIGTERM and then waits on, and would outlive the suite.
   */
  async remove(): Promise<void> {
    for (const stop of this.forwarders.splice(0)) await stop();
    const ports = (this.inputs.ports ?? []).map((port) => port.internal);
    const [first] = ports;
    // The program by its port, or (the backup runner has none) by its command under buildah: a SIGTERM
    // to buildah itself would end it with SIGKILL, where docker stop gives the program SIGTERM.
    const running = this.child?.pid === undefined ? undefined : this.child;
    const pid =
      first !== undefined
        ? listenerPid(first)
        : running?.exitCode === null && running.pid !== undefined
          ? descendantPid(running.pid, this.image.program ?? this.image.entrypoint.at(-1) ?? "")
          : undefined;
    if (pid !== undefined) {
      process.kill(pid, "SIGTERM");
      if (!(await processGone(pid, 15_000))) process.kill(pid, "SIGKILL");
    }
    if (this.child) await waitForExit(this.child, 15_000).catch(() => this.child?.kill("SIGKILL"));
    for (const port of ports) {
      if (!(await waitForPortClosed(port, 15_000))) throw new Error(`port ${port} is still taken`);
    }
    spawnSync("buildah", [...STORAGE, "rm", this.container], { stdio: "ignore" });
  }
}

/** Docker's port publishing on loopback: connections to `external` go to the container's `internal`; returns the stop. */
function forward(external: number, internal: number): Promise<() => Promise<void>> {
  const open = new Set<Socket>();
  const server = createServer((incoming) => {
    const outgoing = connect(internal, "127.0.0.1");
    for (const socket of [incoming, outgoing]) {
      open.add(socket);
      socket.on("close", () => open.delete(socket));
      socket.on("error", () => {
        incoming.destroy();
        outgoing.destroy();
      });
    }
    incoming.pipe(outgoing).pipe(incoming);
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const socket of open) socket.destroy();
      server.close(() => resolve());
    });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(external, "127.0.0.1", () => resolve(stop));
  });
}
