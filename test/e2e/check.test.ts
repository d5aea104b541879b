/**
 * `prosody-stack check` against a real Prosody 13 (our image) and a real DNS
 * server on loopback (dnsmasq) serving the plan's zone, run as users run it:
 * the CLI in its own process, the password on standard input. Every check
 * passes against the server as planned, and the check fails, naming what is
 * wrong, when a record is missing, a port is closed, a module is missing, the
 * certificate lacks a host name or has expired, or the CA is not trusted.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CheckReport } from "../../cli/check/report";
import { issueLeaf, suiteCa } from "./harness/certs";
import { type DnsServer, startDnsServer } from "./harness/dns-server";
import { imageRuntime, type Runtime } from "./harness/prosody";
import { ServerUnderTest } from "./harness/server";
import { execFileSync } from "node:child_process";

const DOMAIN = "check.e2e.test";
const DNS_PORT = 25353;
const CLI = join(__dirname, "..", "..", "bin", "prosody-stack");

describe("prosody-stack check, against real Prosody and a real DNS server on loopback", function () {
  this.timeout(300_000);
  let runtime: Runtime;
  let server: ServerUnderTest;
  let dns: DnsServer;
  let folder: string;

  const specFile = (change: (spec: Record<string, unknown>) => void = () => undefined): string => {
    const spec = JSON.parse(JSON.stringify(server.plan.spec)) as Record<string, unknown>;
    change(spec);
    const file = join(folder, `spec-${Math.random().toString(16).slice(2)}.json`);
    writeFileSync(file, JSON.stringify(spec));
    return file;
  };

  /** The CLI in its own process, without the suite's NODE_EXTRA_CA_CERTS: trust comes from --ca alone. */
  const check = (
    args: string[],
    password?: string,
  ): { code: number; report?: CheckReport; stdout: string; stderr: string } => {
    const env = { ...process.env };
    delete env.NODE_EXTRA_CA_CERTS;
    const result = spawnSync(CLI, ["check", "--resolver", dns.address, ...args], {
      encoding: "utf8",
      input: password === undefined ? "" : `${password}\n`,
      env,
    });
    const json = args.includes("--json") ? (JSON.parse(result.stdout) as CheckReport) : undefined;
    return {
      code: result.status ?? -1,
      stdout: result.stdout,
      stderr: result.stderr,
      ...(json ? { report: json } : {}),
    };
  };

  const failures = (report: CheckReport | undefined) =>
    (report?.checks ?? []).filter((entry) => entry.status === "fail").map((entry) => `${entry.name}: ${entry.detail}`);

  const reissue = async (names: readonly string[], validity?: { start: string; end: string }) => {
    await server.stop();
    issueLeaf(server.workspace.certificates, names, validity);
    execFileSync("chown", ["-R", server.workspace.owner, server.workspace.certificates]);
    await server.start();
  };

  before(async () => {
    folder = mkdtempSync(join(tmpdir(), "prosody-check-"));
    runtime = imageRuntime();
    // The version module is left out, so a spec that plans it shows a module missing on the server.
    server = new ServerUnderTest(runtime, {
      domain: DOMAIN,
      tier: "community",
      dns: { ipv4: ["127.0.0.1"] },
      modules: { remove: ["version"] },
    });
    server.register("alice", "alice-password");
    await server.start();
    dns = await startDnsServer(DNS_PORT, DOMAIN, server.plan.dns.records);
  });

  after(async () => {
    await dns?.stop();
    await server?.stop().catch(() => undefined);
    if (server) runtime.release(server.workspace);
    rmSync(folder, { recursive: true, force: true });
  });

  it("passes every check against the server as planned, logged in, with the suite's CA given by --ca", () => {
    const result = check(
      ["--spec", specFile(), "--ca", suiteCa().cert, "--jid", `alice@${DOMAIN}`, "--json"],
      "alice-password",
    );
    assert.deepEqual(failures(result.report), [], result.stderr);
    assert.equal(result.code, 0, result.stderr);
    const groups = new Set(result.report?.checks.map((entry) => entry.group));
    assert.deepEqual([...groups].sort(), ["dns", "features", "login", "ports", "tls", "updates"]);
    const names = result.report?.checks.map((entry) => entry.name) ?? [];
    for (const expected of [
      `SRV _xmpp-client._tcp.${DOMAIN}`,
      `SRV _xmpps-client._tcp.${DOMAIN}`,
      `SRV _xmpp-server._tcp.${DOMAIN}`,
      `SRV _xmpp-server._tcp.groups.${DOMAIN}`,
      `A share.${DOMAIN}`,
      "c2s STARTTLS",
      "s2s STARTTLS",
      `direct TLS as proxy.${DOMAIN}`,
      "certificate expiry",
      "direct TLS: TLS below 1.2",
      "disco#info of the domain",
      "message archive",
      "upload slot",
      "server software",
      "image packages",
    ]) {
      assert.ok(names.includes(expected), `no check named ${expected} in ${names.join(", ")}`);
    }
    assert.ok(!result.stdout.includes("alice-password"), "the report never shows the password");
    const expiry = result.report?.checks.find((entry) => entry.name === "certificate expiry");
    assert.equal(expiry?.status, "warn", "the suite's leaf lasts 2 days: a warning under 14");
    const software = result.report?.checks.find((entry) => entry.name === "server software");
    // This server leaves version out (modules.remove above); the Docker renewal test reads a real answer.
    assert.deepEqual(
      [software?.status, software?.detail],
      ["skip", "the plan leaves out version, which answers XEP-0092"],
    );

    const text = check(["--spec", specFile(), "--ca", suiteCa().cert]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(
      text.stdout,
      new RegExp(`^prosody-stack check: ${DOMAIN.replace(/\./g, "\\.")} at 127\\.0\\.0\\.1$`, "m"),
    );
    assert.match(text.stdout, /^ {2}ok {4}SRV _xmpp-client\._tcp\.check\.e2e\.test: 0 5 25222 check\.e2e\.test\.$/m);
    assert.match(text.stdout, /^ {2}skip {2}as an account: give --jid/m);
    assert.match(text.stdout, /^ {2}skip {2}image packages: give --image/m);
    assert.match(text.stdout, /^\d+ passed, 1 warnings, 0 failed, 2 skipped$/m);
  });

  it("fails on a chain it cannot trust, and says to give --ca", () => {
    const result = check(["--spec", specFile(), "--json"]);
    assert.equal(result.code, 3);
    assert.ok(
      failures(result.report).some((line) => /^c2s STARTTLS: the chain is not trusted .*give --ca FILE/.test(line)),
    );
  });

  it("fails on a missing record, naming it", async () => {
    await dns.stop();
    const srv = `_xmpps-client._tcp.${DOMAIN}`;
    dns = await startDnsServer(
      DNS_PORT,
      DOMAIN,
      server.plan.dns.records.filter((record) => record.name !== srv),
    );
    try {
      const result = check(["--spec", specFile(), "--ca", suiteCa().cert, "--json"]);
      assert.equal(result.code, 3);
      assert.deepEqual(failures(result.report), [`SRV ${srv}: no such record; publish 0 5 25223 ${DOMAIN}.`]);
    } finally {
      await dns.stop();
      dns = await startDnsServer(DNS_PORT, DOMAIN, server.plan.dns.records);
    }
  });

  it("fails on a closed port", () => {
    const result = check([
      "--spec",
      specFile((spec) => ((spec.ports as Record<string, number>).c2sDirectTls = 25299)),
      "--ca",
      suiteCa().cert,
      "--json",
    ]);
    assert.equal(result.code, 3);
    const failed = failures(result.report);
    assert.ok(
      failed.some((line) =>
        /^c2s_direct_tls 25299: connect ECONNREFUSED 127\.0\.0\.1:25299: is the server running/.test(line),
      ),
      failed.join("\n"),
    );
  });

  it("fails on a module the plan loads and the server does not", () => {
    const result = check(
      [
        "--spec",
        specFile((spec) => (spec.modules = { ...(spec.modules as object), remove: [] })),
        "--ca",
        suiteCa().cert,
        "--jid",
        `alice@${DOMAIN}`,
        "--json",
      ],
      "alice-password",
    );
    assert.equal(result.code, 3);
    assert.deepEqual(failures(result.report), [
      "disco#info of the domain: jabber:iq:version is missing (module version is planned)",
    ]);
  });

  it("fails on a certificate that lacks a planned host, and on one that has expired", async () => {
    const names = server.plan.certificateNames;
    await reissue(names.filter((name) => name !== `share.${DOMAIN}`));
    const lacking = check(["--spec", specFile(), "--ca", suiteCa().cert, "--json"]);
    assert.equal(lacking.code, 3);
    assert.ok(
      failures(lacking.report).some(
        (line) => line === `direct TLS as share.${DOMAIN}: the certificate does not name share.${DOMAIN}`,
      ),
      failures(lacking.report).join("\n"),
    );
    await reissue(names, { start: "20240101000000Z", end: "20240201000000Z" });
    const expired = check(["--spec", specFile(), "--ca", suiteCa().cert, "--json"]);
    assert.equal(expired.code, 3);
    assert.ok(
      failures(expired.report).some((line) => /^certificate expiry: expired on Feb {2}1 00:00:00 2024 GMT$/.test(line)),
      failures(expired.report).join("\n"),
    );
    await reissue(names);
  });
});
