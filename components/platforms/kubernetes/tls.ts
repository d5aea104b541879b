/**
 * The stack's certificate as the pods mount it: a `kubernetes.io/tls` Secret
 * holding tls.crt and tls.key. With tls.mode "cert-manager" a cert-manager
 * `Certificate` for exactly the plan's host names writes and renews that
 * Secret in place (Prosody's entrypoint notices and reloads). In every other
 * mode the component holds the pair (components/certificates) and writes the
 * Secret under a generated name, so a renewed pair is a new Secret and rolls
 * the pods.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { StackCertificate } from "../../certificates/contract";
import { type ChildContext, child } from "../../naming";
import { clusterName } from "./names";
import type { Cluster } from "./cluster";

export const CERT_MANAGER_API = "cert-manager.io/v1";

export interface ClusterCertificate {
  secretName: pulumi.Output<string>;
  /** what the pods must wait for */
  resource: pulumi.Resource;
  /** when the served certificate expires, where cert-manager reports it */
  expires?: pulumi.Output<string>;
}

export function clusterCertificate(
  context: ChildContext,
  cluster: Cluster,
  certificate: StackCertificate | undefined,
): ClusterCertificate {
  const { name, plan } = context;
  if (certificate) {
    const secret = new k8s.core.v1.Secret(
      child(context, "tls"),
      {
        metadata: { namespace: cluster.namespace },
        type: "kubernetes.io/tls",
        stringData: { "tls.crt": certificate.fullChainPem, "tls.key": certificate.privateKeyPem },
      },
      cluster.opts,
    );
    return { secretName: secret.metadata.name, resource: secret };
  }
  const { issuer, kind } = plan.spec.tls.certManager;
  if (issuer === undefined) throw new Error("tls.certManager.issuer is required (refused earlier)");
  const secretName = clusterName(name, "tls");
  const issued = new k8s.apiextensions.CustomResource(
    child(context, "certificate"),
    {
      apiVersion: CERT_MANAGER_API,
      kind: "Certificate",
      metadata: {
        name: clusterName(name, "certificate"),
        namespace: cluster.namespace,
        // Prosody starts with its certificate, never before it exists.
        annotations: { "pulumi.com/waitFor": "condition=Ready" },
      },
      spec: {
        secretName,
        commonName: plan.spec.domain,
        dnsNames: plan.certificateNames,
        issuerRef: { name: issuer, kind, group: "cert-manager.io" },
        privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
        // Server authentication only: Let's Encrypt no longer issues client authentication, and
        // Google Trust Services refuses a request for it. Federation falls back to dialback.
        usages: ["digital signature", "key encipherment", "server auth"],
      },
      // Named among the arguments so the resource has it as an output (cert-manager fills it in).
      status: undefined,
    },
    cluster.opts,
  );
  const { status } = issued as unknown as { status: pulumi.Output<{ notAfter?: string } | undefined> };
  return {
    secretName: pulumi.output(issued.metadata).apply(() => secretName),
    resource: issued,
    expires: status.apply((known) => known?.notAfter ?? "unknown until cert-manager has issued it"),
  };
}
