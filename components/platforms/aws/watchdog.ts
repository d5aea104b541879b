/**
 * The watchdog on AWS: one Fargate task, always running, that checks the
 * server from inside the VPC as clients reach it (through the load balancer's
 * DNS names) and tells the owner what changes. With backups, its role may
 * read the latest backup's note in the backups bucket, and nothing else. It
 * only reaches out (the server's public ports, the owner's webhook and mail
 * server), so its security group lets nothing in; its metrics port stays
 * private, and CloudWatch's alarms (alarms.ts) watch what Prometheus would.
 * Its state lives in the task: a replaced task tells what is still wrong once
 * more.
 */
import type * as cloudwatch from "@pulumi/aws/cloudwatch";
import type * as pulumi from "@pulumi/pulumi";
import type { ImageBuild } from "../../../src/containers/description";
import { describeWatchdog } from "../../../src/containers/watchdog";
import type { AwsContext } from "./context";
import type { AwsNetwork } from "./network";
import { pushImage } from "./registry";
import { watchdogTaskRole } from "./roles";
import { outboundOnlyService } from "./services";
import type { SecretStore } from "./secret-store";
import { fargateTask } from "./task-definition";

export interface WatchdogInput {
  image: ImageBuild;
  network: AwsNetwork;
  store: SecretStore;
  clusterArn: pulumi.Output<string>;
  logGroup: cloudwatch.LogGroup;
  /** the Prosody image the server runs: its tag names its packages' period */
  prosodyImage: pulumi.Output<string>;
  /** PEM of a CA to trust besides the system's: a self-signed stack's own */
  ca?: pulumi.Output<string>;
  /** with backups: the bucket the runner notes its latest success in */
  backupsBucket?: { name: pulumi.Output<string>; arn: pulumi.Output<string> };
}

export function watchdog(context: AwsContext, input: WatchdogInput): void {
  const { plan } = context;
  const description = describeWatchdog(plan, {
    image: input.image,
    ...(input.ca ? { ca: input.ca } : {}),
    prosodyImage: input.prosodyImage,
    reads: { renewerState: false, backupsVolume: false },
    state: "container",
    ...(input.backupsBucket ? { backupsBucket: input.backupsBucket.name } : {}),
  });
  const { task } = fargateTask(context, "watchdog", {
    description,
    image: pushImage(context, description),
    store: input.store,
    logGroup: input.logGroup,
    ...(input.backupsBucket ? { taskRole: watchdogTaskRole(context, input.backupsBucket.arn) } : {}),
  });
  // Never two watchdogs at once: both would tell the same news.
  outboundOnlyService(context, "watchdog", {
    clusterArn: input.clusterArn,
    task,
    network: input.network,
    what: "watchdog",
  });
}
