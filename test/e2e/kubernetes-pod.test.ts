/**
 * What the Kubernetes platform hands the kubelet, proven on real Prosody 13
 * and PostgreSQL without a cluster: the k8s stack (with the caller's
 * PostgreSQL, here on loopback) runs under Pulumi's mocks, the suite plays
 * cert-manager (a leaf for exactly the Certificate's names, from the suite
 * CA, written to its Secret), and Prosody's pod is started from the recorded
 * Deployment, ConfigMap and Secrets the way the kubelet starts it
 * (harness/kubelet-replay.ts): projected files with their modes, fsGroup
 * ownership, variables from secretKeyRef, the user of the security context,
 * a read-only root with emptyDirs.
 */
import { strict as assert } from "node:assert";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect as tlsConnect } from "node:tls";
import { PROSODY_USER } from "../../image/contract";
import { recordFigure } from "../support/figures";
import { programShowingAdminPasswords, runTested, stackWith, type TestedRun } from "../support/mock-stack";
import { issueLeaf } from "./harness/certs";
import { ClusterObjects, KubeletReplay, type PodTemplate } from "./harness/kubelet-replay";
import { type Postgres, startPostgres } from "./harness/postgres";
import { waitForPort } from "./harness/prosody";
import { PORTS } from "./harness/server";
import { archivedBodies, login, sendChat } from "./harness/xmpp";

const DATABASE_PORT = 25434;
const DOMAIN = "localhost";

/** The serial of the certificate Prosody presents on direct TLS for the domain. */
function servedSerial(): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host: "127.0.0.1", port: PORTS.c2sDirectTls, servername: DOMAIN }, () => {
      const serial = socket.getPeerCertificate().serialNumber;
      socket.end();
      resolve(serial);
    });
    socket.on("error", reject);
  });
}

