/**
 * The certificate renewer's image on real pieces: pebble (Let's Encrypt's test
 * ACME server) validates DNS-01 challenges against a real DNS server (Knot),
 * whose zone certbot's Route53 plugin changes through Route53's API (a
 * loopback stand-in for AWS's, harness/route53-api.ts). The renewer keeps
 * looking and renewing, publishes each pair to two folders (Prosody's copy
 * and the gateway's, each owned by its reader), says why an attempt failed,
 * and renews again once the ACME server is back.
 */
import { strict as assert } from "node:assert";
import { X509Certificate } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GATEWAY_USER } from "../../gateway/src/contract";
import { PROSODY_USER } from "../../image/contract";
import { RENEWER_COMMANDS, RENEWER_ENTRYPOINT, RENEWER_HEALTH_FLAG } from "../../renewer/src/contract";
import { suiteCa } from "./harness/certs";
import { RENEWER_IMAGE, ReplayedContainer } from "./harness/docker-replay";
import { type KnotServer, startKnot } from "./harness/knot";
import { type Pebble, startPebble } from "./harness/pebble";
import { type Route53Api, startRoute53Api } from "./harness/route53-api";

const ZONE = "renew.e2e.test";
const HOSTS = [ZONE, `groups.${ZONE}`, `share.${ZONE}`];
const PORTS = { dns: 25353, route53: 25380, pebble: 24000 };
const CA_FILE = "/etc/prosody-renewer-e2e/ca.crt";

