/**
 * How an AWS stack comes back from a backup: Prosody's service scaled to 0,
 * the backup task run once with the restore as its command and the key in
 * its override, the service scaled back to 1. `prosody-stack restore --task`
 * turns the stack's backupTask output into `aws ecs run-task` input.
 */
import { BACKUP_VARIABLES } from "../../../backup/src/contract";
import { type RestoreContext, restoreArguments } from "../restore";
import type { BackupTask } from "./backup-task";

export function awsRestoreSteps({ stack, from, identityCommand }: RestoreContext): string[] {
  const field = (name: keyof BackupTask) =>
    `${name}="$(printf '%s' "$task" | node -pe 'JSON.parse(require("fs").readFileSync(0)).${name}')"`;
  return [
    `task="$(pulumi stack output backupTask --json --stack ${stack})"`,
    field("cluster"),
    field("service"),
    `aws ecs update-service --cluster "$cluster" --service "$service" --desired-count 0 >/dev/null`,
    `aws ecs wait services-stable --cluster "$cluster" --services "$service"`,
    "# The key travels in the task's override: whoever may describe tasks in the account can read it.",
    `printf '%s' "$task" | ${BACKUP_VARIABLES.identity}="$(${identityCommand})" npx prosody-stack restore --stack ${stack} --from ${from} --task > restore-task.json`,
    `arn="$(aws ecs run-task --cli-input-json file://restore-task.json --query 'tasks[0].taskArn' --output text)"; rm restore-task.json`,
    `aws ecs wait tasks-stopped --cluster "$cluster" --tasks "$arn"`,
    `aws ecs describe-tasks --cluster "$cluster" --tasks "$arn" --query 'tasks[0].containers[0].exitCode'   # 0: restored`,
    `aws ecs update-service --cluster "$cluster" --service "$service" --desired-count 1 >/dev/null`,
  ];
}

/** `aws ecs run-task --cli-input-json` input: the backup task, running the restore, in its network; undefined when `task` is not one. */
export function restoreRunTask(task: Partial<BackupTask>, from: string, identity: string) {
  if (!task.cluster || !task.taskDefinition || !task.subnets || !task.securityGroups) return undefined;
  return {
    cluster: task.cluster,
    taskDefinition: task.taskDefinition,
    launchType: "FARGATE",
    count: 1,
    networkConfiguration: {
      awsvpcConfiguration: { subnets: task.subnets, securityGroups: task.securityGroups, assignPublicIp: "DISABLED" },
    },
    overrides: {
      containerOverrides: [
        {
          name: "backup",
          command: restoreArguments(from),
          environment: [{ name: BACKUP_VARIABLES.identity, value: identity }],
        },
      ],
    },
  };
}
