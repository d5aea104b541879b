import type { DeploymentPlan } from "../plan/types";
import { renderEnvironment } from "./environment-file";
import { grafanaDashboard } from "../monitoring/dashboard";
import { renderPrometheusRules } from "./prometheus-rules";
import { renderProsodyConfig } from "./prosody-config";
import { complianceText } from "./text";
import { renderZone } from "./zone";

export * from "./environment-file";
export * from "./lua";
export * from "./prometheus-rules";
export * from "./prosody-config";
export * from "./zone";
export { complianceText } from "./text";

/** Every text artifact of a plan, by the file name `prosody-stack render --out` writes it to. */
export function renderArtifacts(plan: DeploymentPlan): Record<string, string> {
  return {
    "prosody.cfg.lua": renderProsodyConfig(plan),
    "environment.txt": renderEnvironment(plan),
    "dns.zone": renderZone(plan),
    "compliance.txt": `${complianceText(plan.resolution)}\n`,
    "prometheus-rules.yml": renderPrometheusRules(plan),
    "grafana-dashboard.json": `${JSON.stringify(grafanaDashboard(), null, 2)}\n`,
  };
}
