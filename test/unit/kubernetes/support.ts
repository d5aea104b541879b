/**
 * What the Kubernetes platform's tests share: the k8s stack, run once under
 * mocks, readers of its manifests, and an offline validator: every manifest
 * through the OpenAPI schema (kubernetes-models, and the cert-manager,
 * CloudNativePG and prometheus-operator models), plus the rules those schemas do not hold (DNS-1123
 * names, port ranges, port names, label syntax).
 */
import { strict as assert } from "node:assert";
import type { DeploymentPlan } from "../../../src/plan";
import { planDeployment } from "../../../src/plan";
import { type StackConfig, stackSpec } from "../../../src/schema/stack-file";
import { byName, runProgram, stackWith, type TestedResource, type TestedRun } from "../../support/mock-stack";

export const k8s = (values: Record<string, unknown> = {}, secretKeys: string[] = []): StackConfig =>
  stackWith("k8s", values, secretKeys);
export const planOf = (config: StackConfig): DeploymentPlan => planDeployment(stackSpec(config));
export const runK8s = (config: StackConfig): Promise<TestedRun> => runProgram(config, "k8s");

let k8sRun: Promise<TestedRun> | undefined;

/** In a describe: the k8s stack's plan and its run under mocks (one run for every file). */
export function k8sStack(): { plan: DeploymentPlan; run: TestedRun } {
  const stack = { plan: planOf(k8s()) } as { plan: DeploymentPlan; run: TestedRun };
  before(async () => {
    stack.run = await (k8sRun ??= runK8s(k8s()));
  });
  return stack;
}

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: Record<string, unknown>;
  [field: string]: unknown;
}

/** The manifest a resource sends the cluster: its inputs with secrets in the clear, and the name the provider gives. */
export const manifest = (run: TestedRun, name: string): Manifest =>
  byName(run, name).clearInputs as unknown as Manifest;

export const kubernetesResources = (run: TestedRun): TestedResource[] =>
  run.resources.filter((resource) => resource.type.startsWith("kubernetes:"));

// Pod spec shapes the tests read.
export interface Container {
  name: string;
  image: string;
  env: { name: string; value?: string; valueFrom?: { secretKeyRef: { name: string; key: string } } }[];
  ports: { name: string; containerPort: number }[];
  securityContext: Record<string, unknown>;
  volumeMounts: { name: string; mountPath: string; subPath?: string; readOnly?: boolean }[];
  resources: { requests: Record<string, string>; limits: Record<string, string> };
  startupProbe: { exec: { command: string[] }; failureThreshold: number; periodSeconds: number };
  readinessProbe: { exec: { command: string[] } };
  livenessProbe: { exec: { command: string[] } };
}
export interface PodSpec {
  automountServiceAccountToken: boolean;
  securityContext: Record<string, unknown>;
  terminationGracePeriodSeconds: number;
  containers: Container[];
  volumes: {
    name: string;
    persistentVolumeClaim?: { claimName: string };
    secret?: { secretName: string; items: { key: string; path: string; mode: number }[] };
    configMap?: { name: string };
    emptyDir?: Record<string, unknown>;
  }[];
}

export function podSpec(run: TestedRun, deployment: string): PodSpec {
  const spec = manifest(run, deployment).spec as { template: { spec: PodSpec } };
  return spec.template.spec;
}

export function onlyContainer(pod: PodSpec): Container {
  const [container, ...others] = pod.containers;
  assert.ok(container);
  assert.equal(others.length, 0);
  return container;
}

/** Each kind's model class: its module and export name. */
const MODELS: Record<string, [string, string]> = {
  "v1/Namespace": ["kubernetes-models/v1", "Namespace"],
  "v1/ConfigMap": ["kubernetes-models/v1", "ConfigMap"],
  "v1/Secret": ["kubernetes-models/v1", "Secret"],
  "v1/Service": ["kubernetes-models/v1", "Service"],
  "v1/PersistentVolumeClaim": ["kubernetes-models/v1", "PersistentVolumeClaim"],
  "apps/v1/Deployment": ["kubernetes-models/apps/v1", "Deployment"],
  "batch/v1/CronJob": ["kubernetes-models/batch/v1", "CronJob"],
  "networking.k8s.io/v1/NetworkPolicy": ["kubernetes-models/networking.k8s.io/v1", "NetworkPolicy"],
  "networking.k8s.io/v1/Ingress": ["kubernetes-models/networking.k8s.io/v1", "Ingress"],
  "cert-manager.io/v1/Certificate": ["@kubernetes-models/cert-manager/cert-manager.io/v1", "Certificate"],
  "postgresql.cnpg.io/v1/Cluster": ["@kubernetes-models/cloudnative-pg/postgresql.cnpg.io/v1", "Cluster"],
  "monitoring.coreos.com/v1/ServiceMonitor": [
    "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1",
    "ServiceMonitor",
  ],
  "monitoring.coreos.com/v1/PrometheusRule": [
    "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1",
    "PrometheusRule",
  ],
};

