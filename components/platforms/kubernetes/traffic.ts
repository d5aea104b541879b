/**
 * How traffic reaches the pods:
 * - a public Service (LoadBalancer or NodePort) per workload, carrying only
 *   the public listeners, with the client's own address kept
 *   (externalTrafficPolicy Local) unless the spec says otherwise;
 * - a ClusterIP Service for Prosody's private HTTP port;
 * - optionally an Ingress in front of that port for HTTPS, with the body
 *   size limit raised to the upload limit;
 * - a NetworkPolicy per workload: the public ports from anywhere, the
 *   private ones only from the namespaces the spec names.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ContainerDescription, ContainerPort } from "../../../src/containers/description";
import type { Endpoint } from "../../dns/contract";
import { type ChildContext, child } from "../../naming";
import { clusterName } from "./names";
import type { Cluster } from "./cluster";
import { portName } from "./pod";
import { podLabels } from "./workloads";

type Described = ContainerDescription<pulumi.Output<string>>;

const publicOf = (ports: readonly ContainerPort[]) => ports.filter((port) => port.publicPort !== undefined);
const privateOf = (ports: readonly ContainerPort[]) => ports.filter((port) => port.publicPort === undefined);

export interface PublicService {
  service: k8s.core.v1.Service;
  /** the address the cluster gave its load balancer (empty until it has one) */
  endpoint: pulumi.Output<Endpoint>;
}

/** The Service clients reach a workload's public listeners through. */
export function publicService(
  context: ChildContext,
  cluster: Cluster,
  description: Described,
  part: string,
): PublicService {
  const { name, plan } = context;
  const { service: choices } = plan.spec.kubernetes;
  const service = new k8s.core.v1.Service(
    child(context, `${part}-public`),
    {
      metadata: {
        name: clusterName(name, part),
        namespace: cluster.namespace,
        annotations: {
          ...choices.annotations,
          ...(choices.skipAwait ? { "pulumi.com/skipAwait": "true" } : {}),
        },
      },
      spec: {
        type: choices.type,
        externalTrafficPolicy: choices.externalTrafficPolicy,
        ...(choices.loadBalancerClass && choices.type === "LoadBalancer"
          ? { loadBalancerClass: choices.loadBalancerClass }
          : {}),
        selector: podLabels(context, description.name),
        ports: publicOf(description.ports).map((port) => ({
          name: portName(port.name),
          port: port.publicPort ?? port.port,
          targetPort: port.port,
          protocol: "TCP",
        })),
      },
    },
    cluster.opts,
  );
  const endpoint = service.status.apply((status): Endpoint => {
    const [first] = status?.loadBalancer?.ingress ?? [];
    return { ...(first?.ip ? { ip: first.ip } : {}), ...(first?.hostname ? { hostname: first.hostname } : {}) };
  });
  return { service, endpoint };
}

/** The private ports inside the cluster: an Ingress's backend, and metrics. */
export function privateService(context: ChildContext, cluster: Cluster, description: Described): k8s.core.v1.Service {
  return new k8s.core.v1.Service(
    child(context, "server-private"),
    {
      // Labelled (the public Services are not) so a ServiceMonitor finds this one alone.
      metadata: {
        name: clusterName(context.name, "server-private"),
        namespace: cluster.namespace,
        labels: podLabels(context, description.name),
      },
      spec: {
        type: "ClusterIP",
        selector: podLabels(context, description.name),
        ports: privateOf(description.ports).map((port) => ({
          name: portName(port.name),
          port: port.port,
          targetPort: port.port,
          protocol: "TCP",
        })),
      },
    },
    cluster.opts,
  );
}

/** ingress-nginx's limit on request bodies; other controllers take theirs from kubernetes.ingress.annotations. */
const BODY_SIZE = "nginx.ingress.kubernetes.io/proxy-body-size";

/** The Ingress for Prosody's HTTPS services, on the private HTTP port, with the stack's certificate. */
export function ingress(
  context: ChildContext,
  cluster: Cluster,
  backend: k8s.core.v1.Service,
  tlsSecretName: pulumi.Input<string>,
): k8s.networking.v1.Ingress | undefined {
  const { plan } = context;
  const { className, annotations } = plan.spec.kubernetes.ingress;
  if (className === undefined) return undefined;
  const hosts = [plan.spec.domain, ...(plan.uploads?.mode === "volume" ? [plan.uploads.host] : [])];
  const port = plan.spec.ports.http;
  return new k8s.networking.v1.Ingress(
    child(context, "ingress"),
    {
      metadata: {
        name: clusterName(context.name, "https"),
        namespace: cluster.namespace,
        annotations: { [BODY_SIZE]: String(plan.spec.upload.sizeLimit), ...annotations },
      },
      spec: {
        ingressClassName: className,
        tls: [{ hosts, secretName: tlsSecretName }],
        rules: hosts.map((host) => ({
          host,
          http: {
            paths: [
              {
                path: "/",
                pathType: "Prefix",
                backend: { service: { name: backend.metadata.name, port: { number: port } } },
              },
            ],
          },
        })),
      },
    },
    cluster.opts,
  );
}

/** Public ports from anywhere, private ones from the named namespaces only; everything else is refused. */
export function networkPolicy(
  context: ChildContext,
  cluster: Cluster,
  description: Described,
  part: string,
): k8s.networking.v1.NetworkPolicy {
  const { plan } = context;
  const ports = (list: readonly ContainerPort[]) => list.map((port) => ({ port: port.port, protocol: "TCP" }));
  const from = plan.spec.kubernetes.privateHttpFrom.map((namespace) => ({
    namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": namespace } },
  }));
  const inside = privateOf(description.ports);
  return new k8s.networking.v1.NetworkPolicy(
    child(context, `${part}-policy`),
    {
      metadata: { name: clusterName(context.name, part), namespace: cluster.namespace },
      spec: {
        podSelector: { matchLabels: podLabels(context, description.name) },
        policyTypes: ["Ingress"],
        ingress: [
          { ports: ports(publicOf(description.ports)) },
          ...(inside.length > 0 && from.length > 0 ? [{ ports: ports(inside), from }] : []),
        ],
      },
    },
    cluster.opts,
  );
}
