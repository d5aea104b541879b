/**
 * One Prosody server under test: the spec is planned and rendered by the
 * project's own code, the certificate covers the plan's host names, and the
 * environment carries the secrets the plan names.
 */
import type { ChildProcess } from "node:child_process";
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { type DeploymentPlan, ENV, planDeployment } from "../../../src/plan";
import { renderProsodyConfig } from "../../../src/render/prosody-config";
import { type DeploymentSpecInput, parseDeploymentSpec } from "../../../src/schema";
import { issueLeaf } from "./certs";
import type { Postgres } from "./postgres";
import {
  type CommandResult,
  listenerPid,
  type Runtime,
  waitForExit,
  waitForPort,
  waitForPortClosed,
  type Workspace,
} from "./prosody";

export const PORTS = { c2s: 25222, c2sDirectTls: 25223, s2s: 25269, https: 25281, http: 25280, proxy65: 25000 };

export class ServerUnderTest {
  readonly plan: DeploymentPlan;
  readonly config: string;
  readonly workspace: Workspace;
  private child?: ChildProcess;
  private output = "";

  constructor(
    readonly runtime: Runtime,
    input: Omit<DeploymentSpecInput, "paths" | "interfaces" | "ports">,
    private readonly postgres?: Postgres,
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
    this.config = renderProsodyConfig(this.plan);
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
    await waitForPort(PORTS.https, 10_000, () => this.output);
  }

  log(): string {
    return this.output;
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
