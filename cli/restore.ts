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
import { BACKUP_COMMANDS, BACKUP_ENTRYPOINT, BACKUP_VARIABLES } from "../backup/src/contract";
import { ProblemError, type Problem } from "../common/problems";
import type { DeploymentPlan } from "../src/plan/types";
import { planDeployment } from "../src/plan/plan-deployment";
import { clusterNameFor, physicalNameFor } from "../src/plan/physical-names";
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

/** The runner's arguments for a restore (its image's entrypoint runs them). */
const restoreArguments = (from: string): string[] => [BACKUP_COMMANDS.restore, "--from", from];
const quote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

export function restoreSteps(plan: DeploymentPlan, stack: string, from: string): string {
  const { spec } = plan;
  const identity = `pulumi stack output --show-secrets backupIdentity --stack ${stack}`;
  const steps: string[] = [`# Restore the stack ${stack} (${spec.domain}) from ${from}: stop, restore, start, check.`];
  if (spec.platform === "docker") {
    const name = (part: string) => physicalNameFor(COMPONENT, stack, part);
    steps.push(
      `docker stop ${name("server")}`,
      "# The backup container holds the backups, the data and the settings; the key stays off the command line.",
      `${BACKUP_VARIABLES.identity}="$(${identity})" docker exec -e ${BACKUP_VARIABLES.identity} ${name("backup")} ${[...BACKUP_ENTRYPOINT, ...restoreArguments(from)].map(quote).join(" ")}`,
      `docker start ${name("server")}`,
    );
  } else if (spec.platform === "kubernetes") {
    const name = (part: string) => clusterNameFor(COMPONENT, stack, part);
    const namespace = spec.kubernetes.namespace;
    const kubectl = `kubectl -n ${namespace}`;
    steps.push(
      `${kubectl} scale deployment ${name("server")} --replicas=0`,
      `${kubectl} wait --for=delete pod -l app.kubernetes.io/component=prosody,app.kubernetes.io/instance=${name("stack")} --timeout=120s`,
      `${kubectl} create secret generic ${name("restore-identity")} --from-file=identity=<(${identity})`,
      `${kubectl} create job ${name("restore")} --from=cronjob/${name("backup")} --dry-run=client -o json \\`,
      `  | npx prosody-stack restore --stack ${stack} --from ${from} --job | ${kubectl} apply -f -`,
      `${kubectl} wait --for=condition=complete job/${name("restore")} --timeout=30m && ${kubectl} logs job/${name("restore")}`,
      `${kubectl} delete job ${name("restore")} && ${kubectl} delete secret ${name("restore-identity")}`,
      `${kubectl} scale deployment ${name("server")} --replicas=1`,
    );
  } else {
    steps.push(
      `task="$(pulumi stack output backupTask --json --stack ${stack})"`,
      `cluster="$(printf '%s' "$task" | node -pe 'JSON.parse(require("fs").readFileSync(0)).cluster')"`,
      `service="$(printf '%s' "$task" | node -pe 'JSON.parse(require("fs").readFileSync(0)).service')"`,
      `aws ecs update-service --cluster "$cluster" --service "$service" --desired-count 0 >/dev/null`,
      `aws ecs wait services-stable --cluster "$cluster" --services "$service"`,
      "# The key travels in the task's override: whoever may describe tasks in the account can read it.",
      `printf '%s' "$task" | ${BACKUP_VARIABLES.identity}="$(${identity})" npx prosody-stack restore --stack ${stack} --from ${from} --task > restore-task.json`,
      `arn="$(aws ecs run-task --cli-input-json file://restore-task.json --query 'tasks[0].taskArn' --output text)"; rm restore-task.json`,
      `aws ecs wait tasks-stopped --cluster "$cluster" --tasks "$arn"`,
      `aws ecs describe-tasks --cluster "$cluster" --tasks "$arn" --query 'tasks[0].containers[0].exitCode'   # 0: restored`,
      `aws ecs update-service --cluster "$cluster" --service "$service" --desired-count 1 >/dev/null`,
    );
  }
  steps.push(`npx prosody-stack check --stack ${stack}`);
  return steps.join("\n");
}

interface JobManifest {
  metadata?: Record<string, unknown>;
  spec?: {
    template?: {
      spec?: {
        containers?: { name?: string; args?: string[]; env?: Record<string, unknown>[] }[];
      };
    };
  };
}

/** The Job kubectl made from the backup CronJob, running the restore with the identity from its Secret. */
export function restoreJob(job: JobManifest, stack: string, from: string): JobManifest {
  const container = job.spec?.template?.spec?.containers?.find((entry) => entry.name === "backup");
  if (!container) {
    throw new UsageError(
      "--job: standard input holds no Job with a backup container (pipe in `kubectl create job --from=cronjob/... -o json`)",
    );
  }
  container.args = restoreArguments(from);
  container.env = [
    ...(container.env ?? []).filter((variable) => variable.name !== BACKUP_VARIABLES.identity),
    {
      name: BACKUP_VARIABLES.identity,
      valueFrom: { secretKeyRef: { name: clusterNameFor(COMPONENT, stack, "restore-identity"), key: "identity" } },
    },
  ];
  return job;
}

interface BackupTaskOutput {
  cluster?: string;
  taskDefinition?: string;
  subnets?: string[];
  securityGroups?: string[];
}

/** `aws ecs run-task --cli-input-json` input: the backup task, running the restore, in its network. */
export function restoreRunTask(task: BackupTaskOutput, from: string, identity: string) {
  if (!task.cluster || !task.taskDefinition || !task.subnets || !task.securityGroups) {
    throw new UsageError(
      "--task: standard input holds no backupTask (pipe in `pulumi stack output backupTask --json`)",
    );
  }
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
      io.stdout(JSON.stringify(restoreJob(readStdinJson("--job") as JobManifest, stack, from), null, 2));
      return;
    }
    if (values.task) {
      const identity = process.env[BACKUP_VARIABLES.identity];
      if (!identity) throw new UsageError(`--task needs the key in ${BACKUP_VARIABLES.identity}`);
      io.stdout(JSON.stringify(restoreRunTask(readStdinJson("--task") as BackupTaskOutput, from, identity), null, 2));
      return;
    }
    io.stdout(restoreSteps(plan, stack, from));
  },
};
