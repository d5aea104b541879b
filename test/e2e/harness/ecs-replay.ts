/**
 * An ECS task's container, as Fargate would start it, turned into the inputs
 * ReplayedContainer applies: its plain environment, each `secrets` entry
 * resolved the way ECS resolves it (Secrets Manager secret, JSON key, pinned
 * version) from the secret versions the run recorded, its ports and its
 * health check. No volumes and no files: Fargate mounts none.
 */
import { strict as assert } from "node:assert";
import type { TestedRun } from "../../support/mock-stack";
import type { ContainerInputs } from "./docker-replay";

interface EcsContainer {
  environment: { name: string; value: string }[];
  secrets: { name: string; valueFrom: string }[];
  portMappings: { containerPort: number }[];
  healthCheck: { command: string[] };
}

/** `arn:json-key:version-stage:version-id` → the value that version holds under that key. */
function resolveSecret(run: TestedRun, valueFrom: string): string {
  const parts = valueFrom.split(":");
  const [jsonKey = "", , versionId = ""] = parts.slice(-3);
  const arn = parts.slice(0, -3).join(":");
  const secretName = arn.slice(arn.lastIndexOf(":") + 1);
  const version = run.resources.find((resource) => resource.name === `${secretName}-version`);
  assert.ok(version, `no secret version for ${valueFrom}`);
  assert.ok(versionId.length > 0, `${valueFrom} is not pinned to a version`);
  const text = String(version.clearInputs.secretString);
  return jsonKey === "" ? text : String((JSON.parse(text) as Record<string, unknown>)[jsonKey]);
}

export function ecsContainerInputs(run: TestedRun, taskName: string): ContainerInputs {
  const task = run.resources.find((resource) => resource.name === taskName);
  assert.ok(task, `the run has no ${taskName}`);
  const [container] = JSON.parse(String(task.clearInputs.containerDefinitions)) as EcsContainer[];
  assert.ok(container);
  return {
    envs: [
      ...container.environment.map(({ name, value }) => `${name}=${value}`),
      ...container.secrets.map(({ name, valueFrom }) => `${name}=${resolveSecret(run, valueFrom)}`),
    ],
    ports: container.portMappings.map(({ containerPort }) => ({ internal: containerPort, external: containerPort })),
    healthcheck: { tests: container.healthCheck.command },
  };
}
