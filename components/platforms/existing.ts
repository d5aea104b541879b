/**
 * Resources of the caller's that a platform uses instead of creating its own,
 * keyed by the platform (or estate) they belong to. Each platform parses and
 * checks its own part; this file only knows the keys.
 */
import { z } from "zod";
import { type Problem, ProblemError, problemsFromZod } from "../../common/problems";
import { type ExistingAwsResources, parseExistingAwsConfig } from "./aws/existing";
import { type ExistingKubernetesResources, parseExistingKubernetesConfig } from "./kubernetes/existing";

export interface ExistingResources {
  /** Your AWS estate: a VPC, an ECS cluster, a Route53 hosted zone, a PostgreSQL server (the aws platform; the route53 DNS provider reads hostedZoneId). */
  aws?: ExistingAwsResources;
  /** Your cluster's own: a PostgreSQL server (the kubernetes platform). */
  kubernetes?: ExistingKubernetesResources;
}

/** The keys, and the platform that uses each. */
export const EXISTING_USED_BY: Record<keyof ExistingResources, string> = { aws: "aws", kubernetes: "kubernetes" };

/** Fields that once sat at the top of `existing`, before it was keyed by platform. */
const MOVED_TO_AWS = ["vpc", "clusterArn", "hostedZoneId", "database"] as const;

const INVALID = "invalid stack config";

/** The `prosody:existing` stack config, every value a plain string. */
export function parseExistingConfig(value: unknown, prefix: string): ExistingResources {
  if (value === undefined) return {};
  const keys = z.strictObject({ aws: z.unknown().optional(), kubernetes: z.unknown().optional() }).safeParse(value);
  if (!keys.success) {
    const problems: Problem[] = problemsFromZod(keys.error, value, prefix).map((problem) => {
      const moved = MOVED_TO_AWS.find((key) => problem.field === `${prefix}${key}`);
      return moved === undefined
        ? problem
        : { ...problem, message: "moved: existing resources are keyed by platform", fix: `write it as aws.${moved}` };
    });
    throw new ProblemError(problems, INVALID);
  }
  const { aws, kubernetes } = keys.data;
  return {
    ...(aws === undefined ? {} : { aws: parseExistingAwsConfig(aws, `${prefix}aws.`) }),
    ...(kubernetes === undefined
      ? {}
      : { kubernetes: parseExistingKubernetesConfig(kubernetes, `${prefix}kubernetes.`) }),
  };
}

/**
 * Existing resources of another platform than the stack's: they would be ignored, so they are refused.
 * The one exception: the route53 DNS provider reads existing.aws.hostedZoneId on every platform.
 */
export function unusedExisting(existing: ExistingResources, platform: string, dnsProvider: string): Problem[] {
  const onlyTheZone =
    dnsProvider === "route53" && Object.keys(existing.aws ?? {}).every((field) => field === "hostedZoneId");
  return (Object.keys(EXISTING_USED_BY) as (keyof ExistingResources)[])
    .filter((key) => existing[key] !== undefined && EXISTING_USED_BY[key] !== platform)
    .filter((key) => !(key === "aws" && onlyTheZone))
    .map((key) => ({
      field: `existing.${key}`,
      message: `only the ${EXISTING_USED_BY[key]} platform uses these resources; the ${platform} platform would ignore them`,
      fix: `remove existing.${key}, or set platform: "${EXISTING_USED_BY[key]}"`,
    }));
}
