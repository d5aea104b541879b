/**
 * An ACME server on loopback: Debian's pebble, Let's Encrypt's test server,
 * validating DNS-01 challenges by asking a DNS server of the suite's. Its own
 * HTTPS certificate comes from the suite CA (clients trust it through
 * REQUESTS_CA_BUNDLE or NODE_EXTRA_CA_CERTS); the certificates it issues chain
 * to a root it makes at every start, which `root()` reads.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { issueLeaf, suiteCa } from "./certs";
import { waitForExit, waitForPort, waitForPortClosed } from "./prosody";

export interface Pebble {
  /** the directory URL, https://localhost:PORT/dir */
  directory: string;
  /** the root of the certificates it issues (a new one at each start) */
  root(): Promise<string>;
  /** starts it again (after stop()), with a new root */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** stops it for good and removes its folder */
  close(): Promise<void>;
}

function get(url: string, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    request(url, { ca }, (response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => (body += chunk.toString()));
      response.on("end", () =>
        response.statusCode === 200 ? resolve(body) : reject(new Error(`${url}: ${response.statusCode}`)),
      );
    })
      .on("error", reject)
      .end();
  });
}

export async function startPebble(port: number, dnsServer: string): Promise<Pebble> {
  const folder = mkdtempSync(join(tmpdir(), "prosody-e2e-pebble-"));
  issueLeaf(folder, ["localhost"]);
  const config = join(folder, "pebble.json");
  writeFileSync(
    config,
    JSON.stringify({
      pebble: {
        listenAddress: `127.0.0.1:${port}`,
        managementListenAddress: `127.0.0.1:${port + 1}`,
        certificate: join(folder, "localhost.crt"),
        privateKey: join(folder, "localhost.key"),
        httpPort: port + 2,
        tlsPort: port + 3,
        ocspResponderURL: "",
        externalAccountBindingRequired: false,
      },
    }),
  );
  const ca = readFileSync(suiteCa().cert, "utf8");
  let child: ChildProcess | undefined;
  let output = "";
  const start = async () => {
    output = "";
    child = spawn("pebble", ["-config", config, "-dnsserver", dnsServer, "-strict", "false"], {
      stdio: ["ignore", "pipe", "pipe"],
      // No pause before validating, and no nonce refused on purpose: the suite tests renewals, not pebble's faults.
      env: { ...process.env, PEBBLE_VA_NOSLEEP: "1", PEBBLE_WFE_NONCEREJECT: "0" },
    });
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    await waitForPort(port, 15_000, () => output);
    await waitForPort(port + 1, 15_000, () => output);
  };
  const stop = async () => {
    if (!child) return;
    child.kill("SIGTERM");
    await waitForExit(child, 10_000).catch(() => child?.kill("SIGKILL"));
    child = undefined;
    for (const taken of [port, port + 1]) {
      if (!(await waitForPortClosed(taken, 10_000))) throw new Error(`port ${taken} is still taken`);
    }
  };
  await start();
  return {
    directory: `https://localhost:${port}/dir`,
    root: () => get(`https://localhost:${port + 1}/roots/0`, ca),
    start,
    stop,
    async close() {
      await stop();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
