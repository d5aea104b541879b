/**
 * Backups on AWS, on top of RDS's automated backups (which stay): a Fargate
 * task that runs the backup runner's one-shot command, started by an
 * EventBridge Scheduler schedule in UTC, in Prosody's security group (it
 * reaches what Prosody reaches: the database) with a role of its own that may
 * only keep backups in the backups bucket: one of the stack's own (private,
 * encrypted, TLS only, protected) or the caller's (backup.s3.bucket).
 */
import type * as cloudwatch from "@pulumi/aws/cloudwatch";
import type * as ec2 from "@pulumi/aws/ec2";
import * as s3 from "@pulumi/aws/s3";
import * as scheduler from "@pulumi/aws/scheduler";
import * as pulumi from "@pulumi/pulumi";
import { describeBackup } from "../../../src/containers/backup";
import type { ImageBuild } from "../../../src/containers/description";
import { eventBridgeSchedule } from "../../../src/plan/backup";
import type { BackupKey } from "../../backup-key";
import type { BackupTask } from "./backup-task";
import { type AwsContext, child } from "./context";
import type { AwsNetwork } from "./network";
import { privateBucket } from "./private-bucket";
import { pushImage } from "./registry";
import { backupTaskRole, schedulerRole } from "./roles";
import type { SecretStore } from "./secret-store";
import { fargateTask } from "./task-definition";

export interface BackupInputs {
  /** the backup runner image's build */
  image: ImageBuild;
  key: BackupKey;
  network: AwsNetwork;
  store: SecretStore;
  clusterArn: pulumi.Output<string>;
  logGroup: cloudwatch.LogGroup;
  serverGroup: ec2.SecurityGroup;
  databaseHost?: pulumi.Output<string>;
}

/** A scheduled run that fails is tried again this often before EventBridge gives up on it. */
const RETRIES = 2;

function backupsBucket(context: AwsContext): {
  name: pulumi.Output<string>;
  arn: pulumi.Output<string>;
  region: pulumi.Output<string>;
} {
  const { parent, plan } = context;
  const destination = plan.backup?.destination;
  if (destination?.kind !== "s3") throw new Error("backups on AWS go to S3 (refused earlier)");
  if (destination.bucket !== undefined) {
    const given = s3.getBucketOutput({ bucket: destination.bucket }, { parent });
    return { name: pulumi.output(destination.bucket), arn: given.arn, region: given.region };
  }
  const bucket = privateBucket(context, "backups");
  // A cut upload's parts would otherwise be kept, and billed, forever.
  new s3.BucketLifecycleConfiguration(
    child(context, "backups-cleanup"),
    {
      bucket: bucket.id,
      rules: [
        {
          id: "abort-cut-uploads",
          status: "Enabled",
          filter: {},
          abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
        },
      ],
    },
    { parent },
  );
  return { name: bucket.bucket, arn: bucket.arn, region: bucket.region };
}

/** Returns where the backups go, as people read it, and how to run the task by hand. */
export function backups(
  context: AwsContext,
  inputs: BackupInputs & { serverService: pulumi.Output<string> },
): {
  destination: pulumi.Output<string>;
  task: pulumi.Output<BackupTask>;
  /** the backup task definition's ARN without its revision: what a failed run is recognised by */
  taskDefinition: pulumi.Output<string>;
  /** where the runner notes its latest success, which the watchdog reads */
  bucket: { name: pulumi.Output<string>; arn: pulumi.Output<string> };
} {
  const { parent, plan } = context;
  const backup = plan.backup;
  if (!backup) throw new Error("backups: the plan has none");
  const expression = eventBridgeSchedule(backup.schedule);
  if (!expression) throw new Error("backup.schedule has no EventBridge form (refused earlier)");
  const bucket = backupsBucket(context);
  const description = describeBackup(plan, {
    image: inputs.image,
    recipients: inputs.key.recipients,
    ...(inputs.databaseHost ? { databaseHost: inputs.databaseHost } : {}),
    bucket: { name: bucket.name, region: bucket.region },
  });
  const schedule = description.schedule;
  if (!schedule) throw new Error("the backup runner's description has no schedule");
  const image = pushImage(context, description);
  const taskRole = backupTaskRole(context, bucket.arn);
  const { task, execution } = fargateTask(context, "backup", {
    description,
    image,
    store: inputs.store,
    logGroup: inputs.logGroup,
    taskRole,
    command: schedule.arguments,
  });
  const role = schedulerRole(context, task.arnWithoutRevision, [execution.arn, taskRole.arn]);
  new scheduler.Schedule(
    child(context, "backup-schedule"),
    {
      description: `ProsodyStack ${plan.spec.domain}: backups at ${backup.schedule} (UTC)`,
      scheduleExpression: expression,
      scheduleExpressionTimezone: "UTC",
      flexibleTimeWindow: { mode: "OFF" },
      target: {
        arn: inputs.clusterArn,
        roleArn: role.arn,
        ecsParameters: {
          taskDefinitionArn: task.arnWithoutRevision,
          launchType: "FARGATE",
          platformVersion: "LATEST",
          taskCount: 1,
          networkConfiguration: {
            subnets: inputs.network.privateSubnetIds,
            securityGroups: [inputs.serverGroup.id],
            assignPublicIp: false,
          },
        },
        retryPolicy: { maximumRetryAttempts: RETRIES, maximumEventAgeInSeconds: 3600 },
      },
    },
    { parent },
  );
  return {
    bucket: { name: bucket.name, arn: bucket.arn },
    taskDefinition: task.arnWithoutRevision,
    destination: pulumi.interpolate`s3://${bucket.name}`,
    task: pulumi.output({
      cluster: inputs.clusterArn,
      taskDefinition: task.family,
      subnets: inputs.network.privateSubnetIds,
      securityGroups: [inputs.serverGroup.id],
      service: inputs.serverService,
    }),
  };
}
