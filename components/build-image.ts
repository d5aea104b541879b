/**
 * Builds one of our images with docker-build, from the build a container
 * description names (src/containers/images.ts): loaded into the local engine,
 * pushed to the spec's registry, or pushed to a platform's own registry.
 */
import { join } from "node:path";
import * as dockerBuild from "@pulumi/docker-build";
import * as pulumi from "@pulumi/pulumi";
import type { ContainerName, ImageBuild } from "../src/containers/description";
import { type ChildContext, child } from "./naming";

/** Each container's image as a child: `${name}-<part>` (renaming one rebuilds and re-pushes it). */
export const IMAGE_PARTS: Record<ContainerName, string> = {
  prosody: "image",
  "upload-gateway": "gateway-image",
  backup: "backup-image",
  renewer: "renewer-image",
  watchdog: "watchdog-image",
};

export interface ImageOptions {
  /** load into the local Docker engine (the Docker platform runs it from there) */
  load: boolean;
  /** the full repository to push to (a platform's own, e.g. ECR); overrides the spec's image.registry */
  repository?: pulumi.Input<string>;
  /** credentials for pushing to that repository's registry */
  registries?: dockerBuild.types.input.RegistryArgs[];
  /** platforms to build for, e.g. linux/amd64 where the cloud runs x86 whatever the builder is */
  platforms?: dockerBuild.Platform[];
  /** the engine that builds it, when not the component's docker-build provider (or the default one) */
  provider?: dockerBuild.Provider;
}

/** Builds `build` as the child `${name}-${part}`. */
export function buildImage(
  context: ChildContext,
  build: ImageBuild,
  part: string,
  options: ImageOptions,
): dockerBuild.Image {
  const [repositoryPath, tagPart] = build.reference.split(":") as [string, string];
  const registry = context.plan.spec.image.registry;
  const repository =
    options.repository ?? (registry === undefined ? undefined : pulumi.interpolate`${registry}/${repositoryPath}`);
  const tag = repository === undefined ? build.reference : pulumi.interpolate`${repository}:${tagPart}`;
  const cache = repository === undefined ? undefined : pulumi.interpolate`${repository}:cache`;
  return new dockerBuild.Image(
    child(context, part),
    {
      context: { location: build.context },
      dockerfile: { location: join(build.context, "Dockerfile") },
      buildArgs: build.buildArgs,
      tags: [tag],
      push: repository !== undefined,
      load: options.load,
      // A new tag (a new week or month of packages) takes the base image's newest build as well.
      pull: true,
      ...(options.registries ? { registries: options.registries } : {}),
      ...(options.platforms ? { platforms: options.platforms } : {}),
      // With a repository, keep the layer cache there so another machine's build reuses it.
      ...(cache === undefined
        ? {}
        : {
            cacheFrom: [{ registry: { ref: cache } }],
            cacheTo: [{ registry: { ref: cache, mode: dockerBuild.CacheMode.Max } }],
          }),
    },
    { parent: context.parent, ...(options.provider ? { provider: options.provider } : {}) },
  );
}
