/**
 * Every platform's entry, one per row of the core's table
 * (src/catalog/platforms.ts): how to load its module, which part of `existing`
 * it takes, its mock-runtime stand-ins and its restore recipe. The rest of the
 * code iterates this table instead of naming platforms; a platform without
 * its entry does not compile.
 *
 * Modules load only when a stack chooses them, so a Docker user never loads
 * the AWS or Kubernetes SDKs. `require` rather than `await import`: loading
 * stays synchronous, so the component builds every child in its constructor
 * (all of them show in a preview) and a bad spec fails at construction.
 * Mocks and restore recipes import no SDK, so they load with the table.
 */
import type { Platform } from "../../src/catalog/platforms";
import type { ProviderMocks } from "../mock-runtime/fakes";
import { awsMocks } from "./aws/mocks";
import { awsRestoreSteps } from "./aws/restore";
import type { NoExisting, PlatformModule } from "./contract";
import { dockerMocks } from "./docker/mocks";
import { dockerRestoreSteps } from "./docker/restore";
import type { ExistingPart, ExistingResources } from "../existing";
import { checkExisting, parseExistingAwsConfig } from "./aws/existing";
import { checkExistingKubernetes, parseExistingKubernetesConfig } from "./kubernetes/existing";
import { kubernetesMocks } from "./kubernetes/mocks";
import { kubernetesRestoreSteps } from "./kubernetes/restore";
import type { RestoreRecipe } from "./restore";

/** A platform's part of `existing`: existing.<platform>, or nothing for a platform that takes none. */
export type ExistingOf<P extends Platform> = P extends keyof ExistingResources
  ? NonNullable<ExistingResources[P]>
  : NoExisting;

export interface PlatformEntry<P extends Platform = Platform> {
  /** the platform's module (index.ts of its folder), loaded on first use */
  load(): PlatformModule<ExistingOf<P>>;
  /** the caller's resources it takes, as existing.<platform>; none: it takes none */
  existing?: ExistingPart<ExistingOf<P>>;
  /** stand-ins for what its provider computes, under Pulumi's mock runtime */
  mocks: ProviderMocks;
  /** the commands that bring one of its stacks back from a backup */
  restore: RestoreRecipe;
}

export const PLATFORM_REGISTRY: { readonly [P in Platform]: PlatformEntry<P> } = {
  docker: {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy, synchronous load (see above)
    load: () => (require("./docker") as typeof import("./docker")).platform,
    mocks: dockerMocks,
    restore: dockerRestoreSteps,
  },
  aws: {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy, synchronous load (see above)
    load: () => (require("./aws") as typeof import("./aws")).platform,
    existing: { parseConfig: parseExistingAwsConfig, check: checkExisting },
    mocks: awsMocks,
    restore: awsRestoreSteps,
  },
  kubernetes: {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy, synchronous load (see above)
    load: () => (require("./kubernetes") as typeof import("./kubernetes")).platform,
    existing: { parseConfig: parseExistingKubernetesConfig, check: checkExistingKubernetes },
    mocks: kubernetesMocks,
    restore: kubernetesRestoreSteps,
  },
};

/** A platform's module with its part of `existing`, as the component uses them. */
export interface LoadedPlatform {
  module: PlatformModule<unknown>;
  existing: unknown;
}

export function loadPlatform(platform: Platform, existing: ExistingResources): LoadedPlatform {
  const entry: PlatformEntry = PLATFORM_REGISTRY[platform];
  const given = entry.existing ? (existing as Record<string, unknown>)[platform] : undefined;
  return { module: entry.load() as PlatformModule<unknown>, existing: given ?? {} };
}
