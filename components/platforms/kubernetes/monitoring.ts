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
  if (serviceMonitor) {
    new k8s.apiextensions.CustomResource(
      child(context, "service-monitor"),
      {
        apiVersion: PROMETHEUS_OPERATOR_API,
        kind: "ServiceMonitor",
        metadata: { name: clusterName(name, "server"), namespace: cluster.namespace, labels },
        spec: {
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
        },
      },
      cluster.opts,
    );
  }
  if (prometheusRule) {
    new k8s.apiextensions.CustomResource(
      child(context, "prometheus-rule"),
      {
        apiVersion: PROMETHEUS_OPERATOR_API,
        kind: "PrometheusRule",
        metadata: { name: clusterName(name, "alerts"), namespace: cluster.namespace, labels },
        spec: { groups: prometheusRuleGroups(plan) },
      },
      cluster.opts,
    );
  }
}
