/**
 * `prosody-stack restore` (the platform's steps, the Kubernetes Job and the
 * ECS run-task input it makes, its refusals) and the backups part of
 * `prosody-stack check` (the latest success against the schedule, from a
 * folder and from an S3 protocol server).
 */
import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { main } from "../../cli/main";
import { backupChecks } from "../../cli/check/backups";
import { restoreRunTask } from "../../components/platforms/aws/restore";
import { restoreJob } from "../../components/platforms/kubernetes/restore";
import { planDeployment } from "../../src/plan";
import { parseDeploymentSpec } from "../../src/schema";
import { startS3Server } from "../support/s3";

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { stdout: (t) => out.push(t), stderr: (t) => err.push(t) });
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

const BACKUP = "localhost-20261204T031700Z.tar.age";

describe("prosody-stack restore", () => {
  it("prints the Docker steps with the stack's container names, the key kept off the command line", async () => {
    const { code, stdout, stderr } = await run("restore", "--stack", "dev", "--from", BACKUP);
    assert.equal(code, 0, stderr);
    assert.deepEqual(stdout.split("\n").slice(1), [
      "docker stop prosody-dev-server",
      "# The backup container holds the backups, the data and the settings; the key stays off the command line.",
      `BACKUP_IDENTITY="$(pulumi stack output --show-secrets backupIdentity --stack dev)" docker exec -e BACKUP_IDENTITY prosody-dev-backup 'node' '/opt/prosody-backup/backup.js' 'restore' '--from' '${BACKUP}'`,
      "docker start prosody-dev-server",
      "npx prosody-stack check --stack dev",
    ]);
  });

  it("prints the Kubernetes steps, and turns the Job kubectl makes from the CronJob into the restore Job", async () => {
    const steps = await run("restore", "--stack", "k8s", "--from", "latest");
    assert.equal(steps.code, 0, steps.stderr);
    assert.match(steps.stdout, /^kubectl -n chat scale deployment prosody-k8s-server --replicas=0$/m);
    assert.match(steps.stdout, /kubectl -n chat create job prosody-k8s-restore --from=cronjob\/prosody-k8s-backup/);
    assert.match(steps.stdout, /^kubectl -n chat scale deployment prosody-k8s-server --replicas=1$/m);
    const job = restoreJob(
      {
        metadata: { name: "prosody-k8s-restore" },
        spec: {
          template: {
            spec: { containers: [{ name: "backup", args: ["once"], env: [{ name: "PGHOST", value: "db" }] }] },
          },
        },
      },
      "prosody",
      "k8s",
      "latest",
    );
    assert.deepEqual(job?.spec?.template?.spec?.containers?.[0], {
      name: "backup",
      args: ["restore", "--from", "latest"],
      env: [
        { name: "PGHOST", value: "db" },
        {
          name: "BACKUP_IDENTITY",
          valueFrom: { secretKeyRef: { name: "prosody-k8s-restore-identity", key: "identity" } },
        },
      ],
    });
  });

  it("prints the AWS steps, and turns the backupTask output into the run-task input", async () => {
    const steps = await run("restore", "--stack", "prod", "--from", "latest");
    assert.equal(steps.code, 0, steps.stderr);
    assert.match(steps.stdout, /aws ecs update-service --cluster "\$cluster" --service "\$service" --desired-count 0/);
    assert.match(steps.stdout, /aws ecs run-task --cli-input-json file:\/\/restore-task\.json/);
    const input = restoreRunTask(
      { cluster: "arn:cluster", taskDefinition: "prosody-prod-backup", subnets: ["s1"], securityGroups: ["g1"] },
      "latest",
      "PRIVATE KEY",
    );
    assert.ok(input, "a whole backupTask makes run-task input");
    assert.equal(input.taskDefinition, "prosody-prod-backup");
    assert.deepEqual(input.networkConfiguration.awsvpcConfiguration, {
      subnets: ["s1"],
      securityGroups: ["g1"],
      assignPublicIp: "DISABLED",
    });
    assert.deepEqual(input.overrides.containerOverrides[0]?.command, ["restore", "--from", "latest"]);
  });

  it("refuses a backup of another domain, a name that is no backup's, and a stack without backups", async () => {
    const foreign = await run("restore", "--stack", "dev", "--from", "chat.example.org-20261204T031700Z.tar.age");
    assert.equal(foreign.code, 1);
    assert.match(
      foreign.stderr,
      /--from \(given "chat\.example\.org-20261204T031700Z\.tar\.age"\): a backup of chat\.example\.org, and the stack dev serves localhost\. Fix: restore it into the stack whose domain is chat\.example\.org/,
    );
    const garbage = await run("restore", "--stack", "dev", "--from", "../../etc/passwd");
    assert.equal(garbage.code, 1);
    assert.match(garbage.stderr, /--from \(given "\.\.\/\.\.\/etc\/passwd"\): not a backup's name/);
    const usage = await run("restore", "--stack", "dev");
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /restore needs --from BACKUP/);
  });
});

