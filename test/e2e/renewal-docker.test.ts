/**
 * A Let's Encrypt certificate on Docker, issued and renewed where the server
 * runs, with no Pulumi run: the dev stack with tls.mode acme and Route53 runs
 * under Pulumi's mocks, and its Prosody and renewer containers are replayed
 * with buildah on the same named volumes. pebble (Let's Encrypt's test ACME
 * server) validates the DNS-01 challenges against a Knot DNS zone that the
 * renewer's certbot changes through Route53's API (a loopback stand-in).
 * Prosody starts on a temporary pair, takes the first certificate and each
 * renewal in place, and a logged-in client is never cut off.
 */
import { strict as assert } from "node:assert";
import { chmodSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renewalChecks } from "../../cli/check/renewal";
import { planDeployment } from "../../src/plan";
import { stackSpec } from "../../src/schema/stack-file";
import { recordFigure } from "../support/figures";
import { byName, programShowingAdminPasswords, runTested, stackWith, type TestedRun } from "../support/mock-stack";
import { suiteCa } from "./harness/certs";
import { type ContainerInputs, RENEWER_IMAGE, ReplayedContainer } from "./harness/docker-replay";
import { type KnotServer, startKnot } from "./harness/knot";
import { type Pebble, startPebble } from "./harness/pebble";
import { type Route53Api, startRoute53Api } from "./harness/route53-api";
import { served, until, verifiedSerial } from "./harness/renewal";
import { PORTS } from "./harness/server";
import { trustAlso } from "./harness/trust";
import { softwareVersion } from "../../cli/check/xmpp-session";
import { archivedBodies, login, sendChat, type Session } from "./harness/xmpp";

const DOMAIN = "renewal.e2e.test";
const HOSTS = [DOMAIN, `groups.${DOMAIN}`, `share.${DOMAIN}`];
const DNS = { dns: 25354, route53: 25381, pebble: 24010 };
const CA_FILE = "/etc/prosody-renewer-e2e/ca.crt";
const RENEWALS = 3;

/** The dev stack on a domain pebble will certify, with Let's Encrypt through Route53 and an access key of the suite's. */
const acmeStack = () =>
  stackWith(
    "dev",
    {
      "prosody:domain": DOMAIN,
      "prosody:admins": [`admin@${DOMAIN}`],
      "prosody:ports": PORTS,
      "prosody:interfaces": ["127.0.0.1"],
      "prosody:tls": { mode: "acme" },
      "prosody:dns": { provider: "route53", ipv4: ["127.0.0.1"] },
      "prosody:backup": { enabled: false },
      "prosody:route53AccessKeyId": "AKIAE2ETESTE2ETEST00",
      "prosody:route53SecretAccessKey": "e2e-route53-secret-0123456789",
    },
    ["prosody:route53AccessKeyId", "prosody:route53SecretAccessKey"],
  );

/** A recorded container's inputs with some variables replaced or added. */
function withEnv(inputs: ContainerInputs, replaced: Record<string, string>): ContainerInputs {
  const kept = (inputs.envs ?? []).filter((entry) => !(entry.slice(0, entry.indexOf("=")) in replaced));
  return { ...inputs, envs: [...kept, ...Object.entries(replaced).map(([name, value]) => `${name}=${value}`)] };
}

