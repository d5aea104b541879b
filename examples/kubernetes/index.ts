/**
 * ProsodyStack inside a Kubernetes cluster that already exists: the
 * platform team's program owns the provider (its kubeconfig, its context,
 * server-side apply) and hands it to ProsodyStack, whose every child then
 * goes to that cluster and no other. The cluster already runs cert-manager
 * (with a ClusterIssuer), the CloudNativePG operator, an ingress controller
 * and Prometheus; our images go to the team's registry.
 *
 * Run it as a Pulumi program (`pulumi up` in this folder, with prosody-stack
 * and @pulumi/kubernetes installed). The project's tests type-check it
 * against the built package and run it under Pulumi's mocks.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ProsodyStack } from "@prosodystack/pulumi";

export = function cluster(): Record<string, pulumi.Output<unknown>> {
  const config = new pulumi.Config();
  const domain = config.get("domain") ?? "chat.example.com";
  const provider = new k8s.Provider("platform", {
    // The team's kubeconfig (a file path or its content), or the KUBECONFIG of whoever runs `pulumi up`.
    kubeconfig: config.get("kubeconfig"),
    context: config.get("context") ?? "platform-prod",
  });

  // The namespace is the team's, with its quotas and labels; ProsodyStack only puts things in it.
  const namespace = new k8s.core.v1.Namespace(
    "chat",
    {
      metadata: {
        name: "chat",
        labels: { team: "communications", "pod-security.kubernetes.io/enforce": "restricted" },
      },
    },
    { provider },
  );

  const chat = new ProsodyStack(
    "chat",
    {
      domain,
      platform: "kubernetes",
      tier: "community",
      admins: [`ops@${domain}`],
      storage: "postgresql",
      uploads: "volume",
      tls: { mode: "cert-manager", certManager: { issuer: "letsencrypt-prod", kind: "ClusterIssuer" } },
      http: { externalUrl: `https://${domain}/` },
      turn: { host: `turn.${domain}`, coturn: false },
      image: { registry: config.get("registry") ?? "registry.example.com/communications" },
      kubernetes: {
        namespace: "chat",
        createNamespace: false,
        storageClass: "fast-ssd",
        dataSize: "20Gi",
        ingress: { className: "traefik" },
        privateHttpFrom: ["traefik", "monitoring"],
        postgres: { instances: 2, size: "20Gi" },
      },
    },
    { providers: { kubernetes: provider }, dependsOn: [namespace] },
  );

  return {
    clientEndpoint: chat.clientEndpoint,
    loadBalancer: chat.loadBalancer,
    databaseHost: chat.databaseHost,
    dataVolume: chat.dataVolume,
    zoneFile: chat.zoneFile,
  };
};
