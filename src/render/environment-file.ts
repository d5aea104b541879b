/**
 * The environment the Prosody container needs: names and purposes, never
 * values. Secrets come from the platform's secret store; the config reads them
 * through Prosody's ENV_<NAME> globals.
 */
import type { DeploymentPlan } from "../plan/types";

export function renderEnvironment(plan: DeploymentPlan): string {
  const lines = ["# Environment variables the Prosody container reads (names only; the platform supplies values)."];
  if (plan.environment.length === 0) lines.push("# none: this plan needs no secrets");
  for (const variable of plan.environment) {
    lines.push(`${variable.name}\t# ${variable.secret ? "secret: " : ""}${variable.purpose}`);
  }
  return `${lines.join("\n")}\n`;
}
