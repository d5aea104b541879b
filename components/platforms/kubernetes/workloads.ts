/**
 * What runs: Prosody as one pod that never runs twice (a Deployment of one
 * replica with the Recreate strategy: Prosody does not cluster, and its data
 * volume is ReadWriteOnce), and the stateless upload gateway (a rolling
 * Deployment). Each pod is translated from its container description
 * (pod.ts); its ConfigMap and env Secret carry generated names, so a changed
 * file or secret is a new object and a new pod template, which rolls the pod.
 * The claims are standalone and fixed-named: no replacement of a workload
 * ever touches the data.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ContainerDescription } from "../../../src/containers/description";
import { PROSODY_VARIABLES } from "../../../image/contract";
import type { DeploymentPlan } from "../../../src/plan/types";
import { type ChildContext, child } from "../../naming";
import { clusterName } from "./names";
import { secretValue, type StackSecrets } from "../../stack-secrets";
import type { Cluster } from "./cluster";
import { configFiles, configKey, podParts, type PodParts, type Value } from "./pod";

/** How long Prosody has after SIGTERM to close every stream and flush its storage. */
const GRACE_SECONDS = 60;
/** How often the Prosody entrypoint looks for a renewed certificate in the mounted Secret. */
export const CERTIFICATE_WATCH_SECONDS = 60;

/** The labels that select one workload's pods; fixed, as a Deployment's selector can never change. */
export const podLabels = (context: ChildContext, component: string): Record<string, string> => ({
  "app.kubernetes.io/name": "prosody",
  "app.kubernetes.io/instance": clusterName(context.name, "stack"),
  "app.kubernetes.io/component": component,
});

const LABELS_OF_OURS = { "app.kubernetes.io/managed-by": "prosody-stack" };

/** A standalone claim: protected, kept by `pulumi destroy`, never replaced by a change elsewhere. */
export function claim(
  context: ChildContext,
  cluster: Cluster,
  part: string,
  size: string,
): k8s.core.v1.PersistentVolumeClaim {
  const { name, plan } = context;
  const { storageClass } = plan.spec.kubernetes;
  return new k8s.core.v1.PersistentVolumeClaim(
    child(context, part),
    {
      metadata: { name: clusterName(name, part), namespace: cluster.namespace, labels: LABELS_OF_OURS },
      spec: {
        accessModes: ["ReadWriteOnce"],
        resources: { requests: { storage: size } },
        ...(storageClass ? { storageClassName: storageClass } : {}),
      },
    },
    { ...cluster.opts, protect: plan.spec.protectData, retainOnDelete: true },
  );
}

export interface PodInputs {
  description: ContainerDescription<Value>;
  /** the child-name part of the workload and its objects */
  part: string;
  image: pulumi.Input<string>;
  secrets: StackSecrets;
  tlsSecretName: pulumi.Input<string>;
  claims: Partial<Record<ContainerDescription["volumes"][number]["name"], pulumi.Input<string>>>;
  resources: { cpu: string; memory: string };
  scratch: readonly string[];
  scratchSizeLimit?: string;
  /** variables of this platform's own, beyond the description's */
  environment?: Record<string, string>;
}

export interface WorkloadInputs extends PodInputs {
  /** "Recreate" for a server that must never run twice, "RollingUpdate" for a stateless one */
  strategy: "Recreate" | "RollingUpdate";
  dependsOn: pulumi.Resource[];
}

type PodSpec = k8s.types.input.core.v1.PodSpec;

