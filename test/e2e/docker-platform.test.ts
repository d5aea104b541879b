/**
 * What the Docker platform hands Docker, proven on real Prosody: the dev
 * stack's program runs under Pulumi's mocks (real certificates from the suite
 * CA stand in for @pulumi/tls's), and the recorded Prosody container is
 * replayed with buildah. Then the tier switches to enterprise in the same
 * stack: a new container on the same named volumes keeps accounts, archives
 * and uploads.
 */
import { strict as assert } from "node:assert";
import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type TestedRun, type TestedResource, runTested } from "../support/mock-stack";
import { planDeployment } from "../../src/plan";
import { type StackConfig, stackSpec } from "../../src/schema/stack-file";
import { type SuiteTls, suiteTls, suiteTlsOutputs } from "./harness/certs";
import { type ContainerInputs, ReplayedContainer } from "./harness/docker-replay";
import { recordFigure } from "../support/figures";
import { fetchLoopback } from "../support/http";
import { byName, programShowingAdminPasswords, stackWith } from "../support/mock-stack";
import { PORTS } from "./harness/server";
import {
  assertNothingLostAcrossRenewal,
  BEFORE_RENEWAL,
  reconnects,
  serialOf,
  verifiedSerial,
} from "./harness/renewal";
import { archivedBodies, changePassword, login, requestSlot, sendChat } from "./harness/xmpp";

/** The dev stack as committed, on the suite's loopback ports. */
const devStack = (tier: "personal" | "enterprise", more: Record<string, unknown> = {}): StackConfig =>
  stackWith("dev", { "prosody:tier": tier, "prosody:ports": PORTS, "prosody:interfaces": ["127.0.0.1"], ...more });

