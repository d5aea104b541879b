/**
 * Real Prosody, two ways: 13 in our image (buildah run, no Docker engine) and
 * 0.12 from Debian bookworm on this machine. Both get the rendered file, the
 * certificates and a data folder, run as the prosody user, and can be killed
 * with SIGKILL and started again on the same data.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "node:net";

export const IMAGE = process.env.E2E_IMAGE ?? "localhost/prosody-stack/prosody:13";
/** buildah storage options every buildah call of the suite uses. */
export const STORAGE = ["--storage-driver", process.env.STORAGE_DRIVER ?? "vfs"];

export interface CommandResult {
  code: number;
  output: string;
}

export interface Workspace {
  /** host folders */
  root: string;
  config: string;
  certificates: string;
  data: string;
  /** user:group that Prosody runs as (numeric inside the image) */
  owner: string;
  /** the buildah container of this workspace (image runtime): a rootfs of its own, so mounts never mix */
  container?: string;
  /** the same folders as Prosody sees them (the spec's paths) */
  inside: { data: string; certificates: string };
}

export interface Runtime {
  version: "0.12" | "13";
  workspace(): Workspace;
  /** `input` goes to prosodyctl's standard input (e.g. "jid password" lines for mod_stack_accounts) */
  prosodyctl(
    workspace: Workspace,
    args: readonly string[],
    env?: Record<string, string>,
    input?: string,
  ): CommandResult;
  start(workspace: Workspace, env: Record<string, string>): ChildProcess;
  /** removes the workspace's folders and container */
  release(workspace: Workspace): void;
}

function makeWorkspace(owner: string, inside?: Workspace["inside"]): Workspace {
  const root = mkdtempSync(join(tmpdir(), "prosody-e2e-"));
  chmodSync(root, 0o755);
  const workspace = {
    root,
    config: join(root, "prosody.cfg.lua"),
    certificates: join(root, "certs"),
    data: join(root, "data"),
  };
  mkdirSync(workspace.certificates);
  mkdirSync(workspace.data);
  writeFileSync(workspace.config, "");
  execFileSync("chown", ["-R", owner, workspace.data, workspace.certificates]);
  return { ...workspace, owner, inside: inside ?? { data: workspace.data, certificates: workspace.certificates } };
}

const envArgs = (flag: string, env: Record<string, string>) =>
  Object.entries(env).flatMap(([k, v]) => [flag, `${k}=${v}`]);

/** `buildah run` arguments: the user (prosody unless said), the host's network, the given mounts ("host:container[:ro]") and env. */
export const buildahRunArgs = (
  container: string,
  mounts: readonly string[],
  env: Record<string, string>,
  command: readonly string[],
  user = "prosody",
) => [
  ...STORAGE,
  "run",
  "--isolation",
  "chroot",
  "--network",
  "host",
  "--user",
  user,
  ...mounts.flatMap((mount) => ["-v", mount]),
  ...envArgs("--env", env),
  container,
  "--",
  ...command,
];

/** `buildah run` arguments for a command in a workspace's container, with its config, certificates and data mounted. */
export const runArgs = (workspace: Workspace, env: Record<string, string>, command: readonly string[]) =>
  buildahRunArgs(
    workspace.container ?? "",
    [
      `${workspace.config}:/etc/prosody/prosody.cfg.lua:ro`,
      `${workspace.certificates}:/etc/prosody/certs:ro`,
      `${workspace.data}:/var/lib/prosody`,
    ],
    env,
    command,
  );

