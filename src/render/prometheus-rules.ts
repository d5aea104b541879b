/**
 * The plan's alert rules (src/monitoring/alerts.ts) in Prometheus's rule-group shape: as a rule file,
 * which `promtool check rules` accepts and `rule_files` loads (`prosody-stack render --out` writes
 * it), and as the groups of the Kubernetes platform's PrometheusRule.
 */
import { stringify } from "yaml";
import { alertRules } from "../monitoring/alerts";
import type { DeploymentPlan } from "../plan/types";

/** One group, evaluated at Prometheus's global interval. */
export function prometheusRuleGroups(plan: DeploymentPlan) {
  const rules = alertRules(plan).map((rule) => ({
    alert: rule.alert,
    expr: rule.expr,
    for: rule.for,
    labels: { severity: rule.severity },
    annotations: { summary: rule.summary, description: rule.description },
  }));
  return [{ name: "prosody", rules }];
}

export function renderPrometheusRules(plan: DeploymentPlan): string {
  return `# Alert rules for the stack's Prosody server, rendered by prosody-stack from its plan.\n${stringify(
    { groups: prometheusRuleGroups(plan) },
    { lineWidth: 0 },
  )}`;
}
