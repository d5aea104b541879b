/**
 * One Prosody server under test: the spec is planned and rendered by the
 * project's own code, the certificate covers the plan's host names, and the
 * environment carries the secrets the plan names.
 */
import type { ChildProcess } from "node:child_process";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { type DeploymentPlan, ENV, planDeployment } from "../../../src/plan";
import { renderProsodyConfig } from "../../../src/render/prosody-config";
import { type DeploymentSpecInput, parseDeploymentSpec } from "../../../src/schema";
import { issueLeaf } from "./certs";
import type { Postgres } from "./postgres";
import {
  type CommandResult,
  listenerPid,
  processGone,
  type Runtime,
  waitForExit,
  waitForPort,
  waitForPortClosed,
  type Workspace,
} from "./prosody";

/** USER_HZ of Linux's /proc (sysconf(_SC_CLK_TCK)), 100 on every architecture Node supports. */
const CLOCK_TICKS_PER_SECOND = 100;

/** The CPU time (user + system, ms) a process has used: fields 14 and 15 of /proc/PID/stat, after the command's ")". */
export function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
}

export const PORTS = { c2s: 25222, c2sDirectTls: 25223, s2s: 25269, https: 25281, http: 25280, proxy65: 25000 };

export class ServerUnderTest {
  readonly plan: DeploymentPlan;
  readonly config: string;
  readonly workspace: Workspace;
  private child?: ChildProcess;
  private output = "";
  /** whether start() waits for the HTTPS port too (a replaced config may serve none) */
  private readonly servesHttps: boolean;

  constructor(
    readonly runtime: Runtime,
    input: Omit<DeploymentSpecInput, "paths" | "interfaces" | "ports">,
    private readonly postgres?: Postgres,
    /** replaces the rendered prosody.cfg.lua (a benchmark's stock config); the plan still names hosts and secrets */
    replaceConfig?: (rendered: string) => string,
  ) {
    this.workspace = runtime.workspace();
    const spec = parseDeploymentSpec({
      ...input,
      ...(postgres ? { database: { name: postgres.database, user: postgres.user, port: postgres.port } } : {}),
      prosodyVersion: runtime.version,
      interfaces: ["127.0.0.1"],
      ports: PORTS,
      paths: this.workspace.inside,
    });
    this.plan = planDeployment(spec);
    this.servesHttps = !replaceConfig;
    const rendered = renderProsodyConfig(this.plan);
    this.config = replaceConfig ? replaceConfig(rendered) : rendered;
    writeFileSync(this.workspace.config, this.config);
    issueLeaf(this.workspace.certificates, this.plan.certificateNames);
    // Prosody reads its key as its own user, as the platforms arrange it.
    execFileSync("chown", ["-R", this.workspace.owner, this.workspace.certificates]);
  }

  get domain(): string {
    return this.plan.domains[0] ?? "";
  }

  /** Values for the environment variables the plan names (never written to a file). */
  environment(): Record<string, string> {
    const values: Record<string, string> = {};
    for (const variable of this.plan.environment) {
      if (variable.name === ENV.databaseHost) values[variable.name] = this.postgres?.host ?? "";
      else if (variable.name === ENV.databasePassword) values[variable.name] = this.postgres?.password ?? "";
      else values[variable.name] = `e2e-secret-${variable.name.toLowerCase()}`;
    }
    return values;
  }

  prosodyctl(...args: string[]): CommandResult {
    return this.runtime.prosodyctl(this.workspace, args, this.environment());
  }

  /** Creates many accounts offline (the image's mod_stack_accounts), before the server starts. */
  registerMany(accounts: readonly { username: string; password: string }[]): void {
    const lines = accounts.map(({ username, password }) => `${username}@${this.domain} ${password}\n`).join("");
    const result = this.runtime.prosodyctl(this.workspace, ["mod_stack_accounts", "ensure"], this.environment(), lines);
    if (result.code !== 0)
      throw new Error(`creating ${accounts.length} accounts failed:\n${result.output.slice(-2000)}`);
  }

  /** The Prosody process's resident memory (VmRSS, KiB) and the CPU time it has used (user + system, ms). */
  usage(): { residentKib: number; cpuMs: number } {
    const pid = listenerPid(PORTS.c2s);
    if (pid === undefined) throw new Error("no process listens on the client port");
    const rss = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    if (!rss) throw new Error(`no VmRSS in /proc/${pid}/status`);
    return { residentKib: Number(rss[1]), cpuMs: processCpuMs(pid) };
  }

  register(user: string, password: string): void {
    const result = this.prosodyctl("register", user, this.domain, password);
    if (result.code !== 0) throw new Error(`prosodyctl register ${user} failed:\n${result.output}`);
  }

  async start(): Promise<void> {
    if (listenerPid(PORTS.c2s) !== undefined) throw new Error(`port ${PORTS.c2s} is taken before Prosody starts`);
    this.output = "";
    const child = this.runtime.start(this.workspace, this.environment());
    child.stdout?.on("data", (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (this.output += chunk.toString()));
    this.child = child;
    await waitForPort(PORTS.c2s, 30_000, () => this.output);
    if (this.servesHttps) await waitForPort(PORTS.https, 10_000, () => this.output);
  }

  log(): string {
    return this.output;
  }

  /** Resolves with the runner's exit code (null for a signal) when the Prosody started by start() exits. */
  exited(): Promise<number | null> {
    const child = this.child;
    if (!child) return Promise.reject(new Error("Prosody was not started"));
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
    return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
  }

  /** whether the Prosody started by start() still runs (its runner has not exited) */
  isRunning(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** SIGKILL to the Prosody process itself (the one holding the client port): no shutdown, no flush. */
  async kill9(): Promise<void> {
    const pid = listenerPid(PORTS.c2s);
    if (pid === undefined) throw new Error("no process listens on the client port");
    process.kill(pid, "SIGKILL");
    await this.reap();
  }

  async stop(): Promise<void> {
    const pid = listenerPid(PORTS.c2s);
    if (pid !== undefined) process.kill(pid, "SIGTERM");
    if (!(await waitForPortClosed(PORTS.c2s, 15_000))) {
      const stuck = listenerPid(PORTS.c2s);
      if (stuck !== undefined) process.kill(stuck, "SIGKILL");
    }
    // Prosody closes its listeners first; a process that then never exits would outlive the suite.
    if (pid !== undefined && !(await processGone(pid, 15_000))) process.kill(pid, "SIGKILL");
    await this.reap();
  }

  /** Waits for the runner to exit and every port to be free, so the next server starts on a clean machine. */
  private async reap(): Promise<void> {
    if (this.child) await waitForExit(this.child, 15_000).catch(() => this.child?.kill("SIGKILL"));
    this.child = undefined;
    for (const port of Object.values(PORTS)) {
      if (!(await waitForPortClosed(port, 15_000)))
        throw new Error(`port ${port} is still taken after Prosody stopped`);
    }
  }

  async dispose(): Promise<void> {
    await this.stop();
    this.runtime.release(this.workspace);
  }
}
