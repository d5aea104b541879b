/**
 * IAM, least privilege: each task has an execution role that may pull its
 * one image, write to its one log group and read its own secrets; the upload
 * gateway's task role may put and get objects in the uploads bucket, the
 * backup task's may keep backups in the backups bucket, and EventBridge
 * Scheduler may start the backup task. The certificate renewer's task role may
 * change the _acme-challenge TXT records of the stack's hosts in the one
 * hosted zone, write the TLS secret and start new deployments of the services
 * that serve it. Prosody's task has no AWS permissions.
 */
import * as iam from "@pulumi/aws/iam";
import * as pulumi from "@pulumi/pulumi";
import { LATEST_FILE } from "../../../backup/src/contract";
import { type AwsContext, child, tags } from "./context";

const assumedByEcsTasks = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }],
});

type Statement = Record<string, unknown>;

function role(context: AwsContext, part: string, statements: pulumi.Input<Statement>[]): iam.Role {
  const { parent } = context;
  const created = new iam.Role(
    child(context, part),
    { assumeRolePolicy: assumedByEcsTasks, tags: tags(context, part) },
    { parent },
  );
  new iam.RolePolicy(
    child(context, `${part}-policy`),
    { role: created.id, policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: statements }) },
    { parent },
  );
  return created;
}

export interface ExecutionAccess {
  repositoryArn: pulumi.Output<string>;
  logGroupArn: pulumi.Output<string>;
  secretArns: pulumi.Output<string>[];
}

/** What ECS itself needs to start a task: the image, the log stream, the secrets. */
export function executionRole(context: AwsContext, part: string, access: ExecutionAccess): iam.Role {
  return role(context, part, [
    // ECR issues registry tokens only for every repository ("*"); the pulls below are scoped to one.
    { Sid: "RegistryToken", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
    {
      Sid: "PullImage",
      Effect: "Allow",
      Action: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
      Resource: access.repositoryArn,
    },
    {
      Sid: "WriteLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: pulumi.interpolate`${access.logGroupArn}:*`,
    },
    { Sid: "ReadSecrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: access.secretArns },
  ]);
}

/** The upload gateway's own identity: objects in one bucket. */
export function gatewayTaskRole(context: AwsContext, bucketArn: pulumi.Output<string>): iam.Role {
  return role(context, "gateway-task-role", [
    {
      Sid: "Objects",
      Effect: "Allow",
      Action: ["s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload"],
      Resource: pulumi.interpolate`${bucketArn}/*`,
    },
    // Without it S3 answers 403 instead of 404 for a missing object, and the gateway's
    // "is this slot already used" check and its health check (HeadBucket) need that answer.
    { Sid: "Bucket", Effect: "Allow", Action: "s3:ListBucket", Resource: bucketArn },
  ]);
}

/** The backup task's own identity: backups in one bucket, written, listed, read back and pruned. */
export function backupTaskRole(context: AwsContext, bucketArn: pulumi.Output<string>): iam.Role {
  return role(context, "backup-task-role", [
    {
      Sid: "Objects",
      Effect: "Allow",
      Action: ["s3:PutObject", "s3:GetObject", "s3:DeleteObject", "s3:AbortMultipartUpload"],
      Resource: pulumi.interpolate`${bucketArn}/*`,
    },
    { Sid: "Bucket", Effect: "Allow", Action: "s3:ListBucket", Resource: bucketArn },
  ]);
}

/** The watchdog's own identity: the latest backup's note in the backups bucket, read only. */
export function watchdogTaskRole(context: AwsContext, backupsBucketArn: pulumi.Output<string>): iam.Role {
  return role(context, "watchdog-task-role", [
    {
      Sid: "LatestBackup",
      Effect: "Allow",
      Action: "s3:GetObject",
      Resource: pulumi.interpolate`${backupsBucketArn}/${LATEST_FILE}`,
    },
    // Without it S3 answers 403 instead of 404 before the first backup, which the check names.
    { Sid: "Bucket", Effect: "Allow", Action: "s3:ListBucket", Resource: backupsBucketArn },
  ]);
}

export interface RenewerAccess {
  /** the hosted zone the DNS-01 challenges go in; none: they go to Cloudflare, with a token */
  route53HostedZoneId?: pulumi.Input<string>;
  /** the host names the certificate names: their _acme-challenge records are the only ones it may change */
  hosts: readonly string[];
  tlsSecretArn: pulumi.Output<string>;
  /** the services that serve the pair, which it rolls over to each new one */
  serviceArns: pulumi.Output<string>[];
}

/** The record names of the DNS-01 challenges, as Route53's condition keys compare them: lower case, no final dot. */
export const challengeRecordNames = (hosts: readonly string[]): string[] =>
  hosts.map((host) => `_acme-challenge.${host.toLowerCase().replace(/\.$/, "")}`);

/** The certificate renewer's own identity: its challenges' TXT records, the TLS secret, the services serving it. */
export function renewerTaskRole(context: AwsContext, access: RenewerAccess): iam.Role {
  const zone = access.route53HostedZoneId;
  const challenges: pulumi.Input<Statement>[] =
    zone === undefined
      ? []
      : [
          {
            Sid: "ChallengeRecords",
            Effect: "Allow",
            Action: "route53:ChangeResourceRecordSets",
            Resource: pulumi.interpolate`arn:aws:route53:::hostedzone/${zone}`,
            Condition: {
              "ForAllValues:StringEquals": {
                "route53:ChangeResourceRecordSetsNormalizedRecordNames": challengeRecordNames(access.hosts),
                "route53:ChangeResourceRecordSetsRecordTypes": ["TXT"],
                "route53:ChangeResourceRecordSetsActions": ["UPSERT", "DELETE"],
              },
            },
          },
          // certbot's Route53 plugin finds the zone by listing them: Route53 cannot scope a list.
          { Sid: "FindZone", Effect: "Allow", Action: "route53:ListHostedZones", Resource: "*" },
          {
            Sid: "ChallengeSeen",
            Effect: "Allow",
            Action: "route53:GetChange",
            Resource: "arn:aws:route53:::change/*",
          },
        ];
  return role(context, "renewer-task-role", [
    ...challenges,
    {
      Sid: "TlsSecret",
      Effect: "Allow",
      Action: ["secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue"],
      Resource: access.tlsSecretArn,
    },
    { Sid: "NewDeployments", Effect: "Allow", Action: "ecs:UpdateService", Resource: access.serviceArns },
  ]);
}

/** EventBridge Scheduler's identity: run one task definition's tasks, handing them their two roles. */
export function schedulerRole(
  context: AwsContext,
  taskDefinitionArn: pulumi.Output<string>,
  taskRoles: pulumi.Output<string>[],
): iam.Role {
  const { parent } = context;
  const part = "backup-scheduler-role";
  const created = new iam.Role(
    child(context, part),
    {
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "scheduler.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
      tags: tags(context, part),
    },
    { parent },
  );
  new iam.RolePolicy(
    child(context, `${part}-policy`),
    {
      role: created.id,
      policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          // Any revision of the one family: a new revision must not wait for the policy to follow.
          {
            Sid: "RunTask",
            Effect: "Allow",
            Action: "ecs:RunTask",
            Resource: pulumi.interpolate`${taskDefinitionArn}:*`,
          },
          { Sid: "PassRoles", Effect: "Allow", Action: "iam:PassRole", Resource: taskRoles },
        ],
      }),
    },
    { parent },
  );
  return created;
}
