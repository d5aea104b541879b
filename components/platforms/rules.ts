/** The refusals more than one platform makes, each naming the field and the fix; a platform's check.ts lists its own. */
import type { Problem } from "../../common/problems";
import type { DeploymentPlan } from "../../src/plan/types";
import type { PlatformContext } from "./contract";

export type Rule<Existing> = (plan: DeploymentPlan, context: PlatformContext<Existing>) => Problem[];

/** One problem when `when` holds. */
export const refuseWhen =
  <Existing>(
    when: (plan: DeploymentPlan, context: PlatformContext<Existing>) => boolean,
    problem: Problem | ((plan: DeploymentPlan) => Problem),
  ): Rule<Existing> =>
  (plan, context) =>
    when(plan, context) ? [typeof problem === "function" ? problem(plan) : problem] : [];

/** A platform that does not run coturn, saying so in `message`. */
export const noCoturn = <Existing>(message: string): Rule<Existing> =>
  refuseWhen((plan) => plan.turn !== undefined && plan.spec.turn.coturn, {
    field: "turn.coturn",
    value: "true",
    message,
    fix: "set turn.coturn: false, with turn.host naming the TURN server you run",
  });

/** A database server of the caller's (`existing.<platform>.database`) comes with its password. */
export const yourDatabasePassword = <Existing extends { database?: unknown }>(platform: string): Rule<Existing> =>
  refuseWhen(
    (_plan, { existing, givenSecrets }) => existing.database !== undefined && !givenSecrets.has("databasePassword"),
    {
      field: "secrets.databasePassword",
      message: `existing.${platform}.database names a server of yours, whose password only you know`,
      fix: "`pulumi config set --secret prosody:databasePassword ...` (or pass secrets.databasePassword)",
    },
  );

/** Backups to S3 go to a bucket of the caller's where the platform makes none (everywhere but AWS). */
export const backupBucketNamed = <Existing>(platform: string): Rule<Existing> =>
  refuseWhen((plan) => plan.backup?.destination.kind === "s3" && plan.backup.destination.bucket === undefined, {
    field: "backup.s3.bucket",
    message: `backups go to S3, and the ${platform} platform makes no bucket`,
    fix: 'name a bucket of yours (with backup.s3.endpoint for an S3-compatible server, and the secrets backupS3AccessKeyId and backupS3SecretAccessKey), or set backup.destination: "volume"',
  });
