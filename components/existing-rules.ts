/**
 * Reading and checking `existing`: its keys are those of the platforms and DNS
 * providers whose table entries take a part of it (components/existing.ts).
 * A key whose reader the stack does not use would be silently ignored, so it
 * is refused; a renamed key is refused with its new name.
 */
import { type Problem, ProblemError, problemsFromZod } from "../common/problems";
import { type Platform, PLATFORMS } from "../src/catalog/platforms";
import type { DeploymentPlan } from "../src/plan/types";
import { EXISTING_KEY } from "../src/schema/pulumi-config";
import { renamedFieldProblems } from "../src/schema/renamed-fields";
import { DNS_PROVIDERS, type DnsProviderName } from "./dns";
import type { ExistingPart, ExistingResources } from "./existing";
import { PLATFORM_REGISTRY } from "./platforms/registry";
import { z } from "zod";

interface Reader {
  /** e.g. "the aws platform" */
  who: string;
  /** how a spec makes this reader the stack's */
  choice: string;
  used(plan: DeploymentPlan): boolean;
  part: ExistingPart<unknown>;
}

/** Every key of `existing`, with its reader: each platform's, then each DNS provider's. */
function readers(): Map<string, Reader> {
  const found = new Map<string, Reader>();
  for (const platform of PLATFORMS) {
    const part = PLATFORM_REGISTRY[platform].existing as ExistingPart<unknown> | undefined;
    if (!part) continue;
    found.set(platform, {
      who: `the ${platform} platform`,
      choice: `platform: "${platform}"`,
      used: (plan) => plan.spec.platform === (platform as Platform),
      part,
    });
  }
  for (const [provider, entry] of Object.entries(DNS_PROVIDERS) as [
    DnsProviderName,
    (typeof DNS_PROVIDERS)[DnsProviderName],
  ][]) {
    if (!entry?.existing) continue;
    found.set(provider, {
      who: `the ${provider} DNS provider`,
      choice: `dns.provider: "${provider}"`,
      used: (plan) => plan.spec.dns.provider === provider,
      part: entry.existing,
    });
  }
  return found;
}

const INVALID = "invalid stack config";

/** The `existing` stack config, every value a plain string; `namespace` (e.g. "prosody:") names it in problems. */
export function parseExistingConfig(value: unknown, namespace: string): ExistingResources {
  if (value === undefined) return {};
  const renamed = renamedFieldProblems({ existing: value }, namespace);
  if (renamed.length > 0) throw new ProblemError(renamed, INVALID);
  const prefix = `${namespace}${EXISTING_KEY}.`;
  const parts = readers();
  const keys = z
    .strictObject(Object.fromEntries([...parts.keys()].map((key) => [key, z.unknown().optional()])))
    .safeParse(value);
  if (!keys.success) throw new ProblemError(problemsFromZod(keys.error, value, prefix), INVALID);
  return Object.fromEntries(
    Object.entries(keys.data)
      .filter(([, part]) => part !== undefined)
      .map(([key, part]) => [key, parts.get(key)?.part.parseConfig(part, `${prefix}${key}.`)]),
  ) as ExistingResources;
}

/**
 * What is wrong with the caller's existing resources for this plan: a renamed field, a part whose
 * reader the stack does not use (it would be ignored), a plain value that cannot be one.
 */
export function existingProblems(existing: ExistingResources, plan: DeploymentPlan): Problem[] {
  const renamed = renamedFieldProblems({ existing });
  if (renamed.length > 0) return renamed;
  const parts = readers();
  return Object.entries(existing).flatMap(([key, given]): Problem[] => {
    if (given === undefined) return [];
    const reader = parts.get(key);
    if (!reader) {
      return [
        {
          field: `existing.${key}`,
          message: "nothing reads resources under this key",
          fix: `remove it; the keys are ${[...parts.keys()].join(", ")}`,
        },
      ];
    }
    if (!reader.used(plan)) {
      return [
        {
          field: `existing.${key}`,
          message: `only ${reader.who} uses these resources, and this stack does not use it`,
          fix: `remove existing.${key}, or set ${reader.choice}`,
        },
      ];
    }
    return reader.part.check(given);
  });
}
