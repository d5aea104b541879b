/** aws/backups.ts: the backup task, its schedule, its roles and its bucket, and what the AWS platform refuses. */
import { strict as assert } from "node:assert";
import { expectResourceError, runProgram, stackWith } from "../../support/mock-stack";
import { ProsodyStack } from "../../../components/prosody-stack";
import { container, inputs, list, prodStack, statements } from "./support";

describe("AWS platform: backups", function () {
  this.timeout(60000);
  const stack = prodStack();

  it("runs the runner's one-shot command as a Fargate task EventBridge Scheduler starts in UTC, in Prosody's network and security group", () => {
    const schedule = inputs<{
      scheduleExpression: string;
      scheduleExpressionTimezone: string;
      flexibleTimeWindow: { mode: string };
      target: {
        arn: string;
        roleArn: string;
        ecsParameters: {
          taskDefinitionArn: string;
          launchType: string;
          taskCount: number;
          networkConfiguration: { subnets: string[]; securityGroups: string[]; assignPublicIp: boolean };
        };
      };
    }>(stack.run, "prosody-backup-schedule");
    assert.equal(schedule.scheduleExpression, "cron(17 3 * * ? *)");
    assert.equal(schedule.scheduleExpressionTimezone, "UTC");
    assert.equal(schedule.flexibleTimeWindow.mode, "OFF");
    const ecs = schedule.target.ecsParameters;
    assert.equal(ecs.taskDefinitionArn, "arn:aws:ecs:eu-central-1:123456789012:task-definition/prosody-prod-backup");
    assert.equal(ecs.launchType, "FARGATE");
    assert.equal(ecs.taskCount, 1);
    assert.equal(ecs.networkConfiguration.assignPublicIp, false);
    const service = inputs<{ networkConfiguration: { subnets: string[]; securityGroups: string[] } }>(
      stack.run,
      "prosody-server-service",
    );
    assert.deepEqual(ecs.networkConfiguration.subnets, service.networkConfiguration.subnets, "the private subnets");
    assert.deepEqual(ecs.networkConfiguration.securityGroups, service.networkConfiguration.securityGroups);

    const definition = container(stack.run, "prosody-backup-task") as ReturnType<typeof container> & {
      command: string[];
    };
    assert.deepEqual(definition.command, ["once"], "the image's entrypoint, once (a restore overrides it)");
    const environment = new Map(definition.environment.map(({ name, value }) => [name, value]));
    assert.equal(environment.get("BACKUP_DATABASE"), "postgresql");
    assert.equal(environment.get("BACKUP_SCHEDULE"), "17 3 * * *");
    assert.match(environment.get("BACKUP_BUCKET") ?? "", /^prosody-backups-[0-9a-f]{7}$/);
    assert.equal(environment.get("PGHOST"), String(stack.run.outputs.databaseHost));
    assert.deepEqual(
      definition.secrets.map((secret) => secret.name),
      ["PGPASSWORD"],
      "the database password by a pinned ECS secret; no S3 key: the task's role",
    );
    assert.match(String(stack.run.outputs.backupDestination), /^s3:\/\/prosody-backups-[0-9a-f]{7}$/);
  });

  it("lets the task keep backups in its one bucket, and the scheduler start only that task with only its roles", () => {
    const task = statements(stack.run, "prosody-backup-task-role-policy");
    const bucket = String(inputs<{ bucket?: string }>(stack.run, "prosody-backups").bucket ?? "");
    assert.deepEqual(
      task.map((statement) => [statement.Sid, list(statement.Action).sort(), statement.Resource]),
      [
        [
          "Objects",
          ["s3:AbortMultipartUpload", "s3:DeleteObject", "s3:GetObject", "s3:PutObject"],
          `arn:aws:s3:eu-central-1:123456789012:prosody-backups/*`,
        ],
        ["Bucket", ["s3:ListBucket"], "arn:aws:s3:eu-central-1:123456789012:prosody-backups"],
      ],
      bucket,
    );
    const scheduler = statements(stack.run, "prosody-backup-scheduler-role-policy");
    assert.deepEqual(scheduler[0], {
      Sid: "RunTask",
      Effect: "Allow",
      Action: "ecs:RunTask",
      Resource: "arn:aws:ecs:eu-central-1:123456789012:task-definition/prosody-prod-backup:*",
    });
    assert.deepEqual(scheduler[1]?.Resource, [
      "arn:aws:iam:eu-central-1:123456789012:prosody-backup-execution-role",
      "arn:aws:iam:eu-central-1:123456789012:prosody-backup-task-role",
    ]);
  });

  it("keeps the backups bucket private, encrypted, TLS only and protected", () => {
    assert.equal(
      inputs<Record<string, unknown>>(stack.run, "prosody-backups-public-access").restrictPublicBuckets,
      true,
    );
    const policy = JSON.parse(inputs<{ policy: string }>(stack.run, "prosody-backups-policy").policy);
    assert.deepEqual(policy.Statement[0].Condition, { Bool: { "aws:SecureTransport": "false" } });
    const encryption = inputs<{ rules: { applyServerSideEncryptionByDefault: { sseAlgorithm: string } }[] }>(
      stack.run,
      "prosody-backups-encryption",
    );
    assert.equal(encryption.rules[0]?.applyServerSideEncryptionByDefault.sseAlgorithm, "AES256");
    assert.equal(stack.run.resources.find((resource) => resource.name === "prosody-backups")?.protect, true);
  });

  it("writes a weekday schedule with EventBridge's names", async () => {
    const run = await runProgram(
      stackWith("prod", { "prosody:backup": { enabled: true, schedule: "30 1 * * 1-5" } }),
      "prod",
    );
    const schedule = inputs<{ scheduleExpression: string }>(run, "prosody-backup-schedule");
    assert.equal(schedule.scheduleExpression, "cron(30 1 ? * MON,TUE,WED,THU,FRI *)");
  });

  it("refuses what a Fargate task or EventBridge cannot do, naming the field and the fix", async () => {
    const message = await expectResourceError(
      () =>
        new ProsodyStack("chat", {
          domain: "chat.example.org",
          platform: "aws",
          storage: "postgresql",
          uploads: "s3",
          tls: { mode: "self-signed" },
          aws: { database: { engineVersion: "18" } },
          backup: { enabled: true, destination: "volume", schedule: "0 3 1 * 1" },
        }),
    );
    assert.match(message, /backup\.destination \(given "volume"\): a Fargate task has no lasting disk/);
    assert.match(
      message,
      /backup\.schedule \(given "0 3 1 \* 1"\): restricts both the day of the month and the weekday/,
    );
    assert.match(message, /aws\.database\.engineVersion \(given "18"\): the backup task's pg_dump is PostgreSQL 17's/);
  });
});
