/**
 * Every TLS listener of every tier, scanned by Debian's sslscan against our
 * image's Prosody 13: client STARTTLS, client direct TLS, server-to-server
 * STARTTLS and HTTPS. Nothing below TLS 1.2 and no null, anonymous, export,
 * RC4, DES or MD5 suite is offered. (The upload gateway's port is scanned in
 * uploads-s3.test.ts, where the gateway runs.)
 */
import { strict as assert } from "node:assert";
import { TIERS } from "../../src/catalog/tiers";
import { recordFigure } from "../support/figures";
import { imageRuntime, type Runtime } from "./harness/prosody";
import { PORTS, ServerUnderTest } from "./harness/server";
import { type ScanTarget, scanTls, type TlsScan, weaknesses } from "./harness/tls-scan";

const DOMAIN = "chat.e2e.test";

const LISTENERS: [string, Omit<ScanTarget, "host">][] = [
  ["client STARTTLS", { port: PORTS.c2s, starttls: "xmpp-client" }],
  ["client direct TLS", { port: PORTS.c2sDirectTls }],
  ["server-to-server STARTTLS", { port: PORTS.s2s, starttls: "xmpp-server" }],
  ["HTTPS", { port: PORTS.https }],
];

describe("TLS on every listener of every tier (sslscan, Prosody 13)", function () {
  this.timeout(600_000);
  let runtime: Runtime;
  const scans: Record<string, Record<string, TlsScan>> = {};

  before(() => {
    runtime = imageRuntime();
  });

  after(() => {
    const all = Object.values(scans).flatMap((byListener) => Object.values(byListener));
    if (all.length !== TIERS.length * LISTENERS.length) return;
    const distinct = (values: string[]) => [...new Set(values)];
    recordFigure("tls-scan", {
      title: "TLS offered by every listener of every tier",
      done: `Debian's sslscan scans each tier's ${LISTENERS.map(([name]) => name).join(", ")} listeners of our image's Prosody 13 (SNI ${DOMAIN}).`,
      test: __filename,
      figures: {
        listeners: all.length,
        "protocols offered": distinct(all.flatMap((scan) => scan.protocols)),
        "cipher suites offered": distinct(all.flatMap((scan) => scan.ciphers)),
        "below TLS 1.2, null, anonymous, export, RC4, DES or MD5": distinct(all.flatMap(weaknesses)).length,
      },
    });
  });

  for (const tier of TIERS) {
    describe(`${tier} tier`, () => {
      let server: ServerUnderTest;

      before(async () => {
        server = new ServerUnderTest(runtime, { domain: DOMAIN, tier, storage: "sqlite" });
        await server.start();
      });
      after(async () => server?.dispose());

      for (const [name, target] of LISTENERS) {
        it(`${name} offers TLS 1.2+ with no weak suite`, async () => {
          const scan = await scanTls({ ...target, host: DOMAIN });
          (scans[tier] ??= {})[name] = scan;
          assert.ok(scan.protocols.includes("TLSv1.3") || scan.protocols.includes("TLSv1.2"), scan.protocols.join());
          assert.deepEqual(weaknesses(scan), [], `${name} of the ${tier} tier`);
        });
      }
    });
  }
});
