/**
 * What the AWS platform hands Fargate, proven on real Prosody 13: the prod
 * stack (self-signed here, as no ACME server can be reached) runs under
 * Pulumi's mocks, RDS's address and the generated database password stand for
 * a real PostgreSQL on loopback, and the recorded Prosody task is started with
 * buildah from our image with nothing but its environment and its resolved
 * secrets, as Fargate starts it: no mounted config, no mounted certificate.
 * The upload gateway's task is started the same way; its one substitution is
 * an S3 endpoint and keys (s3rver) in place of the task role and AWS S3.
 */
import { strict as assert } from "node:assert";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { recordFigure } from "../support/figures";
import { byName, programShowingAdminPasswords, runTested, stackWith, type TestedRun } from "../support/mock-stack";
import { PROSODY_VARIABLES } from "../../image/contract";
import { GATEWAY_CONTAINER_PORT } from "../../src/containers/ports";
import { planDeployment } from "../../src/plan";
import { type StackConfig, stackSpec } from "../../src/schema/stack-file";
import { fetchLoopback } from "../support/http";
import { S3_CREDENTIALS, startS3Server, type S3TestServer } from "../support/s3";
import { type SuiteTls, suiteTls, suiteTlsOutputs } from "./harness/certs";
import { BACKUP_ENTRYPOINT } from "../../backup/src/contract";
import { type BackupKeyOutputs, makeBackupKey } from "./harness/backup-key";
import { BACKUP_IMAGE, GATEWAY_IMAGE, ReplayedContainer } from "./harness/docker-replay";
import { ecsContainerInputs } from "./harness/ecs-replay";
import { type Postgres, startPostgres } from "./harness/postgres";
import { listenerPid } from "./harness/prosody";
import { PORTS } from "./harness/server";
import {
  assertNothingLostAcrossRenewal,
  BEFORE_RENEWAL,
  reconnects,
  serialOf,
  verifiedSerial,
} from "./harness/renewal";
import { archivedBodies, login, sendChat } from "./harness/xmpp";

const DATABASE_PORT = 25432;
const GATEWAY_PORT = 25443;

const awsStack = (): StackConfig =>
  stackWith("prod", {
    "prosody:domain": "localhost",
    "prosody:admins": ["admin@localhost"],
    "prosody:tls": { mode: "self-signed" },
    "prosody:dns": { provider: "none" },
    "prosody:ports": { ...PORTS, uploadGateway: GATEWAY_PORT },
    "prosody:interfaces": ["127.0.0.1"],
    "prosody:database": { port: DATABASE_PORT },
  });

