/**
 * Debian's Prometheus and Alertmanager on loopback, as an owner would run
 * them beside a stack: Prometheus scrapes the given jobs every second with
 * the stack's rendered rule file and sends alerts to Alertmanager, which
 * posts them to a webhook receiver at once. Each keeps its data in a folder
 * of its own, removed with it; stop() leaves no process and no port.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { waitForExit, waitForPort } from "./prosody";

export interface ScrapeJob {
  job: string;
  /** host:port */
  target: string;
}

interface Daemon {
  child: ChildProcess;
  folder: string;
  output: () => string;
}

async function startDaemon(program: string, args: (folder: string) => string[], port: number, config: string) {
  const folder = mkdtempSync(join(tmpdir(), `${program}-`));
  writeFileSync(join(folder, "config.yml"), config);
  const child = spawn(program, args(folder), { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const daemon: Daemon = { child, folder, output: () => output };
  try {
    await waitForPort(port, 30_000, daemon.output);
  } catch (error) {
    await stopDaemon(daemon);
    throw error;
  }
  return daemon;
}

async function stopDaemon(daemon: Daemon): Promise<void> {
  if (daemon.child.exitCode === null && daemon.child.signalCode === null) {
    daemon.child.kill("SIGTERM");
    await waitForExit(daemon.child, 15_000).catch(() => daemon.child.kill("SIGKILL"));
  }
  rmSync(daemon.folder, { recursive: true, force: true });
}

export interface Alertmanager {
  address: string;
  stop(): Promise<void>;
}

/** Alertmanager sending every alert, grouped by name, to `receiver` with no wait. */
export async function startAlertmanager(port: number, receiver: string): Promise<Alertmanager> {
  const config = stringify({
    route: {
      receiver: "webhook",
      group_by: ["alertname"],
      group_wait: "1s",
      group_interval: "1s",
      repeat_interval: "1h",
    },
    receivers: [{ name: "webhook", webhook_configs: [{ url: receiver, send_resolved: true }] }],
  });
  const daemon = await startDaemon(
    "prometheus-alertmanager",
    (folder) => [
      `--config.file=${join(folder, "config.yml")}`,
      `--storage.path=${join(folder, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      // One Alertmanager: no gossip port to take.
      "--cluster.listen-address=",
    ],
    port,
    config,
  );
  return { address: `127.0.0.1:${port}`, stop: () => stopDaemon(daemon) };
}

export interface Prometheus {
  /** an instant query's result vector */
  query(expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  /** the alerts Prometheus holds now, with their state */
  alerts(): Promise<{ labels: Record<string, string>; state: string }[]>;
  output(): string;
  stop(): Promise<void>;
}

export async function startPrometheus(
  port: number,
  options: { jobs: readonly ScrapeJob[]; rules: string; alertmanager: string },
): Promise<Prometheus> {
  const config = stringify({
    global: { scrape_interval: "1s", evaluation_interval: "1s" },
    rule_files: ["rules.yml"],
    alerting: { alertmanagers: [{ static_configs: [{ targets: [options.alertmanager] }] }] },
    scrape_configs: options.jobs.map(({ job, target }) => ({
      job_name: job,
      scrape_timeout: "1s",
      static_configs: [{ targets: [target] }],
    })),
  });
  const daemon = await startDaemon(
    "prometheus",
    (folder) => {
      writeFileSync(join(folder, "rules.yml"), options.rules);
      return [
        `--config.file=${join(folder, "config.yml")}`,
        `--storage.tsdb.path=${join(folder, "data")}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ];
    },
    port,
    config,
  );
  const api = async <T>(path: string): Promise<T> => {
    const response = await fetch(`http://127.0.0.1:${port}/api/v1/${path}`);
    const body = (await response.json()) as { status: string; data: T; error?: string };
    if (body.status !== "success") throw new Error(`Prometheus ${path}: ${body.error ?? response.status}`);
    return body.data;
  };
  return {
    query: async (expr) =>
      (
        await api<{ result: { metric: Record<string, string>; value: [number, string] }[] }>(
          `query?query=${encodeURIComponent(expr)}`,
        )
      ).result,
    alerts: async () => (await api<{ alerts: { labels: Record<string, string>; state: string }[] }>("alerts")).alerts,
    output: daemon.output,
    stop: () => stopDaemon(daemon),
  };
}