/** A description's pod: its ConfigMap and env Secret (generated names, so a change rolls the pod) and the pod spec. */
function podOf(context: ChildContext, cluster: Cluster, inputs: PodInputs): { parts: PodParts; spec: PodSpec } {
  const { plan } = context;
  const { description, part } = inputs;
  const files = configFiles(description);
  const configMap =
    files.length === 0
      ? undefined
      : new k8s.core.v1.ConfigMap(
          child(context, `${part}-config`),
          {
            metadata: { namespace: cluster.namespace, labels: LABELS_OF_OURS },
            data: Object.fromEntries(files.map((file) => [configKey(file), file.content])),
          },
          cluster.opts,
        );
  const secretVariables = Object.entries(description.secretEnvironment);
  const envSecret =
    secretVariables.length === 0
      ? undefined
      : new k8s.core.v1.Secret(
          child(context, `${part}-env`),
          {
            metadata: { namespace: cluster.namespace, labels: LABELS_OF_OURS },
            type: "Opaque",
            stringData: Object.fromEntries(
              secretVariables.map(([variable, key]) => [variable, secretValue(inputs.secrets, key)]),
            ),
          },
          cluster.opts,
        );
  const described = {
    ...description,
    environment: { ...description.environment, ...inputs.environment },
  };
  const parts = podParts(described, {
    image: inputs.image,
    ...(envSecret ? { secretName: envSecret.metadata.name } : {}),
    ...(configMap ? { configMapName: configMap.metadata.name } : {}),
    tlsSecretName: inputs.tlsSecretName,
    claims: inputs.claims,
    resources: inputs.resources,
    scratch: inputs.scratch,
    ...(inputs.scratchSizeLimit ? { scratchSizeLimit: inputs.scratchSizeLimit } : {}),
  });
  const { imagePullSecrets } = plan.spec.kubernetes;
  return {
    parts,
    spec: {
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      securityContext: parts.securityContext,
      terminationGracePeriodSeconds: GRACE_SECONDS,
      ...(imagePullSecrets.length > 0
        ? { imagePullSecrets: imagePullSecrets.map((secret) => ({ name: secret })) }
        : {}),
      ...(parts.initContainers.length > 0 ? { initContainers: parts.initContainers } : {}),
      containers: [parts.container],
      volumes: parts.volumes,
    },
  };
}

/** A workload's own metadata: its fixed cluster name, and its pods' labels with ours. */
function workloadMetadata(context: ChildContext, cluster: Cluster, inputs: PodInputs) {
  return {
    name: clusterName(context.name, inputs.part),
    namespace: cluster.namespace,
    labels: { ...podLabels(context, inputs.description.name), ...LABELS_OF_OURS },
  };
}

export function workload(context: ChildContext, cluster: Cluster, inputs: WorkloadInputs): k8s.apps.v1.Deployment {
  const { description, part } = inputs;
  const { spec } = podOf(context, cluster, inputs);
  const labels = podLabels(context, description.name);
  return new k8s.apps.v1.Deployment(
    child(context, part),
    {
      metadata: workloadMetadata(context, cluster, inputs),
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        strategy:
          inputs.strategy === "Recreate"
            ? { type: "Recreate" }
            : { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
        template: { metadata: { labels }, spec },
      },
    },
    { ...cluster.opts, dependsOn: inputs.dependsOn },
  );
}

/** Failed runs of a scheduled job retried before the job counts as failed (and shows so in `kubectl get jobs`). */
const JOB_RETRIES = 2;

/**
 * A description with a schedule, as a CronJob in UTC: its one-shot command at each time, one run at a
 * time, no probes (it is not a server). With `besides`, its pods go to the node of that component's
 * pod, whose ReadWriteOnce claims they mount too.
 */
export function scheduledJob(
  context: ChildContext,
  cluster: Cluster,
  inputs: PodInputs & { besides?: string },
): k8s.batch.v1.CronJob {
  const { description, part } = inputs;
  const schedule = description.schedule;
  if (!schedule) throw new Error(`${description.name} has no schedule`);
  const { spec } = podOf(context, cluster, inputs);
  const labels = podLabels(context, description.name);
  return new k8s.batch.v1.CronJob(
    child(context, part),
    {
      metadata: workloadMetadata(context, cluster, inputs),
      spec: {
        schedule: schedule.cron,
        timeZone: "Etc/UTC",
        concurrencyPolicy: "Forbid",
        // A run missed by more than an hour (the cluster was down) waits for the next time.
        startingDeadlineSeconds: 3600,
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          spec: {
            backoffLimit: JOB_RETRIES,
            template: {
              metadata: { labels },
              spec: {
                ...spec,
                restartPolicy: "Never",
                ...(inputs.besides
                  ? {
                      affinity: {
                        podAffinity: {
                          requiredDuringSchedulingIgnoredDuringExecution: [
                            {
                              labelSelector: { matchLabels: podLabels(context, inputs.besides) },
                              topologyKey: "kubernetes.io/hostname",
                            },
                          ],
                        },
                      },
                    }
                  : {}),
              },
            },
          },
        },
      },
    },
    cluster.opts,
  );
}

/** Prosody's own variables on this platform: where to look for a renewed certificate, and how often. */
export const prosodyPlatformEnvironment = (plan: DeploymentPlan): Record<string, string> => ({
  [PROSODY_VARIABLES.certificateWatch]: String(CERTIFICATE_WATCH_SECONDS),
  [PROSODY_VARIABLES.certificatesFolder]: plan.spec.paths.certificates,
});
