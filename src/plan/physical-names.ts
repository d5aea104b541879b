/**
 * The names a deployment's objects carry where people and tools see them
 * (`docker ps`, `kubectl get`, an ECS task family): the component's name, the
 * Pulumi stack and the part. Pure, so the CLI can name them without Pulumi.
 */
import { createHash } from "node:crypto";

/** Kubernetes names are at most this long. */
const CLUSTER_NAME_MAX = 63;

/** `${component}-${stack}-${part}`, the stack lower-cased with runs of other characters as "-". */
export function physicalNameFor(component: string, stack: string, part: string): string {
  return `${component}-${stack.toLowerCase().replace(/[^a-z0-9-]+/g, "-")}-${part}`;
}

/** The physical name within Kubernetes' 63 characters: a longer one is cut and ends in a digest of the whole. */
export function clusterNameFor(component: string, stack: string, part: string): string {
  const full = physicalNameFor(component, stack, part);
  if (full.length <= CLUSTER_NAME_MAX) return full;
  const digest = createHash("sha256").update(full).digest("hex").slice(0, 8);
  return `${full.slice(0, CLUSTER_NAME_MAX - digest.length - 1).replace(/-+$/, "")}-${digest}`;
}