const DNS_1123_LABEL = /^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_1123_SUBDOMAIN =
  /^(?=.{1,253}$)[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?)*$/;
/** IANA service names, as container and Service port names must be. */
const PORT_NAME = /^(?=.{1,15}$)(?=.*[a-z])[a-z0-9]+(?:-[a-z0-9]+)*$/;
const LABEL_VALUE = /^(?:(?:[A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;
const QUALIFIED = /^(?:[a-z0-9](?:[-a-z0-9.]{0,251}[a-z0-9])?\/)?[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/** Kinds whose names Kubernetes checks as DNS-1123 labels (the rest as subdomains). */
const LABEL_NAMED = new Set(["Namespace", "Service"]);

/** Problems with one manifest that the API server would refuse; an empty list when it would be accepted. */
export function manifestProblems(resource: TestedResource): string[] {
  const body = resource.clearInputs as unknown as Manifest;
  const key = `${body.apiVersion}/${body.kind}`;
  const model = MODELS[key];
  if (!model) return [`${resource.name}: no model for ${key}`];
  const problems: string[] = [];
  const [module, exported] = model;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- each model module on demand
  const Model = (require(module) as Record<string, new (data: unknown) => { validate(): void }>)[exported];
  assert.ok(Model, `${module} has no ${exported}`);
  const named = { ...body, metadata: { ...body.metadata, name: body.metadata.name ?? `${resource.name}-0a1b2c3d` } };
  try {
    new Model(named).validate();
  } catch (error) {
    problems.push(`${resource.name}: ${(error as Error).message}`);
  }
  const name = named.metadata.name ?? "";
  if (!(LABEL_NAMED.has(body.kind) ? DNS_1123_LABEL : DNS_1123_SUBDOMAIN).test(name)) {
    problems.push(`${resource.name}: name ${JSON.stringify(name)} is not DNS-1123`);
  }
  if (body.kind === "Service" && !/^[a-z]/.test(name))
    problems.push(`${resource.name}: a Service name starts with a letter`);
  const namespace = body.metadata.namespace;
  if (namespace !== undefined && !DNS_1123_LABEL.test(namespace))
    problems.push(`${resource.name}: namespace ${namespace}`);
  walk(body, (path, value, parent) => {
    const last = path[path.length - 1];
    if (
      (last === "port" || last === "containerPort" || last === "targetPort" || last === "nodePort") &&
      typeof value === "number"
    ) {
      if (!Number.isInteger(value) || value < 1 || value > 65535)
        problems.push(`${resource.name}: ${path.join(".")} = ${value}`);
    }
    if (
      last === "name" &&
      typeof value === "string" &&
      parent &&
      ("containerPort" in parent || ("port" in parent && "targetPort" in parent))
    ) {
      if (!PORT_NAME.test(value)) problems.push(`${resource.name}: port name ${value}`);
    }
    if ((last === "labels" || last === "matchLabels") && typeof value === "object" && value !== null) {
      for (const [label, text] of Object.entries(value)) {
        if (!QUALIFIED.test(label) || !LABEL_VALUE.test(String(text)))
          problems.push(`${resource.name}: label ${label}=${String(text)}`);
      }
    }
    if (last === "annotations" && typeof value === "object" && value !== null) {
      for (const annotation of Object.keys(value)) {
        if (!QUALIFIED.test(annotation)) problems.push(`${resource.name}: annotation ${annotation}`);
      }
    }
  });
  return problems;
}

function walk(
  value: unknown,
  visit: (path: string[], value: unknown, parent?: Record<string, unknown>) => void,
  path: string[] = [],
  parent?: Record<string, unknown>,
): void {
  visit(path, value, parent);
  if (Array.isArray(value)) value.forEach((entry, index) => walk(entry, visit, [...path, String(index)], parent));
  else if (typeof value === "object" && value !== null) {
    const table = value as Record<string, unknown>;
    for (const [key, entry] of Object.entries(table)) walk(entry, visit, [...path, key], table);
  }
}
