/** aws/services.ts: one Prosody task that never runs twice, and the spec's sizes. */
import { strict as assert } from "node:assert";
import { byName, runProgram, stackWith } from "../../support/mock-stack";
import { inputs, prodStack } from "./support";

describe("AWS platform: the services", function () {
  this.timeout(60000);
  const stack = prodStack();

  it("runs one Prosody task, stopping the old before the new, and waits for it to become healthy", () => {
    const service = inputs<Record<string, unknown>>(stack.run, "prosody-server-service");
    assert.equal(service.desiredCount, 1);
    assert.equal(service.deploymentMaximumPercent, 100);
    assert.equal(service.deploymentMinimumHealthyPercent, 0);
    assert.deepEqual(service.deploymentCircuitBreaker, { enable: true, rollback: true });
    assert.equal(service.waitForSteadyState, true);
    const task = inputs<Record<string, unknown>>(stack.run, "prosody-server-task");
    assert.equal(task.family, "prosody-prod-server");
    assert.deepEqual(task.requiresCompatibilities, ["FARGATE"]);
    const [definition] = JSON.parse(String(task.containerDefinitions));
    assert.deepEqual(definition.healthCheck.command, ["CMD", "/usr/local/bin/prosody-healthcheck"]);
    assert.equal(definition.logConfiguration.options["awslogs-group"], stack.run.outputs.logGroup);
    assert.match(
      definition.image,
      /^123456789012\.dkr\.ecr\.eu-central-1\.amazonaws\.com\/prosody-image-repository-[0-9a-f]{7}:13-2026w50-[0-9a-f]{12}@sha256:/,
    );
    assert.equal(inputs<{ retentionInDays: number }>(stack.run, "prosody-logs").retentionInDays, 30);
    const repository = inputs<Record<string, unknown>>(stack.run, "prosody-image-repository");
    assert.deepEqual(repository.imageScanningConfiguration, { scanOnPush: true });
    const lifecycle = JSON.parse(inputs<{ policy: string }>(stack.run, "prosody-image-lifecycle").policy);
    assert.equal(lifecycle.rules.length, 2);
  });
});

describe("AWS platform: the spec's sizes", function () {
  this.timeout(60000);

  it("follows the spec's sizes: Multi-AZ, backups, task size, log retention, three zones with a NAT each", async () => {
    const run = await runProgram(
      stackWith("prod", {
        "prosody:aws": {
          zones: 3,
          natGateways: "per-zone",
          server: { cpu: 1024, memory: 2048 },
          logRetentionDays: 90,
          database: { multiAz: true, backupRetentionDays: 14, instanceClass: "db.m7g.large" },
        },
      }),
      "prod",
    );
    const database = byName(run, "prosody-database").clearInputs;
    assert.equal(database.multiAz, true);
    assert.equal(database.backupRetentionPeriod, 14);
    assert.equal(database.instanceClass, "db.m7g.large");
    assert.equal(byName(run, "prosody-server-task").clearInputs.cpu, "1024");
    assert.equal(byName(run, "prosody-logs").clearInputs.retentionInDays, 90);
    assert.equal(run.resources.filter((resource) => resource.type === "aws:ec2/natGateway:NatGateway").length, 3);
    assert.equal(byName(run, "prosody-private-3").clearInputs.availabilityZone, "eu-central-1c");
  });
});