describe("the AWS platform's Fargate tasks, started from their task definitions with buildah", function () {
  this.timeout(180_000);
  let root: string;
  let postgres: Postgres;
  let s3: S3TestServer;
  let tls: SuiteTls;
  let run: TestedRun;
  let prosody: ReplayedContainer;
  let gateway: ReplayedContainer;
  let backupKey: BackupKeyOutputs;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), "prosody-aws-"));
    chmodSync(root, 0o755);
    backupKey = makeBackupKey(root);
    postgres = startPostgres(DATABASE_PORT);
    s3 = await startS3Server("prosody-uploads");
    const stack = awsStack();
    const folder = join(root, "tls");
    mkdirSync(folder);
    tls = suiteTls(folder, planDeployment(stackSpec(stack)).certificateNames);
    run = await deploy(tls);
  });

  /** The prod stack under mocks, with RDS, the database password, the bucket and the certificate of the suite's own. */
  const deploy = (certificate: SuiteTls): Promise<TestedRun> => {
    const certificates = suiteTlsOutputs(certificate);
    return runTested("prod", awsStack(), programShowingAdminPasswords, {
      outputs: (type, name) => {
        if (type === "aws:rds/instance:Instance") return { address: postgres.host };
        if (name === "prosody-database-password") return { result: postgres.password };
        if (type === "aws:s3/bucket:Bucket") return { bucket: s3.bucket, region: "us-east-1" };
        if (name === "prosody-backup-key") return backupKey;
        return certificates(type, name);
      },
    });
  };

  after(async () => {
    for (const container of [gateway, prosody]) await container?.remove().catch(() => undefined);
    await s3?.stop();
    postgres?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it("starts Prosody from the environment alone: config and certificate written by the entrypoint, data in PostgreSQL", async () => {
    const inputs = ecsContainerInputs(run, "prosody-server-task");
    assert.ok(
      !(inputs.envs ?? []).some((entry) => entry.startsWith("PROSODY_TLS_KEY=") && !entry.includes("PRIVATE KEY")),
    );
    prosody = new ReplayedContainer(inputs, join(root, "volumes"), join(root, "files"));
    await prosody.start([PORTS.c2s, PORTS.c2sDirectTls, PORTS.s2s]);
    const health = await prosody.healthcheck();
    assert.equal(health.code, 0, `${health.output}\n${prosody.log()}`);

    // The same environment gives prosodyctl the same configuration the entrypoint wrote.
    for (const user of ["alice", "bob"]) {
      const registered = prosody.exec([
        "sh",
        "-c",
        `printf '%s\\n' "$PROSODY_CONFIG_TEXT" > /tmp/prosody.cfg.lua && prosodyctl --config /tmp/prosody.cfg.lua register ${user} localhost ${user}-password-1`,
      ]);
      assert.equal(registered.code, 0, registered.output);
    }
    // Verified TLS: the client trusts the suite CA only, so this proves the written chain and key.
    const alice = await login("localhost", "alice", "alice-password-1");
    const bob = await login("localhost", "bob", "bob-password-1");
    try {
      await sendChat(alice, "bob@localhost", "sent through the Fargate task");
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.deepEqual(await archivedBodies(bob, "alice@localhost"), ["sent through the Fargate task"]);
    } finally {
      await alice.close();
      await bob.close();
    }
    const password = (run.outputs.shownAdminPasswords as Record<string, string>)["admin@localhost"] ?? "";
    const admin = await login("localhost", "admin", password);
    await admin.close();
    assert.match(prosody.log(), /created the account admin@localhost/);
    assert.match(postgres.query(`SELECT count(DISTINCT "user") FROM prosody WHERE store = 'accounts'`), /^3$/m);
    // The key lives in the certificates folder, readable by prosody only; the environment no longer holds it.
    const key = prosody.exec(["sh", "-c", "stat -c '%U %a' /etc/prosody/certs/localhost.key"]);
    assert.equal(key.output.trim(), "prosody 600", key.output);
    const pid = listenerPid(PORTS.c2s);
    assert.ok(pid !== undefined);
    const environment = readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");
    const keyVariables = environment.filter((entry) => entry.startsWith("PROSODY_TLS_KEY="));
    assert.deepEqual(keyVariables, [], "Prosody's process still has the key in its environment");
    recordFigure("certificate-key-aws", {
      title: "Certificate key on AWS (Fargate task)",
      done: "The Prosody task is started from its task definition, which hands the key over as an ECS secret; the entrypoint writes it to the certificates folder, and the test reads its owner and mode inside the container.",
      test: __filename,
      figures: {
        "owner and mode": key.output.trim(),
        "key variables left in Prosody's process environment": keyVariables.length,
      },
    });
  });

  it("starts the upload gateway with its TLS pair from its secrets, serving HTTPS on the share host", async () => {
    const inputs = ecsContainerInputs(run, "prosody-gateway-task");
    gateway = new ReplayedContainer(
      {
        ...inputs,
        envs: [
          ...(inputs.envs ?? []),
          // Stands in for the task role and AWS S3.
          `S3_ENDPOINT=${s3.endpoint}`,
          "S3_FORCE_PATH_STYLE=true",
          `AWS_ACCESS_KEY_ID=${S3_CREDENTIALS.accessKeyId}`,
          `AWS_SECRET_ACCESS_KEY=${S3_CREDENTIALS.secretAccessKey}`,
        ],
      },
      join(root, "volumes"),
      join(root, "gateway-files"),
      GATEWAY_IMAGE,
    );
    await gateway.start();
    const health = await gateway.healthcheck();
    assert.equal(health.code, 0, `${health.output}\n${gateway.log()}`);
    // The container port; on AWS the load balancer maps ports.uploadGateway (443) to it.
    const response = await fetchLoopback(`https://share.localhost:${GATEWAY_CONTAINER_PORT}/health`);
    assert.equal(response.status, 200, response.body.toString());
  });

  it("rolls the Prosody task over to a renewed certificate: a connected client comes back by itself on the new one, and nothing is lost", async () => {
    const alice = await login("localhost", "alice", "alice-password-1");
    assert.equal(verifiedSerial(alice), serialOf(tls.cert));
    await sendChat(alice, "bob@localhost", BEFORE_RENEWAL);

    const folder = join(root, "tls-renewed");
    mkdirSync(folder);
    const renewed = suiteTls(folder, planDeployment(stackSpec(awsStack())).certificateNames);
    const next = await deploy(renewed);
    // The TLS secret gets a new value, which AWS's provider writes as a new secret version (secretString
    // cannot be updated in place); the task definition pins that version, so the service rolls over.
    const tlsVersion = (of: TestedRun) => byName(of, "prosody-tls-secret-version").clearInputs.secretString;
    assert.notEqual(tlsVersion(next), tlsVersion(run));
    const served = ecsContainerInputs(next, "prosody-server-task").envs?.find((entry) =>
      entry.startsWith(`${PROSODY_VARIABLES.certificate}=`),
    );
    assert.equal(
      serialOf(served?.slice(served.indexOf("=") + 1) ?? ""),
      serialOf(renewed.cert),
      "the task reads the renewed chain",
    );
    // Prosody's service stops its old task before the new one starts: never two servers on one database.
    const service = byName(next, "prosody-server-service").inputs;
    assert.equal(service.deploymentMinimumHealthyPercent, 0);
    assert.equal(service.deploymentMaximumPercent, 100);

    const { online } = reconnects(alice, 90_000);
    const replacedAt = Date.now();
    await prosody.remove();
    prosody = new ReplayedContainer(
      ecsContainerInputs(next, "prosody-server-task"),
      join(root, "volumes"),
      join(root, "files-renewed"),
    );
    await prosody.start([PORTS.c2s, PORTS.c2sDirectTls, PORTS.s2s]);
    const backAfter = await online;
    try {
      await assertNothingLostAcrossRenewal(alice, renewed.cert, {
        domain: "localhost",
        name: "bob",
        password: "bob-password-1",
      });
      const health = await prosody.healthcheck();
      assert.equal(health.code, 0, health.output);
      recordFigure("certificate-renewed-aws", {
        title: "Certificate replaced while Prosody runs (AWS)",
        done: "The prod stack is deployed again with a renewed certificate (same CA, same names) while a client with xmpp.js's reconnection is logged in; the TLS secret gets a new version, the task definition pins it, and the task is rolled over as the service's deployment settings say (the old task stopped first, the new one started from its task definition with buildah).",
        test: __filename,
        figures: {
          "what changes": "the TLS secret's version, so the task definition",
          rollout: "old task stopped before the new one starts (minimum healthy 0%, maximum 100%)",
          "the connected client": "reconnects by itself and verifies the renewed certificate",
          "messages lost across the rollover": 0,
        },
        observed: {
          "seconds from the old task's stop to the client online again": Math.round((Date.now() - replacedAt) / 1000),
          "ms from the disconnect to online": backAfter,
        },
      });
    } finally {
      await alice.close();
    }
  });

  it("runs the scheduled backup task from its task definition: the live database dumped, encrypted, in S3", async () => {
    const inputs = ecsContainerInputs(run, "prosody-backup-task");
    const [definition] = JSON.parse(String(byName(run, "prosody-backup-task").clearInputs.containerDefinitions)) as {
      command: string[];
    }[];
    const task = new ReplayedContainer(
      {
        ...inputs,
        envs: [
          ...(inputs.envs ?? []),
          // Stand in for the task role and AWS S3.
          `BACKUP_S3_ENDPOINT=${s3.endpoint}`,
          "BACKUP_S3_FORCE_PATH_STYLE=true",
          `AWS_ACCESS_KEY_ID=${S3_CREDENTIALS.accessKeyId}`,
          `AWS_SECRET_ACCESS_KEY=${S3_CREDENTIALS.secretAccessKey}`,
        ],
      },
      join(root, "volumes"),
      join(root, "backup-files"),
      BACKUP_IMAGE,
    );
    try {
      // What EventBridge Scheduler starts: the image's entrypoint with the task definition's command.
      const done = await task.run([...BACKUP_ENTRYPOINT, ...(definition?.command ?? [])]);
      assert.equal(done.code, 0, done.output);
      assert.match(
        done.output,
        /prosody-backup: backup localhost-\d{8}T\d{6}Z\.tar\.age done: \d+ bytes \(database\.pgdump\)/,
      );
      const objects = [...(await s3.objects()).keys()];
      assert.ok(objects.includes("latest.json"), objects.join(", "));
      assert.ok(
        objects.some((key) => /^localhost-\d{8}T\d{6}Z\.tar\.age$/.test(key)),
        objects.join(", "),
      );
    } finally {
      await task.remove();
    }
  });
});