describe("the Kubernetes platform's Prosody pod, started from its manifests as the kubelet would", function () {
  this.timeout(240_000);
  let root: string;
  let postgres: Postgres;
  let run: TestedRun;
  let objects: ClusterObjects;
  let pod: PodTemplate;
  let replay: KubeletReplay;
  let password: string;
  let certificateNames: string[];
  let tlsSecret: string;
  let databasePassword: string;

  /** cert-manager's part: a leaf for the Certificate's names, written to the Secret it names. */
  const issue = (round: string): string => {
    const folder = join(root, `issued-${round}`);
    mkdirSync(folder);
    issueLeaf(folder, certificateNames);
    const cert = readFileSync(join(folder, `${DOMAIN}.crt`), "utf8");
    objects.put(tlsSecret, { "tls.crt": cert, "tls.key": readFileSync(join(folder, `${DOMAIN}.key`), "utf8") });
    return cert;
  };

  const startPod = async (name: string): Promise<KubeletReplay> => {
    const started = new KubeletReplay(pod, objects, join(root, "node"), name);
    await started.start();
    await waitForPort(PORTS.c2s, 60_000, () => started.log());
    return started;
  };

  before(async () => {
    root = mkdtempSync(join(tmpdir(), "prosody-k8s-"));
    postgres = startPostgres(DATABASE_PORT);
    // A password of the caller's server, long enough for the secret's rule.
    databasePassword = `${postgres.password}-given-to-the-stack`;
    postgres.query(`ALTER ROLE ${postgres.user} PASSWORD '${databasePassword}'`);
    const stack = stackWith(
      "k8s",
      {
        "prosody:domain": DOMAIN,
        "prosody:admins": [`admin@${DOMAIN}`],
        "prosody:ports": PORTS,
        "prosody:interfaces": ["127.0.0.1"],
        "prosody:database": { name: postgres.database, user: postgres.user, port: DATABASE_PORT },
        "prosody:existing": { kubernetes: { database: { host: postgres.host } } },
        "prosody:databasePassword": databasePassword,
      },
      ["databasePassword"],
    );
    run = await runTested("k8s", stack, programShowingAdminPasswords);
    objects = new ClusterObjects(run);
    const certificate = run.resources.find((resource) => resource.name === "prosody-certificate");
    assert.ok(certificate, "the stack asks cert-manager for a certificate");
    const spec = (certificate.clearInputs as { spec: { dnsNames: string[]; secretName: string } }).spec;
    certificateNames = spec.dnsNames;
    tlsSecret = spec.secretName;
    issue("first");
    const deployment = run.resources.find((resource) => resource.name === "prosody-server");
    assert.ok(deployment);
    pod = (deployment.clearInputs as { spec: { template: { spec: PodTemplate } } }).spec.template.spec;
    password = (run.outputs.shownAdminPasswords as Record<string, string>)[`admin@${DOMAIN}`] ?? "";
    replay = await startPod("pod-1");
  });

  after(async () => {
    await replay?.remove().catch(() => undefined);
    postgres?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it("projects the ConfigMap and Secrets with their modes and fsGroup, runs as the image's user, writable only on its volumes", async () => {
    const { uid, gid } = PROSODY_USER;
    const identity = await replay.exec(["sh", "-c", "id -u; id -g; id -G"]);
    assert.deepEqual(identity.output.trim().split("\n"), [String(uid), String(gid), String(gid)], identity.output);
    const modes = await replay.exec([
      "stat",
      "-L",
      "-c",
      "%n %a %u:%g",
      `/etc/prosody/certs/${DOMAIN}.crt`,
      `/etc/prosody/certs/${DOMAIN}.key`,
      "/etc/prosody/prosody.cfg.lua",
    ]);
    assert.deepEqual(modes.output.trim().split("\n"), [
      `/etc/prosody/certs/${DOMAIN}.crt 444 0:${gid}`,
      `/etc/prosody/certs/${DOMAIN}.key 440 0:${gid}`,
      `/etc/prosody/prosody.cfg.lua 444 0:${gid}`,
    ]);
    recordFigure("certificate-key-kubernetes", {
      title: "Certificate key on Kubernetes (pod)",
      done: "Prosody's pod is started from the recorded Deployment the way the kubelet starts it, the TLS Secret projected as a folder; the test reads the key's mode and owner inside the pod. Kubernetes projects Secret files as root with the pod's fsGroup, so the key is readable by Prosody's group only (0440), not owned by its user.",
      test: __filename,
      figures: {
        "mode and owner:group": `${modes.output.trim().split("\n")[1]?.split(" ").slice(1).join(" ")} (gid ${gid} is prosody's group)`,
      },
    });
    const writes = await replay.exec([
      "sh",
      "-c",
      'for dir in / /etc/prosody /usr/local/bin /tmp /run/prosody /var/lib/prosody; do if touch "$dir/.probe" 2>/dev/null; then echo "$dir writable"; else echo "$dir read-only"; fi; done',
    ]);
    assert.deepEqual(writes.output.trim().split("\n"), [
      "/ read-only",
      "/etc/prosody read-only",
      "/usr/local/bin read-only",
      "/tmp writable",
      "/run/prosody writable",
      "/var/lib/prosody writable",
    ]);
    // The data claim's files belong to the pod's group, as fsGroup's setgid folder makes them.
    const data = await replay.exec(["stat", "-c", "%a %g", "/var/lib/prosody"]);
    assert.equal(data.output.trim(), `2775 ${gid}`);
    const password = await replay.exec(["printenv", "PROSODY_DB_PASSWORD"]);
    assert.equal(password.output.trim(), databasePassword, "the password arrives by secretKeyRef");
    const probe = await replay.probe();
    assert.equal(probe.code, 0, probe.output);
  });

  it("lets the first admin log in over verified TLS, keeps the message in the archive in PostgreSQL", async () => {
    const admin = await login(DOMAIN, "admin", password);
    try {
      await sendChat(admin, `admin@${DOMAIN}`, "kept by the claim and the database");
      await new Promise((resolve) => setTimeout(resolve, 500));
      // A message to oneself is archived as sent and as received.
      assert.deepEqual(
        new Set(await archivedBodies(admin, `admin@${DOMAIN}`)),
        new Set(["kept by the claim and the database"]),
      );
    } finally {
      await admin.close();
    }
    assert.match(replay.log(), /created the account admin@localhost/);
    assert.match(postgres.query(`SELECT count(*) FROM prosodyarchive WHERE store = 'archive'`), /^[1-9]/m);
  });

  it("serves a certificate renewed in its Secret without a manual step: the entrypoint sees it and Prosody reloads", async function () {
    this.timeout(180_000);
    const before = await servedSerial();
    const renewed = issue("renewed");
    const renewedAt = Date.now();
    replay.project("tls");
    const deadline = Date.now() + 150_000;
    let now = before;
    while (now === before && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      now = await servedSerial();
    }
    assert.notEqual(now, before, `Prosody still serves the old certificate. Its output:\n${replay.log()}`);
    const { X509Certificate } = await import("node:crypto");
    assert.equal(now, new X509Certificate(renewed).serialNumber);
    assert.match(replay.log(), /certificates in \/etc\/prosody\/certs changed/);
    // STARTTLS clients get it too, and still verify it.
    const admin = await login(DOMAIN, "admin", password);
    await admin.close();
    recordFigure("certificate-renewed-kubernetes", {
      title: "Certificate replaced while Prosody runs (Kubernetes)",
      done: "A renewed certificate is written into the pod's TLS Secret the way the kubelet's atomic writer projects it (cert-manager's renewal), with Prosody serving; the test connects again and again until it is served, then logs in over STARTTLS verifying it.",
      test: __filename,
      figures: {
        "new connections get": "the renewed certificate, with no restart (Prosody reloads it)",
        "STARTTLS login after the renewal": "verified",
      },
      observed: { "seconds until served": Math.round((Date.now() - renewedAt) / 1000) },
    });
  });

  it("keeps the same claim folder across a replacement of the pod: the account and the archive are there", async () => {
    const marker = await replay.exec(["sh", "-c", "echo first pod > /var/lib/prosody/marker"]);
    assert.equal(marker.code, 0, marker.output);
    await replay.remove();
    replay = await startPod("pod-2");
    const kept = await replay.exec(["cat", "/var/lib/prosody/marker"]);
    assert.equal(kept.output.trim(), "first pod");
    const admin = await login(DOMAIN, "admin", password);
    try {
      // A message to oneself is archived as sent and as received.
      assert.deepEqual(
        new Set(await archivedBodies(admin, `admin@${DOMAIN}`)),
        new Set(["kept by the claim and the database"]),
      );
    } finally {
      await admin.close();
    }
    assert.doesNotMatch(replay.log(), /created the account/, "the second pod finds the account");
  });
});
