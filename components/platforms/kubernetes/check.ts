/** What the Kubernetes platform refuses up front, each refusal naming the field and the fix. */
import type { Problem } from "../../../common/problems";
import type { DeploymentPlan } from "../../../src/plan/types";
import type { PlatformContext } from "../contract";
import { clusterProblems } from "./cluster";
import {
  backupBucketNamed,
  noCoturn as noCoturnOn,
  refuseWhen,
  type Rule as SharedRule,
  yourDatabasePassword as yourDatabasePasswordOn,
} from "../rules";
import type { ExistingKubernetesResources } from "./existing";

type Context = PlatformContext<ExistingKubernetesResources>;
type Rule = SharedRule<ExistingKubernetesResources>;
const refuse = refuseWhen<ExistingKubernetesResources>;

const noCoturn = noCoturnOn<ExistingKubernetesResources>(
  "the Kubernetes platform does not run coturn (media relays need UDP port ranges a Service cannot give)",
);

const registry = refuse(
  (plan) => plan.spec.image.registry === undefined,
  () => ({
    field: "image.registry",
    message: "a cluster pulls images from a registry, and our image is built for this stack",
    fix: "set image.registry to a registry your machine can push to and the cluster can pull from, e.g. ghcr.io/example",
  }),
);

const issuer = refuse(
  (plan) => plan.spec.tls.mode === "cert-manager" && plan.spec.tls.certManager.issuer === undefined,
  () => ({
    field: "tls.certManager.issuer",
    message: 'tls.mode "cert-manager" needs the issuer that signs the certificate',
    fix: "name your ClusterIssuer (or an Issuer in kubernetes.namespace, with tls.certManager.kind: Issuer), e.g. letsencrypt-prod",
  }),
);

const inCluster = (plan: DeploymentPlan, { existing }: Context): boolean =>
  plan.storage.kind === "postgresql" && existing.database === undefined;

const cnpgPort = refuse(
  (plan, context) => inCluster(plan, context) && plan.spec.database.port !== 5432,
  (plan) => ({
    field: "database.port",
    value: JSON.stringify(plan.spec.database.port),
    message: "CloudNativePG's PostgreSQL listens on 5432 only",
    fix: "remove database.port, or give existing.kubernetes.database for a server of yours",
  }),
);

const yourDatabasePassword = yourDatabasePasswordOn<ExistingKubernetesResources>("kubernetes");

const s3Server = refuse(
  (plan) => plan.uploads?.bucket !== undefined && plan.spec.upload.s3.endpoint === undefined,
  () => ({
    field: "upload.s3.endpoint",
    message: 'uploads "s3" need an S3 server, and a cluster has none of its own',
    fix: "give the endpoint of an S3-compatible server (with secrets s3AccessKeyId and s3SecretAccessKey), or set uploads: volume",
  }),
);

/** An Ingress only helps when Prosody's links go through it and its controller may reach the pod. */
const ingress: Rule = ({ spec }) => {
  if (spec.kubernetes.ingress.className === undefined) return [];
  const problems: Problem[] = [];
  if (spec.http.externalUrl === undefined) {
    problems.push({
      field: "http.externalUrl",
      message:
        "kubernetes.ingress.className puts an Ingress in front of Prosody, but Prosody's links would still name port " +
        spec.ports.https,
      fix: `set http.externalUrl to the Ingress's URL, e.g. https://${spec.domain}/`,
    });
  }
  if (spec.kubernetes.privateHttpFrom.length === 0) {
    problems.push({
      field: "kubernetes.privateHttpFrom",
      value: "[]",
      message: "the NetworkPolicy would keep the ingress controller away from Prosody's private HTTP port",
      fix: "list the namespace your ingress controller runs in, e.g. [ingress-nginx]",
    });
  }
  return problems;
};

/** Records point at the load balancer's address; without one they need the nodes' addresses. */
const addresses: Rule = ({ spec }) => {
  const { service } = spec.kubernetes;
  if (spec.dns.provider === "none" || spec.dns.ipv4.length > 0 || spec.dns.ipv6.length > 0) return [];
  if (service.type === "NodePort") {
    return [
      {
        field: "dns.ipv4",
        value: "[]",
        message: `dns.provider "${spec.dns.provider}" publishes the host names, and a NodePort Service has no address of its own`,
        fix: 'list your nodes\' public addresses in dns.ipv4 (and dns.ipv6), or set kubernetes.service.type: "LoadBalancer"',
      },
    ];
  }
  if (!service.skipAwait) return [];
  return [
    {
      field: "kubernetes.service.skipAwait",
      value: "true",
      message: `dns.provider "${spec.dns.provider}" points the records at the load balancer's address, which is not waited for`,
      fix: "remove kubernetes.service.skipAwait, or give the addresses in dns.ipv4",
    },
  ];
};

/** Prometheus scrapes from its own pod: the metrics' network and the NetworkPolicy must let it in. */
const serviceMonitor: Rule = ({ spec }) => {
  if (!spec.kubernetes.monitoring.serviceMonitor) return [];
  const problems: Problem[] = [];
  if (spec.metricsAllowCidr.startsWith("127.") || spec.metricsAllowCidr.startsWith("::1/")) {
    problems.push({
      field: "metricsAllowCidr",
      value: JSON.stringify(spec.metricsAllowCidr),
      message: "kubernetes.monitoring.serviceMonitor has Prometheus scrape from its pod's address, which this refuses",
      fix: "set metricsAllowCidr to your cluster's pod network, e.g. 10.244.0.0/16",
    });
  }
  if (spec.kubernetes.privateHttpFrom.length === 0) {
    problems.push({
      field: "kubernetes.privateHttpFrom",
      value: "[]",
      message: "the NetworkPolicy would keep Prometheus away from Prosody's private HTTP port",
      fix: "list the namespace Prometheus runs in, e.g. [monitoring]",
    });
  }
  return problems;
};

const RULES: readonly Rule[] = [
  (plan, { providers }) => clusterProblems(plan, providers),
  noCoturn,
  registry,
  issuer,
  cnpgPort,
  yourDatabasePassword,
  s3Server,
  backupBucketNamed<ExistingKubernetesResources>("Kubernetes"),
  ingress,
  addresses,
  serviceMonitor,
];

export const checkKubernetesPlan: Rule = (plan, context) => RULES.flatMap((rule) => rule(plan, context));
