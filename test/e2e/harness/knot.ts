/**
 * A real authoritative DNS server on loopback (Debian's Knot DNS) whose zone
 * changes while it runs (knotc's zone transactions), so an ACME server can
 * look up the TXT records a DNS-01 challenge publishes, as Let's Encrypt
 * looks them up at a zone's name servers.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { Resolver } from "node:dns/promises";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitForExit } from "./prosody";

export interface KnotServer {
  /** host:port */
  address: string;
  zone: string;
  /** adds a TXT value at `name` (absolute, without the trailing dot) */
  addTxt(name: string, value: string): void;
  /** removes one TXT value at `name` */
  removeTxt(name: string, value: string): void;
  /** removes every TXT value at `name`, if there are any */
  clearTxt(name: string): void;
  /** the TXT values at `name`, as the server answers them */
  txt(name: string): Promise<string[]>;
  stop(): Promise<void>;
}

const quoted = (value: string) => `"${value.replace(/["\\]/g, "\\$&")}"`;

export async function startKnot(port: number, zone: string, addresses: Record<string, string>): Promise<KnotServer> {
  const folder = mkdtempSync(join(tmpdir(), "prosody-e2e-knot-"));
  const config = join(folder, "knot.conf");
  writeFileSync(
    join(folder, `${zone}.zone`),
    [
      `$ORIGIN ${zone}.`,
      "$TTL 10",
      `@ SOA ns.${zone}. hostmaster.${zone}. 1 60 60 3600 10`,
      `@ NS ns.${zone}.`,
      "ns A 127.0.0.1",
      ...Object.entries(addresses).map(([name, address]) => `${name}. A ${address}`),
      "",
    ].join("\n"),
  );
  writeFileSync(
    config,
    [
      "server:",
      `  listen: 127.0.0.1@${port}`,
      `  rundir: ${folder}`,
      "control:",
      `  listen: ${join(folder, "knot.sock")}`,
      "database:",
      `  storage: ${folder}`,
      "template:",
      "  - id: default",
      `    storage: ${folder}`,
      '    file: "%s.zone"',
      // The zone changes through knotc only, and is never written back to its file.
      "    zonefile-sync: -1",
      "    journal-content: changes",
      "zone:",
      `  - domain: ${zone}`,
      "",
    ].join("\n"),
  );
  const child: ChildProcess = spawn("knotd", ["-c", config], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const address = `127.0.0.1:${port}`;
  const resolver = new Resolver({ timeout: 500, tries: 1 });
  resolver.setServers([address]);
  for (let waited = 0; ; waited += 100) {
    if (
      await resolver.resolve4(`ns.${zone}`).then(
        () => true,
        () => false,
      )
    )
      break;
    if (waited > 10_000 || child.exitCode !== null) {
      child.kill("SIGKILL");
      rmSync(folder, { recursive: true, force: true });
      throw new Error(`knotd did not start: ${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const knotc = (...args: string[]) => execFileSync("knotc", ["-c", config, ...args], { encoding: "utf8" });
  const change = (operation: "zone-set" | "zone-unset", name: string, value?: string) => {
    knotc("zone-begin", zone);
    try {
      const data = value === undefined ? [] : [quoted(value)];
      knotc(operation, zone, `${name}.`, ...(operation === "zone-set" ? ["10"] : []), "TXT", ...data);
      knotc("zone-commit", zone);
    } catch (error) {
      knotc("zone-abort", zone);
      throw error;
    }
  };
  return {
    address,
    zone,
    addTxt: (name, value) => change("zone-set", name, value),
    removeTxt: (name, value) => change("zone-unset", name, value),
    clearTxt: (name) => {
      try {
        change("zone-unset", name);
      } catch {
        // Nothing to remove.
      }
    },
    txt: async (name) => (await resolver.resolveTxt(name).catch(() => [] as string[][])).map((parts) => parts.join("")),
    async stop() {
      child.kill("SIGTERM");
      await waitForExit(child, 10_000).catch(() => child.kill("SIGKILL"));
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
