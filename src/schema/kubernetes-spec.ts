/**
 * The `kubernetes` section of the spec: where in the caller's cluster the
 * server goes and how it is exposed, each with a default that fits a small
 * cluster with a default storage class and a LoadBalancer implementation.
 * Names follow Kubernetes' own rules (DNS-1123), which the API server would
 * otherwise refuse halfway through a `pulumi up`.
 */
import { z } from "zod";
import { rule } from "../../common/problems";

const LABEL = "[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?";

/** A DNS-1123 label: a namespace, a Service, a Secret's name part. */
export const dnsLabel = z.string().regex(new RegExp(`^${LABEL}$`), {
  error: rule("not a Kubernetes name", "use 1 to 63 lower-case letters, digits and '-', e.g. prosody"),
});

/** A DNS-1123 subdomain: storage classes, ingress classes, issuers, image pull secrets. */
export const dnsSubdomain = z.string().regex(new RegExp(`^(?=.{1,253}$)${LABEL}(?:\\.${LABEL})*$`), {
  error: rule("not a Kubernetes object name", "use lower-case letters, digits, '-' and '.', e.g. letsencrypt-prod"),
});

const quantity = (example: string) =>
  z.string().regex(/^[1-9][0-9]{0,8}(?:\.[0-9]{1,3})?(?:m|Ki|Mi|Gi|Ti)?$/, {
    error: rule("not a Kubernetes quantity", `write a number with m, Ki, Mi, Gi or Ti, e.g. "${example}"`),
  });