describe("the certificate renewer, against pebble and a real DNS server", function () {
  this.timeout(300_000);
  let dns: KnotServer | undefined;
  let route53: Route53Api | undefined;
  let pebble: Pebble | undefined;
  let folder: string;

  before(async () => {
    folder = mkdtempSync(join(tmpdir(), "prosody-e2e-renewer-"));
    dns = await startKnot(PORTS.dns, ZONE, Object.fromEntries(HOSTS.map((host) => [host, "127.0.0.1"])));
    route53 = await startRoute53Api(PORTS.route53, dns);
    pebble = await startPebble(PORTS.pebble, dns.address);
  });

  after(async () => {
    await pebble?.close();
    await route53?.stop();
    await dns?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  /** A renewer container as the Docker platform runs it, with the suite's ACME server and Route53. */
  const renewer = (volumes: string, more: Record<string, string> = {}) =>
    new ReplayedContainer(
      {
        envs: Object.entries({
          RENEWER_DOMAINS: HOSTS.join(" "),
          RENEWER_DIRECTORY: pebble?.directory ?? "",
          RENEWER_DNS_PROVIDER: "route53",
          // pebble's certificates last five years: renewing at every look gives several renewals in a minute.
          RENEWER_RENEW_DAYS_BEFORE: "100000",
          RENEWER_CHECK_SECONDS: "5",
          RENEWER_RETRY_SECONDS: "3",
          RENEWER_STORE: "folders",
          RENEWER_FOLDERS: `/srv/prosody:${PROSODY_USER.uid}:${PROSODY_USER.gid}:${ZONE} /srv/gateway:${GATEWAY_USER.uid}:${GATEWAY_USER.gid}:${ZONE}`,
          REQUESTS_CA_BUNDLE: CA_FILE,
          AWS_ENDPOINT_URL_ROUTE_53: route53?.endpoint ?? "",
          AWS_ACCESS_KEY_ID: "e2e",
          AWS_SECRET_ACCESS_KEY: "e2e-secret",
          AWS_DEFAULT_REGION: "us-east-1",
          ...more,
        }).map(([name, value]) => `${name}=${value}`),
        volumes: [
          { volumeName: "state", containerPath: "/var/lib/prosody-renewer" },
          { volumeName: "prosody", containerPath: "/srv/prosody" },
          { volumeName: "gateway", containerPath: "/srv/gateway" },
        ],
        uploads: [{ file: CA_FILE, content: readFileSync(suiteCa().cert, "utf8") }],
        healthcheck: { tests: ["CMD", ...RENEWER_ENTRYPOINT, RENEWER_HEALTH_FLAG] },
      },
      join(folder, volumes),
      join(folder, `${volumes}-files`),
      RENEWER_IMAGE,
    );

  const served = (volumes: string, copy: "prosody" | "gateway") => {
    const file = join(folder, volumes, copy, `${ZONE}.crt`);
    return existsSync(file) ? new X509Certificate(readFileSync(file)) : undefined;
  };

  it("issues the first certificate, then renews it at every look, each pair in both folders with its owner", async () => {
    const container = renewer("schedule");
    const serials = new Set<string>();
    try {
      await container.start([]);
      const root = await pebble!.root();
      // The first certificate and one renewal: three more are the Docker and AWS renewal tests' (renewal-*.test.ts).
      for (let waited = 0; serials.size < 2; waited += 1000) {
        const leaf = served("schedule", "prosody");
        if (leaf) serials.add(leaf.serialNumber);
        assert.ok(waited < 240_000, `${serials.size} certificates in four minutes:\n${container.log()}`);
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
      const leaf = served("schedule", "prosody")!;
      for (const host of HOSTS) assert.ok(leaf.checkHost(host), `the certificate names ${host}`);
      assert.equal(leaf.ca, false);
      // The extended key usage is the CA's choice (pebble still adds client authentication, Let's Encrypt
      // no longer does); certbot's request names the hosts and nothing else (test/unit/renewer.test.ts).
      const chain = readFileSync(join(folder, "schedule", "prosody", `${ZONE}.crt`), "utf8");
      const intermediate = new X509Certificate(chain.slice(chain.indexOf("-----BEGIN", 10)));
      assert.ok(leaf.checkIssued(intermediate), "the chain holds the leaf's issuer");
      assert.ok(intermediate.verify(new X509Certificate(root).publicKey), "which pebble's root signed");
      for (const [copy, owner] of [
        ["prosody", PROSODY_USER],
        ["gateway", GATEWAY_USER],
      ] as const) {
        const key = statSync(join(folder, "schedule", copy, `${ZONE}.key`));
        assert.deepEqual([key.uid, key.gid, key.mode & 0o777], [owner.uid, owner.gid, 0o600], `${copy}'s key`);
      }
      assert.equal((await container.healthcheck()).code, 0);
      assert.match(container.log(), /prosody-renewer: renewed: .*Pebble.* published to \/srv\/prosody, \/srv\/gateway/);
      const challenges = route53!.changes.filter((change) => change.type === "TXT");
      assert.deepEqual(
        [...new Set(challenges.map((change) => change.name))].sort(),
        HOSTS.map((host) => `_acme-challenge.${host}`).sort(),
        "only _acme-challenge TXT records were changed",
      );
      assert.ok(
        challenges.some((change) => change.action === "DELETE"),
        "and each was removed again",
      );
    } finally {
      await container.remove();
    }
  });

  it("fails while the ACME server is down, says why in its health check, and renews once it is back", async () => {
    const container = renewer("outage");
    try {
      await pebble!.stop();
      const down = await container.run([...RENEWER_ENTRYPOINT, RENEWER_COMMANDS.once]);
      assert.equal(down.code, 1, down.output);
      assert.match(down.output, /prosody-renewer: renewal failed \(1 in a row\): certbot failed/);
      const health = await container.healthcheck();
      assert.equal(health.code, 1);
      assert.match(health.output, /unhealthy: the last attempt failed at .*; next try at /);
      await pebble!.start();
      const back = await container.run([...RENEWER_ENTRYPOINT, RENEWER_COMMANDS.once]);
      assert.equal(back.code, 0, back.output);
      assert.ok(served("outage", "prosody"), "the certificate is there once the server is back");
      assert.equal((await container.healthcheck()).code, 0);
    } finally {
      await container.remove();
    }
  });

  it("refuses a challenge it cannot publish, saying why, and publishes nothing", async () => {
    const container = renewer("refused");
    route53!.refuseChanges(true);
    try {
      const refused = await container.run([...RENEWER_ENTRYPOINT, RENEWER_COMMANDS.once]);
      assert.equal(refused.code, 1, refused.output);
      assert.match(refused.output, /AccessDenied/);
      assert.match(refused.output, /not authorized to perform: route53:ChangeResourceRecordSets/);
      assert.equal(served("refused", "prosody"), undefined, "no pair was written");
      assert.match((await container.healthcheck()).output, /unhealthy: .*AccessDenied/);
    } finally {
      route53!.refuseChanges(false);
      await container.remove();
    }
  });
});
