/**
 * A real DNS server on loopback (Debian's dnsmasq) serving a plan's records,
 * authoritative for the test domain, so `check --resolver` asks it exactly as
 * a client asks a zone's name servers.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { Resolver } from "node:dns/promises";
import type { DnsRecord } from "../../../src/plan/types";
import { waitForExit } from "./prosody";

export interface DnsServer {
  address: string;
  stop(): Promise<void>;
}

function dnsmasqArguments(port: number, zone: string, records: readonly DnsRecord[]): string[] {
  const args = [
    "--keep-in-foreground",
    "--conf-file=/dev/null",
    "--no-resolv",
    "--no-hosts",
    "--bind-interfaces",
    "--listen-address=127.0.0.1",
    `--port=${port}`,
    "--pid-file=",
    "--user=root",
    `--local=/${zone}/`,
  ];
  const addresses = new Map<string, string[]>();
  for (const record of records) {
    if (record.type === "SRV") {
      const [priority, weight, targetPort, target = ""] = record.value.split(" ");
      args.push(`--srv-host=${record.name},${target.replace(/\.$/, "")},${targetPort},${priority},${weight}`);
    } else {
      addresses.set(record.name, [...(addresses.get(record.name) ?? []), record.value]);
    }
  }
  for (const [name, values] of addresses) args.push(`--host-record=${name},${values.join(",")}`);
  return args;
}

export async function startDnsServer(port: number, zone: string, records: readonly DnsRecord[]): Promise<DnsServer> {
  const child: ChildProcess = spawn("dnsmasq", dnsmasqArguments(port, zone, records), {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const address = `127.0.0.1:${port}`;
  const resolver = new Resolver({ timeout: 500, tries: 1 });
  resolver.setServers([address]);
  for (let waited = 0; ; waited += 100) {
    const answered = await resolver.resolve4(zone).then(
      () => true,
      (error: { code?: string }) => error.code === "ENOTFOUND" || error.code === "ENODATA",
    );
    if (answered) break;
    if (waited > 10_000 || child.exitCode !== null) throw new Error(`dnsmasq did not start: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    address,
    stop: async () => {
      child.kill("SIGTERM");
      await waitForExit(child, 10_000).catch(() => child.kill("SIGKILL"));
    },
  };
}
