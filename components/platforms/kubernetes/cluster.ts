/**
 * The caller's cluster and the namespace the stack lives in. Every child
 * goes through one explicit provider: the caller's (opts.providers.kubernetes)
 * or one of the component's own for kubernetes.context. Never the ambient
 * kubeconfig's default provider, which would deploy to whatever cluster the
 * shell happens to point at.
 */
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { Problem } from "../../../common/problems";
import type { DeploymentPlan } from "../../../src/plan/types";
import { type ChildContext, child } from "../../naming";

/** What every child of the platform is created with. */
export interface Cluster {
  /** parent and provider */
  opts: pulumi.CustomResourceOptions;
  /** the namespace's name; an output of the Namespace when the stack creates it, so children wait for it */
  namespace: pulumi.Input<string>;
}

const callerProvider = (providers: readonly pulumi.ProviderResource[]): k8s.Provider | undefined =>
  providers.find((provider): provider is k8s.Provider => k8s.Provider.isInstance(provider));

/** Which cluster: exactly one of the caller's provider and kubernetes.context. */
export function clusterProblems(plan: DeploymentPlan, providers: readonly pulumi.ProviderResource[]): Problem[] {
  const { context } = plan.spec.kubernetes;
  const given = callerProvider(providers) !== undefined;
  if (given && context !== undefined) {
    return [
      {
        field: "kubernetes.context",
        value: JSON.stringify(context),
        message:
          "the component was also given a Kubernetes provider (opts.providers.kubernetes); it would not know which cluster you mean",
        fix: "remove kubernetes.context, or stop passing the provider",
      },
    ];
  }
  if (given || context !== undefined) return [];
  return [
    {
      field: "kubernetes.context",
      message:
        "no cluster was named, and ProsodyStack never deploys to whatever cluster the ambient kubeconfig points at",
      fix: "set kubernetes.context to a context of your kubeconfig (`kubectl config get-contexts`), or pass a Kubernetes provider in opts.providers.kubernetes",
    },
  ];
}

/** Labels Kubernetes' Pod Security admission reads: the namespace admits only pods of the restricted profile. */
const RESTRICTED = {
  "pod-security.kubernetes.io/enforce": "restricted",
  "pod-security.kubernetes.io/enforce-version": "latest",
};

export function cluster(context: ChildContext, providers: readonly pulumi.ProviderResource[]): Cluster {
  const { parent, plan } = context;
  const { kubernetes } = plan.spec;
  const provider =
    callerProvider(providers) ??
    new k8s.Provider(child(context, "cluster"), { context: kubernetes.context }, { parent });
  const opts = { parent, provider };
  if (!kubernetes.createNamespace) return { opts, namespace: kubernetes.namespace };
  const namespace = new k8s.core.v1.Namespace(
    child(context, "namespace"),
    { metadata: { name: kubernetes.namespace, labels: RESTRICTED } },
    // Deleting a namespace deletes every claim in it: `pulumi destroy` leaves it, and the data, to you.
    { ...opts, retainOnDelete: true },
  );
  return { opts, namespace: namespace.metadata.name };
}
