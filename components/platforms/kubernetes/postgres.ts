/**
 * PostgreSQL in the cluster: a CloudNativePG `Cluster` (the operator is the
 * caller's, like cert-manager), bootstrapped with the stack's database, role
 * and generated password, and waited on until Ready so that Prosody's first
 * start finds it. Or the caller's own server (existing.kubernetes.database).
 * CloudNativePG listens on 5432 only, so another database.port is refused.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { type ChildContext, child } from "../../naming";
import { clusterName } from "./names";
import type { Cluster } from "./cluster";
import type { ExistingKubernetesResources } from "./existing";

export const CNPG_API = "postgresql.cnpg.io/v1";

/** The database's address, and what Prosody's pod must wait for. */
export interface Database {
  host: pulumi.Output<string>;
  resource?: pulumi.Resource;
}

export function database(
  context: ChildContext,
  cluster: Cluster,
  password: pulumi.Output<string> | undefined,
  existing: ExistingKubernetesResources,
): Database | undefined {
  const { name, plan } = context;
  if (plan.storage.kind !== "postgresql") return undefined;
  if (existing.database) return { host: pulumi.output(existing.database.host) };
  if (!password) throw new Error("PostgreSQL in the cluster needs the stack's database password");
  const { spec } = plan;
  const protect = spec.protectData;
  const credentials = new k8s.core.v1.Secret(
    child(context, "postgres-credentials"),
    {
      metadata: { name: clusterName(name, "postgres-credentials"), namespace: cluster.namespace },
      type: "kubernetes.io/basic-auth",
      stringData: { username: spec.database.user, password },
    },
    cluster.opts,
  );
  const postgresName = clusterName(name, "postgres");
  const postgres = new k8s.apiextensions.CustomResource(
    child(context, "postgres"),
    {
      apiVersion: CNPG_API,
      kind: "Cluster",
      metadata: {
        name: postgresName,
        namespace: cluster.namespace,
        annotations: { "pulumi.com/waitFor": "condition=Ready" },
      },
      spec: {
        instances: spec.kubernetes.postgres.instances,
        storage: {
          size: spec.kubernetes.postgres.size,
          ...(spec.kubernetes.storageClass ? { storageClass: spec.kubernetes.storageClass } : {}),
        },
        bootstrap: {
          initdb: {
            database: spec.database.name,
            owner: spec.database.user,
            secret: { name: credentials.metadata.name },
          },
        },
      },
    },
    // It holds every account and message: protected like the data volume, and left in the cluster by `pulumi destroy`.
    { ...cluster.opts, protect, retainOnDelete: true },
  );
  return { host: pulumi.interpolate`${postgresName}-rw.${cluster.namespace}.svc`, resource: postgres };
}