/** Waits until the container's output (which arrives through a pipe) shows the line. */
async function logShows(container: ReplayedContainer, line: RegExp): Promise<void> {
  for (let waited = 0; waited < 10_000 && !line.test(container.log()); waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.match(container.log(), line);
}

const serverOf = (run: TestedRun): TestedResource => byName(run, "prosody-server");

describe("the Docker platform's Prosody container, replayed with buildah", function () {
  this.timeout(180_000);
  let root: string;
  const containers: ReplayedContainer[] = [];
  let replayed = 0;
  let tls: SuiteTls;

  before(() => {
    root = mkdtempSync(join(tmpdir(), "prosody-replay-"));
    chmodSync(root, 0o755);
    const plan = planDeployment(stackSpec(devStack("personal")));
    const folder = join(root, "tls");
    mkdirSync(folder);
    tls = suiteTls(folder, plan.certificateNames);
  });

  // A test that fails midway leaves no server behind for the next one (each starts on the same ports).
  afterEach(async () => {
    for (const container of containers.splice(0)) await container.remove().catch(() => undefined);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  const deploy = (tier: "personal" | "enterprise", more: Record<string, unknown> = {}, certificate = tls) =>
    runTested("dev", devStack(tier, more), programShowingAdminPasswords, { outputs: suiteTlsOutputs(certificate) });

  const replay = (run: TestedRun): ReplayedContainer => {
    const container = new ReplayedContainer(
      serverOf(run).clearInputs as ContainerInputs,
      join(root, "volumes"),
      join(root, `files-${(replayed += 1)}`),
    );
    containers.push(container);
    return container;
  };

  it("serves the dev stack, then keeps accounts, archives and uploads when the tier switches", async () => {
    const personal = await deploy("personal");
    const first = replay(personal);
    assert.notEqual((await first.healthcheck()).code, 0, "unhealthy before Prosody runs");
    for (const user of ["alice", "bob"]) {
      const registered = first.exec(["prosodyctl", "register", user, "localhost", `${user}-password-1`]);
      assert.equal(registered.code, 0, registered.output);
    }
    await first.start();
    const healthy = await first.healthcheck();
    assert.equal(healthy.code, 0, healthy.output);
    // The personal tier serves its metrics too, on the private HTTP port, to metricsAllowCidr (loopback).
    const metrics = await fetchLoopback(`http://localhost:${PORTS.http}/metrics`);
    assert.equal(metrics.status, 200);
    assert.match(metrics.body.toString(), /^prosody_info\{version="13\.[^"]+"\} 1$/m);
    const key = first.exec(["sh", "-c", "stat -c '%U:%G %a' /etc/prosody/certs/*.key"]);
    assert.equal(key.output.trim(), "prosody:prosody 600", key.output);
    recordFigure("certificate-key-docker", {
      title: "Certificate key on Docker (container)",
      done: "The dev stack's Prosody container is replayed from its recorded docker.Container inputs, the key uploaded with the owner and permissions the platform gives it; the test reads them inside the container.",
      test: __filename,
      figures: { "owner:group and mode": key.output.trim() },
    });

    let alice = await login("localhost", "alice", "alice-password-1");
    let bob = await login("localhost", "bob", "bob-password-1");
    const bodies = ["before the switch 1", "before the switch 2", "before the switch 3"];
    for (const body of bodies) await sendChat(alice, "bob@localhost", body);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.deepEqual(await archivedBodies(bob, "alice@localhost"), bodies);
    const content = randomBytes(64 * 1024);
    const slot = await requestSlot(alice, "share.localhost", "kept.bin", content.length, "application/octet-stream");
    const put = await fetchLoopback(slot.put, {
      method: "PUT",
      headers: {
        ...slot.headers,
        "content-type": "application/octet-stream",
        "content-length": String(content.length),
      },
      body: content,
    });
    assert.ok(put.status === 201 || put.status === 200, `PUT returned ${put.status}`);
    assert.equal(
      readdirSync(join(root, "volumes", "prosody-dev-uploads")).length,
      1,
      "the upload lives in the uploads volume",
    );
    await alice.close();
    await bob.close();
    await first.remove();

    const enterprise = await deploy("enterprise");
    const volumesOf = (run: TestedRun) => serverOf(run).inputs.volumes;
    assert.deepEqual(volumesOf(enterprise), volumesOf(personal), "the same named volumes");
    const configOf = (run: TestedRun) => (serverOf(run).inputs.uploads as { content: string }[])[0]?.content;
    assert.notEqual(configOf(enterprise), configOf(personal), "a different module set");

    const second = replay(enterprise);
    await second.start();
    assert.equal((await second.healthcheck()).code, 0);
    alice = await login("localhost", "alice", "alice-password-1");
    bob = await login("localhost", "bob", "bob-password-1");
    assert.deepEqual(await archivedBodies(bob, "alice@localhost"), bodies, "the archive survived the switch");
    const get = await fetchLoopback(slot.get);
    assert.equal(get.status, 200);
    assert.ok(get.body.equals(content), "the upload survived the switch");
    await alice.close();
    await bob.close();
    const errors = second
      .log()
      .split("\n")
      .filter((line) => /^\S+\s+error\s/.test(line));
    assert.deepEqual(errors, []);
    // The next test starts its own server on these ports (start() refuses a port still taken).
    await second.remove();
  });

  it("creates the first admin's account with the secret output's password, and never resets it; metrics go to metricsAllowCidr only", async () => {
    // Not the dev stack's admin@localhost, whose account the test above already made on these volumes.
    // And metrics for one scraper's address only: 127.0.0.1 is refused, 127.0.0.2 served.
    const admins = { "prosody:admins": ["first@localhost"], "prosody:metricsAllowCidr": "127.0.0.2/32" };
    const personal = await deploy("personal", admins);
    const password = (personal.outputs.shownAdminPasswords as Record<string, string>)["first@localhost"] ?? "";
    assert.match(password, /^\S{24,}$/);
    assert.equal(personal.outputs.adminPasswords, "[secret]", "a secret output");
    const server = serverOf(personal);
    assert.ok(!JSON.stringify(server.inputs).includes(password), "not in the container's plain inputs");
    const first = replay(personal);
    await first.start();
    await logShows(first, /created the account first@localhost/);
    const metricsUrl = `http://localhost:${PORTS.http}/metrics`;
    assert.equal((await fetchLoopback(metricsUrl)).status, 403, "not the scraper's address");
    assert.equal((await fetchLoopback(metricsUrl, { localAddress: "127.0.0.2" })).status, 200);
    const admin = await login("localhost", "first", password);
    await changePassword(admin, "changed-by-the-admin");
    await admin.close();
    await first.remove();

    const enterprise = await deploy("enterprise", admins);
    const second = replay(enterprise);
    await second.start();
    await logShows(second, /the account first@localhost exists; left unchanged/);
    const again = await login("localhost", "first", "changed-by-the-admin");
    await again.close();
    await assert.rejects(login("localhost", "first", password), /login of first@localhost failed/);
    assert.ok(!second.log().includes(password), "the log never shows the password");
    await second.remove();
  });

  it("replaces the container for a renewed certificate: a connected client comes back by itself on the new one, and nothing is lost", async () => {
    const current = await deploy("personal");
    const first = replay(current);
    await first.start();
    const alice = await login("localhost", "alice", "alice-password-1");
    assert.equal(verifiedSerial(alice), serialOf(tls.cert));
    await sendChat(alice, "bob@localhost", BEFORE_RENEWAL);

    const folder = join(root, "tls-renewed");
    mkdirSync(folder);
    const renewed = suiteTls(folder, planDeployment(stackSpec(devStack("personal"))).certificateNames);
    const next = await deploy("personal", {}, renewed);
    // The renewal changes the certificate files the container carries and nothing else. Docker's
    // provider replaces a container whose uploads change; deleteBeforeReplace stops the old one first.
    type Upload = { file: string; content: string };
    const inputsOf = (run: TestedRun) =>
      serverOf(run).clearInputs as unknown as ContainerInputs & { uploads: Upload[] };
    const certificateFile = (upload: Upload) => /\.(crt|key)$/.test(upload.file);
    const changed = inputsOf(next).uploads.filter(
      (upload) => inputsOf(current).uploads.find((old) => old.file === upload.file)?.content !== upload.content,
    );
    assert.ok(changed.length >= 2 && changed.every(certificateFile), changed.map((upload) => upload.file).join(", "));
    const withoutCertificates = (run: TestedRun) => ({
      ...inputsOf(run),
      uploads: inputsOf(run).uploads.filter((upload) => !certificateFile(upload)),
    });
    assert.deepEqual(withoutCertificates(next), withoutCertificates(current));

    const { online } = reconnects(alice, 90_000);
    const replacedAt = Date.now();
    await first.remove();
    const second = replay(next);
    await second.start();
    const backAfter = await online;
    try {
      await assertNothingLostAcrossRenewal(alice, renewed.cert, {
        domain: "localhost",
        name: "bob",
        password: "bob-password-1",
      });
      assert.equal((await second.healthcheck()).code, 0);
      recordFigure("certificate-renewed-docker", {
        title: "Certificate replaced while Prosody runs (Docker)",
        done: "The dev stack is deployed again with a renewed certificate (same CA, same names) while a client with xmpp.js's reconnection is logged in; the new docker.Container inputs differ in the certificate files alone, and the container is replaced as Docker's provider replaces it (the old one stopped first, a new one on the same volumes).",
        test: __filename,
        figures: {
          "inputs that change": "the certificate and key files only",
          "the connected client": "reconnects by itself and verifies the renewed certificate",
          "messages lost across the replacement": 0,
        },
        observed: {
          "seconds from the old container's stop to the client online again": Math.round(
            (Date.now() - replacedAt) / 1000,
          ),
          "ms from the disconnect to online": backAfter,
        },
      });
    } finally {
      await alice.close();
    }
  });
});
