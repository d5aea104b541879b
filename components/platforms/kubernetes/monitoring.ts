/**
 * Prometheus through prometheus-operator, each opt-in (kubernetes.monitoring): a ServiceMonitor on
 * the private Service's HTTP port, relabelled to the job the alert rules select, and a
 * PrometheusRule with the stack's alert rules (src/monitoring/alerts.ts, the same rules
 * `prosody-stack render` writes). The operator's CRDs are the caller's, as cert-manager's are.
 */
import * as k8s from "@pulumi/kubernetes";
import { SCRAPE_JOBS } from "../../../src/monitoring/alerts";
import { prometheusRuleGroups } from "../../../src/render/prometheus-rules";
import { type ChildContext, child } from "../../naming";
import type { Cluster } from "./cluster";
import { clusterName } from "./names";
import { portName } from "./pod";

export const PROMETHEUS_OPERATOR_API = "monitoring.coreos.com/v1";
/** How often Prometheus reads the metrics; Prosody gathers them when asked (statistics "internal"). */
const SCRAPE_INTERVAL = "30s";

export function monitoring(context: ChildContext, cluster: Cluster, metricsService: k8s.core.v1.Service): void {
  const { name, plan } = context;
  const { serviceMonitor, prometheusRule, labels } = plan.spec.kubernetes.monitoring;
  const operatorResource = (part: string, kind: string, objectName: string, spec: Record<string, unknown>) =>
    new k8s.apiextensions.CustomResource(
      child(context, part),
      {
        apiVersion: PROMETHEUS_OPERATOR_API,
        kind,
        metadata: { name: clusterName(name, objectName), namespace: cluster.namespace, labels },
        spec,
      },
      cluster.opts,
    );
  if (serviceMonitor) {
    operatorResource("service-monitor", "ServiceMonitor", "server", {
      selector: { matchLabels: metricsService.metadata.labels },
      namespaceSelector: { matchNames: [cluster.namespace] },
      endpoints: [
        {
          port: portName("http"),
          path: "/metrics",
          interval: SCRAPE_INTERVAL,
          // The operator names the job after the Service; the rules select the job "prosody".
          relabelings: [{ action: "replace", targetLabel: "job", replacement: SCRAPE_JOBS.prosody }],
        },
      ],
    });
  }
  if (prometheusRule) {
    operatorResource("prometheus-rule", "PrometheusRule", "alerts", { groups: prometheusRuleGroups(plan) });
  }
}
