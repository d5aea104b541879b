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
import { PROSODY_VARIABLES } from "../../../src/containers/images";
import type { DeploymentPlan } from "../../../src/plan/plan-deployment";
import { type ChildContext, child } from "../../naming";
import { clusterName } from "./names";
import { secretValue, type StackSecrets } from "../../stack-secrets";
import type { Cluster } from "./cluster";
import { configFiles, configKey, podParts, type Value } from "./pod";

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

export interface WorkloadInputs {
  description: ContainerDescription<Value>;
  /** the child-name part of the workload and its objects */
  part: string;
  image: pulumi.Input<string>;
  secrets: StackSecrets;
  tlsSecretName: pulumi.Input<string>;
  claims: Partial<Record<ContainerDescription["volumes"][number]["name"], pulumi.Input<string>>>;
  resources: { cpu: string; memory: string };
  scratch: readonly string[];
  /** variables of this platform's own, beyond the description's */
  environment?: Record<string, string>;
  /** "Recreate" for a server that must never run twice, "RollingUpdate" for a stateless one */
  strategy: "Recreate" | "RollingUpdate";
  dependsOn: pulumi.Resource[];
}

export function workload(context: ChildContext, cluster: Cluster, inputs: WorkloadInputs): k8s.apps.v1.Deployment {
  const { name, plan } = context;
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
  const pod = podParts(described, {
    image: inputs.image,
    ...(envSecret ? { secretName: envSecret.metadata.name } : {}),
    ...(configMap ? { configMapName: configMap.metadata.name } : {}),
    tlsSecretName: inputs.tlsSecretName,
    claims: inputs.claims,
    resources: inputs.resources,
    scratch: inputs.scratch,
  });
  const labels = podLabels(context, description.name);
  const { imagePullSecrets } = plan.spec.kubernetes;
  return new k8s.apps.v1.Deployment(
    child(context, part),
    {
      metadata: {
        name: clusterName(name, part),
        namespace: cluster.namespace,
        labels: { ...labels, ...LABELS_OF_OURS },
      },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        strategy:
          inputs.strategy === "Recreate"
            ? { type: "Recreate" }
            : { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: pod.securityContext,
            terminationGracePeriodSeconds: GRACE_SECONDS,
            ...(imagePullSecrets.length > 0
              ? { imagePullSecrets: imagePullSecrets.map((secret) => ({ name: secret })) }
              : {}),
            ...(pod.initContainers.length > 0 ? { initContainers: pod.initContainers } : {}),
            containers: [pod.container],
            volumes: pod.volumes,
          },
        },
      },
    },
    { ...cluster.opts, dependsOn: inputs.dependsOn },
  );
}

/** Prosody's own variables on this platform: where to look for a renewed certificate, and how often. */
export const prosodyPlatformEnvironment = (plan: DeploymentPlan): Record<string, string> => ({
  [PROSODY_VARIABLES.certificateWatch]: String(CERTIFICATE_WATCH_SECONDS),
  [PROSODY_VARIABLES.certificatesFolder]: plan.spec.paths.certificates,
});