describe("prosody-stack check: backups", function () {
  this.timeout(30000);
  const plan = (input: Record<string, unknown>) =>
    planDeployment(parseDeploymentSpec({ domain: "localhost", backup: { enabled: true }, ...input }));
  const latest = (createdAt: string) =>
    JSON.stringify({
      name: `localhost-${createdAt.replace(/[-:]/g, "").slice(0, 15)}Z.tar.age`,
      createdAt,
      encrypted: { size: 4096 },
    });
  let folder: string;
  before(() => {
    folder = mkdtempSync(join(tmpdir(), "backups-check-"));
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  it("passes a backup within the schedule, fails one two runs late or none at all, naming where to look", async () => {
    const daily = plan({});
    const now = new Date("2026-12-05T10:00:00Z");
    const [missing] = await backupChecks(daily, { folder, now });
    assert.equal(missing?.status, "fail");
    assert.match(missing?.detail ?? "", /no latest\.json: no backup has succeeded there yet/);
    writeFileSync(join(folder, "latest.json"), latest("2026-12-05T03:17:00.000Z"));
    const [fresh] = await backupChecks(daily, { folder, now });
    assert.equal(fresh?.status, "pass", fresh?.detail);
    assert.match(fresh?.detail ?? "", /6\.7 h ago, 4096 bytes/);
    writeFileSync(join(folder, "latest.json"), latest("2026-12-03T03:17:00.000Z"));
    const [stale] = await backupChecks(daily, { folder, now });
    assert.equal(stale?.status, "fail");
    assert.match(stale?.detail ?? "", /two runs of "17 3 \* \* \*" \(UTC\) have passed since/);
    const [unknown] = await backupChecks(daily, { now });
    assert.equal(unknown?.status, "skip");
    assert.deepEqual(await backupChecks(plan({ backup: { enabled: false } }), { now }), []);
  });

  it("reads latest.json from the bucket with the caller's credentials", async () => {
    const s3 = await startS3Server("chat-backups");
    const keys = {
      AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY,
    };
    try {
      await s3.client.send(
        new PutObjectCommand({ Bucket: s3.bucket, Key: "latest.json", Body: latest("2026-12-05T03:17:00.000Z") }),
      );
      process.env.AWS_ACCESS_KEY_ID = "prosody-stack-e2e";
      process.env.AWS_SECRET_ACCESS_KEY = "prosody-stack-e2e-secret-key-0123456789";
      const toS3 = plan({
        backup: {
          enabled: true,
          destination: "s3",
          s3: { bucket: s3.bucket, endpoint: s3.endpoint, forcePathStyle: true },
        },
      });
      const [result] = await backupChecks(toS3, { now: new Date("2026-12-05T10:00:00Z") });
      assert.equal(result?.status, "pass", result?.detail);
    } finally {
      for (const [name, value] of Object.entries(keys)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      await s3.stop();
    }
  });
});
