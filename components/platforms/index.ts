/**
 * Platform modules by name, each loaded only when a stack chooses it, so a
 * Docker user never loads the AWS or Kubernetes SDKs. `require` rather than
 * `await import`: loading stays synchronous, so the component builds every
 * child in its constructor (all of them show in a preview) and a bad spec
 * fails at construction.
 */
import type { PLATFORMS } from "../../src/schema/deployment-spec";
import type { Platform, PlatformSupport } from "./contract";

export interface PlatformModule {
  deploy: Platform;
  support: PlatformSupport;
}

/** undefined: the platform is planned but not built yet. */
export const PLATFORM_MODULES: Record<(typeof PLATFORMS)[number], (() => PlatformModule) | undefined> = {
  docker: () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy, synchronous load (see above)
    const docker = require("./docker") as typeof import("./docker");
    return { deploy: docker.deployDocker, support: docker.support };
  },
  aws: () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy, synchronous load (see above)
    const aws = require("./aws") as typeof import("./aws");
    return { deploy: aws.deployAws, support: aws.support };
  },
  kubernetes: undefined,
};
