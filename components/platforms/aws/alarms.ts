/**
 * The AWS platform says when something breaks: an SNS topic (`<name>-alerts`) with an email
 * subscription for each of alerts.email, and what publishes to it:
 * - CloudWatch alarms: no healthy Prosody target behind the load balancer; with the stack's own
 *   RDS instance, its free storage under a tenth of the allocation and its CPU above 80%;
 * - EventBridge rules: Prosody's task stopping (ECS starts another, and the owner hears why it
 *   stopped), and a backup task ending in an error or failing to start.
 * The topic's policy lets exactly those alarms and rules publish. Container Insights on the
 * cluster (services.ts) gives the per-task figures next to them.
 */
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as sns from "@pulumi/aws/sns";
import * as pulumi from "@pulumi/pulumi";
import { type AwsContext, child, tags } from "./context";

export interface AlarmSubjects {
  /** the load balancer's and Prosody's client target group's ARN suffixes (CloudWatch's dimensions) */
  balancer: pulumi.Output<string>;
  serverTargets: pulumi.Output<string>;
  clusterArn: pulumi.Output<string>;
  serverServiceName: pulumi.Output<string>;
  /** the stack's own RDS instance, when it has one */
  database?: { identifier: pulumi.Output<string>; storageGb: number };
  /** the backup task definition's ARN without its revision, with backups */
  backupTaskDefinition?: pulumi.Output<string>;
}

const MINUTE = 60;
const GIB = 1024 ** 3;

export function alarms(context: AwsContext, subjects: AlarmSubjects): { topicArn: pulumi.Output<string> } {
  const { parent, plan } = context;
  const opts = { parent };
  const topic = new sns.Topic(child(context, "alerts"), { tags: tags(context, "alerts") }, opts);
  for (const address of plan.spec.alerts.email) {
    new sns.TopicSubscription(
      child(context, `alerts-email-${address}`),
      { topic: topic.arn, protocol: "email", endpoint: address },
      opts,
    );
  }

  const alarm = (part: string, args: Omit<cloudwatch.MetricAlarmArgs, "alarmActions" | "okActions" | "tags">) =>
    new cloudwatch.MetricAlarm(
      child(context, part),
      { ...args, alarmActions: [topic.arn], okActions: [topic.arn], tags: tags(context, part) },
      opts,
    );
  const published: pulumi.Output<string>[] = [
    alarm("no-healthy-server-alarm", {
      alarmDescription: `${plan.spec.domain}: no healthy Prosody behind the load balancer (clients cannot connect)`,
      namespace: "AWS/NetworkELB",
      metricName: "HealthyHostCount",
      dimensions: { LoadBalancer: subjects.balancer, TargetGroup: subjects.serverTargets },
      statistic: "Minimum",
      period: MINUTE,
      evaluationPeriods: 3,
      comparisonOperator: "LessThanThreshold",
      threshold: 1,
      // No data is no healthy target: the metric goes missing when the group is empty.
      treatMissingData: "breaching",
    }).arn,
  ];
  if (subjects.database) {
    const { identifier, storageGb } = subjects.database;
    published.push(
      alarm("database-storage-alarm", {
        alarmDescription: `${plan.spec.domain}: the database has under a tenth of its ${storageGb} GiB free`,
        namespace: "AWS/RDS",
        metricName: "FreeStorageSpace",
        dimensions: { DBInstanceIdentifier: identifier },
        statistic: "Minimum",
        period: 5 * MINUTE,
        evaluationPeriods: 3,
        comparisonOperator: "LessThanThreshold",
        threshold: (storageGb * GIB) / 10,
        treatMissingData: "missing",
      }).arn,
      alarm("database-cpu-alarm", {
        alarmDescription: `${plan.spec.domain}: the database's CPU has been above 80% for 15 minutes`,
        namespace: "AWS/RDS",
        metricName: "CPUUtilization",
        dimensions: { DBInstanceIdentifier: identifier },
        statistic: "Average",
        period: 5 * MINUTE,
        evaluationPeriods: 3,
        comparisonOperator: "GreaterThanThreshold",
        threshold: 80,
        treatMissingData: "missing",
      }).arn,
    );
  }

  const rule = (part: string, description: string, detail: pulumi.Input<Record<string, unknown>>) => {
    const eventRule = new cloudwatch.EventRule(
      child(context, part),
      {
        description,
        eventPattern: pulumi
          .output(detail)
          .apply((known) =>
            JSON.stringify({ source: ["aws.ecs"], "detail-type": ["ECS Task State Change"], detail: known }),
          ),
        tags: tags(context, part),
      },
      opts,
    );
    new cloudwatch.EventTarget(child(context, `${part}-target`), { rule: eventRule.name, arn: topic.arn }, opts);
    published.push(eventRule.arn);
  };
  rule(
    "server-stopped-rule",
    `${plan.spec.domain}: Prosody's task stopped (ECS starts another)`,
    pulumi.all([subjects.clusterArn, subjects.serverServiceName]).apply(([clusterArn, service]) => ({
      clusterArn: [clusterArn],
      group: [`service:${service}`],
      lastStatus: ["STOPPED"],
    })),
  );
  if (subjects.backupTaskDefinition) {
    rule(
      "backup-failed-rule",
      `${plan.spec.domain}: a backup task failed`,
      pulumi.all([subjects.clusterArn, subjects.backupTaskDefinition]).apply(([clusterArn, definition]) => ({
        clusterArn: [clusterArn],
        taskDefinitionArn: [{ prefix: `${definition}:` }],
        lastStatus: ["STOPPED"],
        $or: [{ containers: { exitCode: [{ "anything-but": 0 }] } }, { stopCode: ["TaskFailedToStart"] }],
      })),
    );
  }

  new sns.TopicPolicy(
    child(context, "alerts-policy"),
    {
      arn: topic.arn,
      policy: pulumi.all([topic.arn, pulumi.all(published)]).apply(([topicArn, sources]) =>
        JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "StackAlarmsAndRules",
              Effect: "Allow",
              Principal: { Service: ["cloudwatch.amazonaws.com", "events.amazonaws.com"] },
              Action: "sns:Publish",
              Resource: topicArn,
              Condition: { ArnEquals: { "aws:SourceArn": sources } },
            },
          ],
        }),
      ),
    },
    opts,
  );
  return { topicArn: topic.arn };
}