/** Annotation keys as Kubernetes accepts them: an optional DNS prefix, then a name of 63 characters at most. */
const annotations = z
  .record(
    z.string().regex(/^(?:[a-z0-9](?:[-a-z0-9.]{0,251}[a-z0-9])?\/)?[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/, {
      error: rule(
        "not an annotation key",
        "write prefix/name or name, e.g. service.beta.kubernetes.io/aws-load-balancer-type",
      ),
    }),
    z.string().regex(/^[^\p{C}]{0,4096}$/u, {
      error: rule("not an annotation value", "write up to 4096 characters without control characters"),
    }),
  )
  .default({});

/** Labels as Kubernetes accepts them: keys like annotations', values of 63 characters at most. */
const labels = z
  .record(
    z.string().regex(/^(?:[a-z0-9](?:[-a-z0-9.]{0,251}[a-z0-9])?\/)?[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/, {
      error: rule("not a label key", "write prefix/name or name, e.g. release"),
    }),
    z.string().regex(/^(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/, {
      error: rule("not a label value", "write up to 63 letters, digits, '-', '_' and '.', e.g. kube-prometheus-stack"),
    }),
  )
  .default({});

const resources = (cpu: string, memory: string) =>
  z
    .strictObject({
      cpu: quantity("250m").default(cpu).meta({
        description: "CPU the container is guaranteed (its request); it may use more when the node has it.",
        defaultText: `"250m" for the server, "100m" for the gateway`,
      }),
      memory: quantity("512Mi").default(memory).meta({
        description: "Memory the container requests and may not exceed (its request and limit).",
        defaultText: `"512Mi" for the server, "256Mi" for the gateway`,
      }),
    })
    .prefault({});

export const kubernetesSpecSchema = z
  .strictObject({
    context: z
      .string()
      .regex(/^[^\p{C}\s]{1,253}$/u, {
        error: rule(
          "not a kubeconfig context name",
          'write the name `kubectl config get-contexts` shows, e.g. "prod-eu"',
        ),
      })
      .optional()
      .meta({
        description:
          "The kubeconfig context the component deploys to through a provider of its own; a program of yours passes its provider in opts.providers.kubernetes instead.",
        defaultText: "none: opts.providers.kubernetes is required",
      }),
    namespace: dnsLabel.default("prosody").meta({
      description: "Namespace every namespaced child goes to.",
    }),
    createNamespace: z.boolean().default(true).meta({
      description: "Create the namespace; false when it exists already (yours, with its own quotas and policies).",
    }),
    storageClass: dnsSubdomain.optional().meta({
      description: "Storage class of the data and uploads volumes.",
      defaultText: "the cluster's default storage class",
    }),
    dataSize: quantity("10Gi").default("10Gi").meta({
      description: "Size of the data volume (SQLite, archives, uploads on the volume).",
    }),
    uploadsSize: quantity("20Gi").default("20Gi").meta({
      description: 'Size of the uploads volume, with uploads "volume".',
    }),
    backupsSize: quantity("20Gi").default("20Gi").meta({
      description: 'Size of the backups volume, with backup.destination "volume".',
    }),
    service: z
      .strictObject({
        type: z.enum(["LoadBalancer", "NodePort"]).default("LoadBalancer").meta({
          description:
            'How the public listeners are exposed: "LoadBalancer" (the cluster gives an address) or "NodePort" (every node\'s address; name them in dns.ipv4).',
        }),
        loadBalancerClass: dnsSubdomain.optional().meta({
          description: "The load balancer implementation to use, when the cluster has several.",
          defaultText: "the cluster's default",
        }),
        externalTrafficPolicy: z.enum(["Local", "Cluster"]).default("Local").meta({
          description:
            '"Local" keeps each client\'s own address (Prosody\'s limits and logs see it); "Cluster" spreads traffic over every node.',
        }),
        annotations: annotations.meta({
          description: "Annotations of the public Services, e.g. a cloud's load balancer settings.",
          defaultText: "none",
        }),
        skipAwait: z.boolean().default(false).meta({
          description:
            "Do not wait for the load balancer's address (clusters without one, e.g. kind); DNS records then cannot point at it.",
        }),
      })
      .prefault({})
      .meta({ description: "The public Services of Prosody and the upload gateway." }),
    ingress: z
      .strictObject({
        className: dnsSubdomain.optional().meta({
          description:
            "Ingress class of an Ingress for Prosody's HTTPS services (BOSH, WebSocket, host-meta, uploads); none without it.",
          defaultText: "none: HTTPS goes through the public Service on ports.https",
        }),
        annotations: annotations.meta({
          description: "More annotations of the Ingress (your controller's own settings).",
          defaultText: "none",
        }),
      })
      .prefault({})
      .meta({ description: "An Ingress in front of Prosody's HTTP services." }),
    privateHttpFrom: z.array(dnsLabel).default([]).meta({
      description:
        "Namespaces whose pods may reach Prosody's private HTTP port (your ingress controller's, Prometheus'); nothing else may.",
      defaultText: "none",
    }),
    server: resources("250m", "512Mi").meta({
      description: "The Prosody container's resources.",
      defaultText: '"250m", "512Mi"',
    }),
    gateway: resources("100m", "256Mi").meta({
      description: "The upload gateway container's resources.",
      defaultText: '"100m", "256Mi"',
    }),
    backup: resources("100m", "256Mi").meta({
      description: "The backup runner's resources, with backup.enabled.",
      defaultText: '"100m", "256Mi"',
    }),
    watchdog: resources("50m", "128Mi").meta({
      description: "The watchdog's resources, with alerts.watchdog.enabled.",
      defaultText: '"50m", "128Mi"',
    }),
    postgres: z
      .strictObject({
        instances: z.number().int().min(1).max(9).default(1).meta({
          description: "PostgreSQL instances of the CloudNativePG cluster (more than one: streaming replicas).",
        }),
        size: quantity("10Gi").default("10Gi").meta({
          description: "Volume size of each PostgreSQL instance.",
        }),
      })
      .prefault({})
      .meta({
        description:
          'With storage "postgresql" and no existing.kubernetes.database: a CloudNativePG Cluster (the operator must be installed).',
      }),
    monitoring: z
      .strictObject({
        serviceMonitor: z.boolean().default(false).meta({
          description:
            'A ServiceMonitor (prometheus-operator, whose CRDs must be installed) scraping Prosody\'s /metrics on the private HTTP port as the job "prosody" the alert rules select.',
        }),
        prometheusRule: z.boolean().default(false).meta({
          description:
            "A PrometheusRule with the stack's alert rules (the rules `prosody-stack render` writes as prometheus-rules.yml).",
        }),
        labels: labels.meta({
          description:
            "Labels of both, for your Prometheus's serviceMonitorSelector and ruleSelector, e.g. release: kube-prometheus-stack.",
          defaultText: "none",
        }),
      })
      .prefault({})
      .meta({ description: "Prometheus through prometheus-operator's resources, each opt-in." }),
    imagePullSecrets: z.array(dnsSubdomain).default([]).meta({
      description: "Secrets in the namespace the kubelet pulls our images from image.registry with.",
      defaultText: "none (a public registry, or nodes that may pull)",
    }),
  })
  .prefault({});
