/**
 * Each platform reads its own section of the spec (docker, aws, kubernetes).
 * A section of another platform set to anything but its defaults would be
 * silently ignored, so it is refused, naming the field.
 */
import type { Problem } from "../../common/problems";
import { type Platform, PLATFORMS } from "../catalog/platforms";
import { type DeploymentSpec, deploymentSpecSchema } from "./deployment-spec";

/** The leaf paths where `value` differs from `fallback`. */
function differences(value: unknown, fallback: unknown, path: string): string[] {
  const isTable = (entry: unknown): entry is Record<string, unknown> =>
    typeof entry === "object" && entry !== null && !Array.isArray(entry);
  if (isTable(value) && isTable(fallback) && Object.keys(fallback).length > 0) {
    const keys = [...new Set([...Object.keys(value), ...Object.keys(fallback)])];
    return keys.flatMap((key) => differences(value[key], fallback[key], `${path}.${key}`));
  }
  return JSON.stringify(value) === JSON.stringify(fallback) ? [] : [path];
}

export function foreignPlatformFields(spec: DeploymentSpec): Problem[] {
  return PLATFORMS.filter((platform): platform is Platform => platform !== spec.platform).flatMap((platform) => {
    const fallback = deploymentSpecSchema.shape[platform].parse(undefined);
    return differences(spec[platform], fallback, platform).map((field) => ({
      field,
      message: `only the ${platform} platform reads this, and this stack runs on ${spec.platform}`,
      fix: `remove ${field}, or set platform: "${platform}"`,
    }));
  });
}