/** Runs a command in a workspace's container (image runtime) and collects its output. */
export function runInContainer(workspace: Workspace, command: readonly string[], env: Record<string, string> = {}) {
  const result = spawnSync("buildah", runArgs(workspace, env, command), { encoding: "utf8" });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Prosody 13 from our image, run with `buildah run` (DESIGN.md §3). `openFiles`
 * raises the container's open-file limit, which buildah otherwise leaves at 1,024:
 * a load of thousands of sessions needs one descriptor each.
 */
export function imageRuntime({ openFiles }: { openFiles?: number } = {}): Runtime {
  const buildah = (args: readonly string[]) =>
    execFileSync("buildah", [...STORAGE, ...args], { encoding: "utf8" }).trim();
  const probe = buildah(["from", IMAGE]);
  const run = (args: readonly string[]) => buildah(["run", "--isolation", "chroot", probe, "--", ...args]);
  const owner = `${run(["id", "-u", "prosody"])}:${run(["id", "-g", "prosody"])}`;
  buildah(["rm", probe]);
  return {
    version: "13",
    workspace: () => ({
      ...makeWorkspace(owner, { data: "/var/lib/prosody", certificates: "/etc/prosody/certs" }),
      container: buildah(["from", ...(openFiles ? ["--ulimit", `nofile=${openFiles}:${openFiles}`] : []), IMAGE]),
    }),
    prosodyctl(workspace, args, env = {}, input) {
      const result = spawnSync(
        "buildah",
        runArgs(workspace, env, ["prosodyctl", "--config", "/etc/prosody/prosody.cfg.lua", ...args]),
        { encoding: "utf8", input },
      );
      return { code: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
    },
    start: (workspace, env) =>
      spawn("buildah", runArgs(workspace, env, ["/usr/local/bin/prosody-entrypoint"]), {
        stdio: ["ignore", "pipe", "pipe"],
      }),
    release(workspace) {
      if (workspace.container) spawnSync("buildah", [...STORAGE, "rm", workspace.container], { stdio: "ignore" });
      removeWorkspace(workspace);
    },
  };
}

/** Prosody 0.12 from Debian bookworm, installed on this machine, run as the prosody user. */
export function hostRuntime(): Runtime {
  const owner = "prosody:prosody";
  const asProsody = (env: Record<string, string>, command: readonly string[]) => [
    "-u",
    "prosody",
    "--",
    "env",
    ...Object.entries(env).map(([k, v]) => `${k}=${v}`),
    ...command,
  ];
  return {
    version: "0.12",
    workspace: () => makeWorkspace(owner),
    prosodyctl(workspace, args, env = {}, input) {
      const result = spawnSync("runuser", asProsody(env, ["prosodyctl", "--config", workspace.config, ...args]), {
        encoding: "utf8",
        input,
      });
      return { code: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
    },
    start: (workspace, env) =>
      spawn("runuser", asProsody(env, ["prosody", "--config", workspace.config, "-F"]), {
        stdio: ["ignore", "pipe", "pipe"],
      }),
    release: removeWorkspace,
  };
}

const removeWorkspace = (workspace: Workspace) => rmSync(workspace.root, { recursive: true, force: true });

/** The PID of the process listening on a loopback TCP port, from `ss`. */
export function listenerPid(port: number): number | undefined {
  const out = execFileSync("ss", ["-Hltnp", `sport = :${port}`], { encoding: "utf8" });
  const match = /pid=(\d+)/.exec(out);
  return match ? Number(match[1]) : undefined;
}

/**
 * The deepest process under `ancestor` whose command line contains `text`, from /proc: the program
 * itself, not the runtime processes above it that carry the same command line (buildah's chroot exec).
 */
export function descendantPid(ancestor: number, text: string): number | undefined {
  const parents = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // gone meanwhile
    }
  }
  /** how far below `ancestor` a process is; 0 when it is not below it */
  const depth = (pid: number): number => {
    let steps = 0;
    for (let parent = parents.get(pid); parent !== undefined && parent > 1; parent = parents.get(parent)) {
      steps += 1;
      if (parent === ancestor) return steps;
    }
    return 0;
  };
  let found: { pid: number; depth: number } | undefined;
  for (const pid of parents.keys()) {
    const below = depth(pid);
    if (below === 0 || (found && found.depth >= below)) continue;
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(text)) found = { pid, depth: below };
    } catch {
      // gone meanwhile
    }
  }
  return found?.pid;
}

/** Waits until the process is gone; false when it still runs after `timeoutMs`. */
export async function processGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!existsSync(`/proc/${pid}`)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

/** Waits until nothing listens on `port` any more (the process is gone, not just closing). */
export async function waitForPortClosed(port: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (listenerPid(port) === undefined) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

export async function waitForPort(port: number, timeoutMs: number, log: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: "127.0.0.1", port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`Prosody did not open port ${port} within ${timeoutMs} ms. Its output:\n${log()}`);
}

export async function waitForExit(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("process did not exit")), timeoutMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
