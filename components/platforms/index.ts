/**
 * Platform modules by name, each loaded only when a stack chooses it, so a
 * Docker user never loads the AWS or Kubernetes SDKs. `require` rather than
 * `await import`: loading stays synchronous, so the component builds every
 * child in its constructor (all of them show in a preview) and a bad spec
 * fails at construction.
 */
import type { DeploymentSpec } from "../../src/schema/deployment-spec";
import type { PlatformModule } from "./contract";
import type { ExistingResources } from "./existing";

type Platform = DeploymentSpec["platform"];

/** A platform module with the part of `existing` it takes. */
export interface LoadedPlatform {
  module: PlatformModule<unknown>;
  existing: (all: ExistingResources) => unknown;
}

export const PLATFORM_MODULES: Record<Platform, () => LoadedPlatform> = {
  docker: () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy, synchronous load (see above)
    const docker = require("./docker") as typeof import("./docker");
    return { module: docker.platform as PlatformModule<unknown>, existing: () => ({}) };
  },
  aws: () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy, synchronous load (see above)
    const aws = require("./aws") as typeof import("./aws");
    return { module: aws.platform as PlatformModule<unknown>, existing: (all) => all.aws ?? {} };
  },
  kubernetes: () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy, synchronous load (see above)
    const kubernetes = require("./kubernetes") as typeof import("./kubernetes");
    return { module: kubernetes.platform as PlatformModule<unknown>, existing: (all) => all.kubernetes ?? {} };
  },
};
