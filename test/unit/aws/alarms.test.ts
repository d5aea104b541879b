/**
 * The AWS platform's alarms (components/platforms/aws/alarms.ts), under mocks: the SNS topic and an
 * email subscription for each of alerts.email; alarms on the load balancer's healthy Prosody
 * targets and on the stack's RDS instance; EventBridge rules for Prosody's task stopping and a
 * backup task failing; a topic policy that lets exactly those publish; Container Insights on.
 */
import { strict as assert } from "node:assert";
import { byName, runProgram, stackWith, type TestedRun } from "../../support/mock-stack";
import { inputs, planOf, prodStack } from "./support";

type Alarm = {
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  comparisonOperator: string;
  threshold: number;
  alarmActions: string[];
  okActions: string[];
  treatMissingData: string;
};
type Pattern = { source: string[]; "detail-type": string[]; detail: Record<string, unknown> };

const pattern = (run: TestedRun, name: string): Pattern =>
  JSON.parse(inputs<{ eventPattern: string }>(run, name).eventPattern) as Pattern;

describe("AWS platform: alarms", function () {
  this.timeout(60000);
  const stack = prodStack();

  it("tells alerts.email through one SNS topic, from alarms on the load balancer and the database", async () => {
    const run = await runProgram(stackWith("prod", { "prosody:alerts": { email: ["ops@example.org"] } }), "prod");
    const topic = byName(run, "prosody-alerts");
    const topicArn = `arn:aws:sns:eu-central-1:123456789012:${topic.name}`;
    const subscription = inputs<{ topic: string; protocol: string; endpoint: string }>(
      run,
      "prosody-alerts-email-ops@example.org",
    );
    assert.deepEqual(subscription, { topic: topicArn, protocol: "email", endpoint: "ops@example.org" });

    const healthy = inputs<Alarm>(run, "prosody-no-healthy-server-alarm");
    assert.equal(healthy.namespace, "AWS/NetworkELB");
    assert.equal(healthy.metricName, "HealthyHostCount");
    assert.match(healthy.dimensions.LoadBalancer ?? "", /^net\//);
    assert.match(healthy.dimensions.TargetGroup ?? "", /^targetgroup\/.*c2s/);
    assert.equal(healthy.comparisonOperator, "LessThanThreshold");
    assert.equal(healthy.threshold, 1);
    assert.equal(healthy.treatMissingData, "breaching", "an empty target group sends no data");
    assert.deepEqual([healthy.alarmActions, healthy.okActions], [[topicArn], [topicArn]], "and the recovery");

    const storage = inputs<Alarm>(run, "prosody-database-storage-alarm");
    const storageGb = planOf(stackWith("prod", {})).spec.aws.database.storageGb;
    assert.deepEqual([storage.metricName, storage.threshold], ["FreeStorageSpace", (storageGb * 1024 ** 3) / 10]);
    assert.match(storage.dimensions.DBInstanceIdentifier ?? "", /^prosody-database-/, "the RDS instance's identifier");
    const cpu = inputs<Alarm>(run, "prosody-database-cpu-alarm");
    assert.deepEqual(
      [cpu.metricName, cpu.comparisonOperator, cpu.threshold],
      ["CPUUtilization", "GreaterThanThreshold", 80],
    );
  });

  it("hears of Prosody's task stopping and of a failed backup through EventBridge", () => {
    const { run } = stack;
    const stopped = pattern(run, "prosody-server-stopped-rule");
    assert.deepEqual(stopped.source, ["aws.ecs"]);
    assert.deepEqual(stopped["detail-type"], ["ECS Task State Change"]);
    assert.deepEqual(stopped.detail.lastStatus, ["STOPPED"]);
    assert.match(String((stopped.detail.group as string[])[0]), /^service:prosody-server-service/);
    const failed = pattern(run, "prosody-backup-failed-rule");
    assert.match(
      (failed.detail.taskDefinitionArn as { prefix: string }[])[0]?.prefix ?? "",
      /:task-definition\/.*backup.*:$/,
    );
    assert.deepEqual(failed.detail.$or, [
      { containers: { exitCode: [{ "anything-but": 0 }] } },
      { stopCode: ["TaskFailedToStart"] },
    ]);
    for (const rule of ["prosody-server-stopped-rule", "prosody-backup-failed-rule"]) {
      const target = inputs<{ rule: string; arn: string }>(run, `${rule}-target`);
      assert.match(target.arn, /^arn:aws:sns:.*prosody-alerts/);
    }
  });

  it("lets exactly the stack's alarms and rules publish to the topic", () => {
    const { run } = stack;
    const [statement] = JSON.parse(inputs<{ policy: string }>(run, "prosody-alerts-policy").policy).Statement;
    assert.equal(statement.Action, "sns:Publish");
    const sources = new Set(statement.Condition.ArnEquals["aws:SourceArn"] as string[]);
    const publishers = run.resources.filter((resource) =>
      ["aws:cloudwatch/metricAlarm:MetricAlarm", "aws:cloudwatch/eventRule:EventRule"].includes(resource.type),
    );
    assert.equal(sources.size, publishers.length);
    for (const publisher of publishers)
      assert.ok(
        [...sources].some((arn) => arn.endsWith(publisher.name)),
        publisher.name,
      );
  });

  it("turns Container Insights on for the cluster it creates", () => {
    const cluster = inputs<{ settings: { name: string; value: string }[] }>(stack.run, "prosody-cluster");
    assert.deepEqual(cluster.settings, [{ name: "containerInsights", value: "enabled" }]);
  });

  it("refuses an address that is not one, naming the field", async () => {
    await assert.rejects(
      runProgram(stackWith("prod", { "prosody:alerts": { email: ["ops at example.org"] } }), "prod"),
      /alerts\.email\[0\] \(given "ops at example\.org"\): not an email address.*write one address/s,
    );
  });
});
