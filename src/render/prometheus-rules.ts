/**
 * The plan's alert rules (src/monitoring/alerts.ts) as a Prometheus rule file, which `promtool
 * check rules` accepts and `rule_files` loads; `prosody-stack render --out` writes it.
 */
import { stringify } from "yaml";
import { alertRules } from "../monitoring/alerts";
import type { DeploymentPlan } from "../plan/types";

/** The rule group's name: one group, evaluated at Prometheus's global interval. */
export const RULE_GROUP = "prosody";

export function renderPrometheusRules(plan: DeploymentPlan): string {
  const rules = alertRules(plan).map((rule) => ({
    alert: rule.alert,
    expr: rule.expr,
    for: rule.for,
    labels: { severity: rule.severity },
    annotations: { summary: rule.summary, description: rule.description },
  }));
  return `# Alert rules for the stack's Prosody server, rendered by prosody-stack from its plan.\n${stringify(
    { groups: [{ name: RULE_GROUP, rules }] },
    { lineWidth: 0 },
  )}`;
}
