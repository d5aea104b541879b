/**
 * PostgreSQL on RDS: in the private subnets, encrypted, never public,
 * reachable only from Prosody's task, backed up, and (by tier) protected from
 * deletion with a final snapshot. The password is the stack's databasePassword
 * (generated when not given), which also sits in Secrets Manager for Prosody.
 * Or the caller's PostgreSQL server, which Prosody's security group is let into.
 */
import * as ec2 from "@pulumi/aws/ec2";
import * as rds from "@pulumi/aws/rds";
import * as pulumi from "@pulumi/pulumi";
import type { DeploymentSpec } from "../../../src/schema/deployment-spec";
import type { ExistingAwsResources } from "./existing";
import type { AwsNetwork } from "./network";
import { type AwsContext, child, tags } from "./context";
import { physicalName } from "../../naming";

/** What each tier asks of its database beyond the spec's sizes. */
export const DATABASE_SAFETY: Record<DeploymentSpec["tier"], { deletionProtection: boolean; finalSnapshot: boolean }> =
  {
    personal: { deletionProtection: false, finalSnapshot: false },
    community: { deletionProtection: false, finalSnapshot: true },
    enterprise: { deletionProtection: true, finalSnapshot: true },
  };

export interface Database {
  host: pulumi.Output<string>;
  /** the stack's own RDS instance (none for a server of yours): what its alarms watch */
  instance?: { identifier: pulumi.Output<string>; storageGb: number };
}

export function database(
  context: AwsContext,
  network: AwsNetwork,
  serverGroup: ec2.SecurityGroup,
  password: pulumi.Output<string> | undefined,
  existing: ExistingAwsResources,
): Database | undefined {
  const { parent, plan } = context;
  if (plan.storage.kind !== "postgresql") return undefined;
  if (existing.database) return yourDatabase(context, existing.database, plan.storage.port, serverGroup);
  if (!password) throw new pulumi.ResourceError("storage: PostgreSQL needs a database password", parent);
  const instance = rdsInstance(context, network, serverGroup, password);
  return {
    host: instance.address,
    instance: { identifier: instance.identifier, storageGb: context.plan.spec.aws.database.storageGb },
  };
}

/** The caller's PostgreSQL server: its security group (when given) lets Prosody's task in. */
function yourDatabase(
  context: AwsContext,
  given: NonNullable<ExistingAwsResources["database"]>,
  port: number,
  serverGroup: ec2.SecurityGroup,
): Database {
  const { host, securityGroupId } = given;
  if (securityGroupId !== undefined) {
    new ec2.SecurityGroupRule(
      child(context, "database-access"),
      {
        type: "ingress",
        securityGroupId,
        sourceSecurityGroupId: serverGroup.id,
        protocol: "tcp",
        fromPort: port,
        toPort: port,
        description: `Prosody ${context.plan.spec.domain}`,
      },
      { parent: context.parent },
    );
  }
  return { host: pulumi.output(host) };
}

function rdsInstance(
  context: AwsContext,
  network: AwsNetwork,
  serverGroup: ec2.SecurityGroup,
  password: pulumi.Output<string>,
): rds.Instance {
  const { parent, plan } = context;
  if (plan.storage.kind !== "postgresql") throw new Error("rdsInstance: the plan does not store in PostgreSQL");
  const { port, database: databaseName, user } = plan.storage;
  const { spec } = plan;
  const settings = spec.aws.database;
  const safety = DATABASE_SAFETY[spec.tier];
  const opts = { parent };
  const subnets = new rds.SubnetGroup(
    child(context, "database-subnets"),
    { subnetIds: network.privateSubnetIds, tags: tags(context, "database-subnets") },
    opts,
  );
  const firewall = new ec2.SecurityGroup(
    child(context, "database-firewall"),
    {
      vpcId: network.vpcId,
      description: "ProsodyStack database: PostgreSQL from the Prosody task only",
      ingress: [
        { protocol: "tcp", fromPort: port, toPort: port, securityGroups: [serverGroup.id], description: "Prosody" },
      ],
      egress: [],
      tags: tags(context, "database-firewall"),
    },
    opts,
  );
  return new rds.Instance(
    child(context, "database"),
    {
      engine: "postgres",
      engineVersion: settings.engineVersion,
      instanceClass: settings.instanceClass,
      allocatedStorage: settings.storageGb,
      maxAllocatedStorage: Math.max(settings.maxStorageGb, settings.storageGb),
      storageType: "gp3",
      storageEncrypted: true,
      dbName: databaseName,
      username: user,
      password: pulumi.secret(password),
      port,
      dbSubnetGroupName: subnets.name,
      vpcSecurityGroupIds: [firewall.id],
      publiclyAccessible: false,
      multiAz: settings.multiAz,
      backupRetentionPeriod: settings.backupRetentionDays,
      copyTagsToSnapshot: true,
      autoMinorVersionUpgrade: true,
      // Size and version changes wait for the maintenance window instead of restarting the database mid-day.
      applyImmediately: false,
      // Deletion protection would also block a teardown the user asked for with protectData: false.
      deletionProtection: safety.deletionProtection && spec.protectData,
      skipFinalSnapshot: !safety.finalSnapshot,
      // Automated backups outlive the instance for their retention period: one more way back after a teardown.
      deleteAutomatedBackups: false,
      finalSnapshotIdentifier: safety.finalSnapshot ? finalSnapshotName(context) : undefined,
      tags: tags(context, "database"),
    },
    { parent, protect: spec.protectData },
  );
}

/** The final snapshot's name: letters, digits and single hyphens, as RDS wants. */
function finalSnapshotName(context: AwsContext): string {
  return physicalName(context.name, "final-snapshot").replace(/-+/g, "-").replace(/^-|-$/g, "").slice(0, 255);
}
