/**
 * Names of the objects other objects find by name (Services, claims, the
 * Certificate's Secret, the CloudNativePG cluster): physicalName, as on
 * Docker, kept within Kubernetes' 63 characters. A longer one is cut and ends
 * in a digest of the whole, so it stays the same from run to run.
 */
import { createHash } from "node:crypto";
import { physicalName } from "../../naming";

const MAX = 63;

export function clusterName(name: string, part: string): string {
  const full = physicalName(name, part);
  if (full.length <= MAX) return full;
  const digest = createHash("sha256").update(full).digest("hex").slice(0, 8);
  return `${full.slice(0, MAX - digest.length - 1).replace(/-+$/, "")}-${digest}`;
}
