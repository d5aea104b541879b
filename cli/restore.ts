/**
 * `prosody-stack restore --stack NAME --from BACKUP`: how to bring a stack back
 * from one of its backups on its platform: stop Prosody, run the backup
 * runner's restore where the backups and the data are, start Prosody, check.
 * It prints the commands (with the names the stack's objects have) rather
 * than running them: they need the platform's own tools and credentials.
 * Two helpers turn what a platform tool prints into the restore's request:
 *   --job   a Kubernetes Job made from the backup CronJob (kubectl create job --from ... -o json) → the restore Job
 *   --task  the stack's backupTask output (pulumi stack output backupTask --json) → `aws ecs run-task` input
 */
import { readFileSync } from "node:fs";
import { BACKUP_VARIABLES } from "../backup/src/contract";
import type { BackupTask } from "../components/platforms/aws/backup-task";
import { restoreRunTask } from "../components/platforms/aws/restore";
import { type JobManifest, restoreJob } from "../components/platforms/kubernetes/restore";
import { PLATFORM_REGISTRY } from "../components/platforms/registry";
import { ProblemError, type Problem } from "../common/problems";
import type { DeploymentPlan } from "../src/plan/types";
import { planDeployment } from "../src/plan/plan-deployment";
import type { Command } from "./command";
import { deploymentSpecFromOptions, UsageError } from "./options";

/** The component's name in the project's program (program.ts). */
const COMPONENT = "prosody";
const BACKUP_NAME = /^([a-z0-9.-]+)-\d{8}T\d{6}Z\.tar\.age$/;

const refuse = (problem: Problem): never => {
  throw new ProblemError([problem], "restore refused");
};

/** The backup's name, refused when it cannot be one of this stack's. */
export function checkedBackupName(plan: DeploymentPlan, stack: string, from: string): string {
  if (!plan.backup) {
    refuse({
      field: "backup.enabled",
      value: "false",
      message: `the stack ${stack} takes no backups`,
      fix: "set backup.enabled: true and deploy; restore once a backup exists",
    });
  }
  if (from === "latest") return from;
  const domain = BACKUP_NAME.exec(from)?.[1];
  if (domain === undefined) {
    refuse({
      field: "--from",
      value: JSON.stringify(from),
      message: "not a backup's name",
      fix: `name one as the runner's list shows it (e.g. ${plan.spec.domain}-20261204T031700Z.tar.age), or give "latest"`,
    });
  }
  if (domain !== plan.spec.domain) {
    refuse({
      field: "--from",
      value: JSON.stringify(from),
      message: `a backup of ${domain}, and the stack ${stack} serves ${plan.spec.domain}`,
      fix: `restore it into the stack whose domain is ${domain}, or name a backup of ${plan.spec.domain}`,
    });
  }
  return from;
}

/** What to run, in order, to restore the stack on its platform (its entry's recipe), then check it. */
export function restoreSteps(plan: DeploymentPlan, stack: string, from: string): string {
  const recipe = PLATFORM_REGISTRY[plan.spec.platform].restore;
  return [
    `# Restore the stack ${stack} (${plan.spec.domain}) from ${from}: stop, restore, start, check.`,
    ...recipe({
      plan,
      stack,
      from,
      component: COMPONENT,
      identityCommand: `pulumi stack output --show-secrets backupIdentity --stack ${stack}`,
    }),
    `npx prosody-stack check --stack ${stack}`,
  ].join("\n");
}

const readStdinJson = (what: string): unknown => {
  try {
    return JSON.parse(readFileSync(0, "utf8"));
  } catch (error) {
    throw new UsageError(`${what}: standard input is not JSON (${(error as Error).message})`);
  }
};

export const restoreCommand: Command = {
  summary: "how to bring a stack back from one of its backups: stop, restore, start, check (its platform's commands)",
  flags: ["stack", "from", "job", "task"],
  options: [
    ["--stack NAME", "the stack (Pulumi.NAME.yaml)"],
    ["--from BACKUP", 'a backup\'s name (e.g. chat.example.org-20261204T031700Z.tar.age), or "latest"'],
    ["--job", "Kubernetes: turn the Job on standard input (made from the backup CronJob) into the restore Job"],
    [
      "--task",
      "AWS: turn the backupTask output on standard input into `aws ecs run-task` input (key from BACKUP_IDENTITY)",
    ],
  ],
  run(positionals, values, io) {
    if (positionals.length > 0) throw new UsageError(`restore takes no arguments (got ${positionals.join(" ")})`);
    const stack = values.stack;
    if (typeof stack !== "string") throw new UsageError("restore needs --stack NAME");
    const given = values.from;
    if (typeof given !== "string") throw new UsageError('restore needs --from BACKUP (a backup\'s name, or "latest")');
    const plan = planDeployment(deploymentSpecFromOptions(values));
    const from = checkedBackupName(plan, stack, given);
    if (values.job) {
      const job = restoreJob(readStdinJson("--job") as JobManifest, COMPONENT, stack, from);
      if (!job) {
        throw new UsageError(
          "--job: standard input holds no Job with a backup container (pipe in `kubectl create job --from=cronjob/... -o json`)",
        );
      }
      io.stdout(JSON.stringify(job, null, 2));
      return;
    }
    if (values.task) {
      const identity = process.env[BACKUP_VARIABLES.identity];
      if (!identity) throw new UsageError(`--task needs the key in ${BACKUP_VARIABLES.identity}`);
      const task = restoreRunTask(readStdinJson("--task") as Partial<BackupTask>, from, identity);
      if (!task) {
        throw new UsageError(
          "--task: standard input holds no backupTask (pipe in `pulumi stack output backupTask --json`)",
        );
      }
      io.stdout(JSON.stringify(task, null, 2));
      return;
    }
    io.stdout(restoreSteps(plan, stack, from));
  },
};