describe("a Let's Encrypt certificate on Docker, issued and renewed where the server runs", function () {
  this.timeout(900_000);
  let root: string;
  let dns: KnotServer | undefined;
  let route53: Route53Api | undefined;
  let pebble: Pebble | undefined;
  const containers: ReplayedContainer[] = [];
  const sessions: Session[] = [];
  let untrust: (() => void) | undefined;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), "prosody-renewal-"));
    chmodSync(root, 0o755);
    dns = await startKnot(DNS.dns, DOMAIN, Object.fromEntries(HOSTS.map((host) => [host, "127.0.0.1"])));
    route53 = await startRoute53Api(DNS.route53, dns);
    pebble = await startPebble(DNS.pebble, dns.address);
  });

  after(async () => {
    untrust?.();
    for (const session of sessions) await session.close().catch(() => undefined);
    for (const container of containers) await container.remove().catch(() => undefined);
    await pebble?.close();
    await route53?.stop();
    await dns?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it("starts on a temporary pair, takes the first certificate and three renewals in place, and cuts no session", async () => {
    const run: TestedRun = await runTested("dev", acmeStack(), programShowingAdminPasswords);
    const adminPassword = (run.outputs.shownAdminPasswords as Record<string, string>)[`admin@${DOMAIN}`] ?? "";
    const server = new ReplayedContainer(
      withEnv(byName(run, "prosody-server").clearInputs as ContainerInputs, { PROSODY_CERTIFICATE_WATCH_SECONDS: "2" }),
      join(root, "volumes"),
      join(root, "server-files"),
    );
    containers.push(server);
    const registered = server.exec(["prosodyctl", "register", "bob", DOMAIN, "bob-password-1"]);
    assert.equal(registered.code, 0, registered.output);
    const startedAt = Date.now();
    await server.start();
    assert.match(server.log(), /no certificate for renewal\.e2e\.test yet: serving a temporary self-signed one/);
    const waiting = await server.healthcheck();
    assert.equal(waiting.code, 0, waiting.output);
    assert.match(
      waiting.output,
      /serving a temporary self-signed certificate .*: waiting for the first one to be issued/,
    );

    const recorded = byName(run, "prosody-renewer").clearInputs as ContainerInputs;
    const renewer = new ReplayedContainer(
      {
        ...withEnv(recorded, {
          RENEWER_DIRECTORY: pebble!.directory,
          // pebble's certificates last five years: renewing at every look gives renewals within minutes.
          RENEWER_RENEW_DAYS_BEFORE: "100000",
          RENEWER_CHECK_SECONDS: "10",
          RENEWER_RETRY_SECONDS: "5",
          REQUESTS_CA_BUNDLE: CA_FILE,
          AWS_ENDPOINT_URL_ROUTE_53: route53!.endpoint,
          AWS_DEFAULT_REGION: "us-east-1",
        }),
        uploads: [{ file: CA_FILE, content: readFileSync(suiteCa().cert, "utf8") }],
      },
      join(root, "volumes"),
      join(root, "renewer-files"),
      RENEWER_IMAGE,
    );
    containers.push(renewer);
    await renewer.start([]);

    const pebbleRoot = await pebble!.root();
    const log = () => `${server.log()}\n${renewer.log()}`;
    const first = await until(
      "Prosody served no certificate of pebble's",
      240_000,
      async () => ((await served(DOMAIN, pebbleRoot)).authorized ? served(DOMAIN, pebbleRoot) : undefined),
      log,
    );
    const firstSeconds = Math.round((Date.now() - startedAt) / 1000);
    assert.match(first.issuer, /Pebble/);
    assert.equal((await server.healthcheck()).output.includes("temporary"), false, "no longer temporary");

    untrust = trustAlso([pebbleRoot]);
    const admin = await login(DOMAIN, "admin", adminPassword);
    sessions.push(admin);
    let cut = 0;
    admin.xmpp.on("disconnect", () => (cut += 1));
    const bob = await login(DOMAIN, "bob", "bob-password-1");
    sessions.push(bob);
    const software = await softwareVersion(bob, DOMAIN);
    assert.equal(software.name, "Prosody");
    assert.match(software.version, /^13\.\d+/, "the version check reports (XEP-0092)");
    const sent: string[] = [];
    const serials = [first.serial];
    for (let renewal = 1; renewal <= RENEWALS; renewal += 1) {
      for (let message = 1; message <= 5; message += 1) {
        const body = `renewal ${renewal}, message ${message}`;
        await sendChat(admin, `bob@${DOMAIN}`, body);
        sent.push(body);
      }
      const next = await until(
        `no renewal ${renewal}`,
        180_000,
        async () => {
          const now = await served(DOMAIN, pebbleRoot);
          return now.authorized && !serials.includes(now.serial) ? now : undefined;
        },
        log,
      );
      serials.push(next.serial);
      // A new session verifies the renewed certificate; the old ones go on, on theirs.
      const fresh = await login(DOMAIN, "bob", "bob-password-1");
      assert.equal(verifiedSerial(fresh).toUpperCase(), next.serial.toUpperCase(), `renewal ${renewal} is served`);
      await fresh.close();
    }
    for (let message = 1; message <= 5; message += 1) {
      const body = `after the renewals, message ${message}`;
      await sendChat(admin, `bob@${DOMAIN}`, body);
      sent.push(body);
    }
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const archived = await archivedBodies(bob, `admin@${DOMAIN}`);
    const lost = sent.filter((body) => !archived.includes(body));
    assert.deepEqual(lost, [], "every message sent across the renewals is archived");
    assert.equal(cut, 0, "no session was cut: the renewed pairs were taken in place");
    assert.equal(new Set(serials).size, RENEWALS + 1);
    assert.match(server.log(), /the certificates in \/etc\/prosody\/certs changed; Prosody reloads them \(SIGHUP\)/);
    const [status] = await renewalChecks(
      planDeployment(stackSpec(acmeStack())),
      join(root, "volumes", "prosody-dev-acme"),
    );
    assert.equal(status?.status, "pass", status?.detail);
    assert.match(status?.detail ?? "", /^last renewal 20\d\d-.*; next look at /);

    recordFigure("certificate-renewal-docker", {
      title: "Let's Encrypt renewed where the server runs (Docker)",
      done: "The dev stack with tls.mode acme and Route53 under mocks; its Prosody and renewer containers replayed with buildah on shared volumes, against pebble validating DNS-01 in a Knot DNS zone changed through Route53's API. Prosody starts on a temporary pair; a client stays logged in and sends chats while the first certificate and three renewals are issued and taken in place.",
      test: __filename,
      figures: {
        "renewals taken in place": RENEWALS,
        "sessions cut": cut,
        "messages sent": sent.length,
        "messages lost": lost.length,
      },
      observed: { "seconds to the first certificate": firstSeconds },
    });
  });
});
