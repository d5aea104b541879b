/**
 * An ECS task's container, as Fargate would start it, turned into the inputs
 * ReplayedContainer applies: its plain environment, each `secrets` entry
 * resolved the way ECS resolves it (Secrets Manager secret, JSON key, pinned
 * version) from the secret versions the run recorded, or, for a reference to
 * the current version, from whoever wrote it since (the renewer), its ports
 * and its health check. No volumes and no files: Fargate mounts none.
 */
import { strict as assert } from "node:assert";
import type { TestedRun } from "../../support/mock-stack";
import type { ContainerInputs } from "./docker-replay";

interface EcsContainer {
  environment: { name: string; value: string }[];
  secrets: { name: string; valueFrom: string }[];
  portMappings: { containerPort: number }[];
  /** none where ECS must not replace the task for it (the certificate renewer) */
  healthCheck?: { command: string[] };
}

/** The current value of a secret someone wrote after the stack (the renewer), if anyone did. */
export type CurrentSecret = (arn: string) => string | undefined;

/** `arn:json-key:version-stage:version-id` → the value that version holds under that key. */
function resolveSecret(run: TestedRun, valueFrom: string, current: CurrentSecret): string {
  const parts = valueFrom.split(":");
  const [jsonKey = "", , versionId = ""] = parts.slice(-3);
  const arn = parts.slice(0, -3).join(":");
  const secretName = arn.slice(arn.lastIndexOf(":") + 1);
  const version = run.resources.find((resource) => resource.name === `${secretName}-version`);
  assert.ok(version, `no secret version for ${valueFrom}`);
  // Unpinned: the current version, which is the stack's until someone else writes one.
  const text = (versionId === "" ? current(arn) : undefined) ?? String(version.clearInputs.secretString);
  return jsonKey === "" ? text : String((JSON.parse(text) as Record<string, unknown>)[jsonKey]);
}

export function ecsContainerInputs(
  run: TestedRun,
  taskName: string,
  current: CurrentSecret = () => undefined,
): ContainerInputs {
  const task = run.resources.find((resource) => resource.name === taskName);
  assert.ok(task, `the run has no ${taskName}`);
  const [container] = JSON.parse(String(task.clearInputs.containerDefinitions)) as EcsContainer[];
  assert.ok(container);
  return {
    envs: [
      ...container.environment.map(({ name, value }) => `${name}=${value}`),
      ...container.secrets.map(({ name, valueFrom }) => `${name}=${resolveSecret(run, valueFrom, current)}`),
    ],
    ports: container.portMappings.map(({ containerPort }) => ({ internal: containerPort, external: containerPort })),
    ...(container.healthCheck ? { healthcheck: { tests: container.healthCheck.command } } : {}),
  };
}
