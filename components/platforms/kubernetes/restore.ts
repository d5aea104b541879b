/**
 * How a Kubernetes stack comes back from a backup: Prosody scaled to 0, a Job
 * made from the backup CronJob runs the restore with the key from a Secret of
 * its own, Prosody scaled back to 1. `prosody-stack restore --job` turns the
 * Job kubectl makes from the CronJob into the restore Job.
 */
import { BACKUP_VARIABLES } from "../../../backup/src/contract";
import { clusterNameFor } from "../../../src/plan/physical-names";
import { type RestoreContext, restoreArguments } from "../restore";

export function kubernetesRestoreSteps({ plan, stack, from, component, identityCommand }: RestoreContext): string[] {
  const name = (part: string) => clusterNameFor(component, stack, part);
  const kubectl = `kubectl -n ${plan.spec.kubernetes.namespace}`;
  return [
    `${kubectl} scale deployment ${name("server")} --replicas=0`,
    `${kubectl} wait --for=delete pod -l app.kubernetes.io/component=prosody,app.kubernetes.io/instance=${name("stack")} --timeout=120s`,
    `${kubectl} create secret generic ${name("restore-identity")} --from-file=identity=<(${identityCommand})`,
    `${kubectl} create job ${name("restore")} --from=cronjob/${name("backup")} --dry-run=client -o json \\`,
    `  | npx prosody-stack restore --stack ${stack} --from ${from} --job | ${kubectl} apply -f -`,
    `${kubectl} wait --for=condition=complete job/${name("restore")} --timeout=30m && ${kubectl} logs job/${name("restore")}`,
    `${kubectl} delete job ${name("restore")} && ${kubectl} delete secret ${name("restore-identity")}`,
    `${kubectl} scale deployment ${name("server")} --replicas=1`,
  ];
}

export interface JobManifest {
  metadata?: Record<string, unknown>;
  spec?: {
    template?: {
      spec?: {
        containers?: { name?: string; args?: string[]; env?: Record<string, unknown>[] }[];
      };
    };
  };
}

/**
 * The Job kubectl made from the backup CronJob, running the restore with the identity from its
 * Secret; undefined when it holds no backup container.
 */
export function restoreJob(job: JobManifest, component: string, stack: string, from: string): JobManifest | undefined {
  const container = job.spec?.template?.spec?.containers?.find((entry) => entry.name === "backup");
  if (!container) return undefined;
  container.args = restoreArguments(from);
  container.env = [
    ...(container.env ?? []).filter((variable) => variable.name !== BACKUP_VARIABLES.identity),
    {
      name: BACKUP_VARIABLES.identity,
      valueFrom: { secretKeyRef: { name: clusterNameFor(component, stack, "restore-identity"), key: "identity" } },
    },
  ];
  return job;
}
