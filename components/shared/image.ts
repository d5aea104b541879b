/**
 * The Prosody image, built from `image/` with docker-build. Its tag is the
 * content hash of the build (files plus build arguments), so an unchanged
 * image is never rebuilt or re-pushed, and any change gets a new tag that a
 * platform can roll out.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import * as dockerBuild from "@pulumi/docker-build";
import * as pulumi from "@pulumi/pulumi";
import type { DeploymentPlan } from "../../src/plan/deployment";
import { childName } from "./names";

/** Debian release whose packages give each Prosody version. */
export const BASE_IMAGES: Record<DeploymentPlan["spec"]["prosodyVersion"], string> = {
  "13": "debian:trixie-slim",
  "0.12": "debian:bookworm-slim",
};

/** The `prosody` user of our image; the e2e suite checks the built image against it. */
export const IMAGE_USER = { uid: 100, gid: 102 } as const;

/** Folder of the package's own files (`image/` sits at its root), from source or from dist/. */
export function packageRoot(from = __dirname): string {
  let folder = from;
  while (!existsSync(join(folder, "package.json")) || !existsSync(join(folder, "image", "Dockerfile"))) {
    const parent = dirname(folder);
    if (parent === folder) throw new Error(`prosody-stack: cannot find image/Dockerfile above ${from}`);
    folder = parent;
  }
  return folder;
}

export interface ImageBuild {
  context: string;
  buildArgs: Record<string, string>;
  /** repository and tag, without a registry */
  reference: string;
}

/** What to build for a plan: pure, so tests and `plan` see the same tag the engine would. */
export function imageBuild(plan: DeploymentPlan, folder = join(packageRoot(), "image")): ImageBuild {
  // Relative to the project (Pulumi runs programs there), so state does not change from machine to machine.
  const context = relative(process.cwd(), folder) || ".";
  const { spec } = plan;
  const pinned = rocksModules(plan)
    .map((module) => `mod_${module}=${spec.image.rocks[module] ?? ""}`)
    .join(" ");
  const buildArgs = { BASE_IMAGE: BASE_IMAGES[spec.prosodyVersion], ROCKS_MODULES: pinned };
  const hash = createHash("sha256");
  for (const file of readdirSync(folder).sort()) {
    hash
      .update(`${file}\0`)
      .update(readFileSync(join(folder, file)))
      .update("\0");
  }
  hash.update(JSON.stringify(buildArgs));
  const tag = `${spec.prosodyVersion}-${hash.digest("hex").slice(0, 12)}`;
  return { context, buildArgs, reference: `${spec.image.repository}:${tag}` };
}

/** Modules the image installs from the rocks server, sorted. */
export function rocksModules(plan: DeploymentPlan): string[] {
  const names = plan.resolution.sections
    .flatMap((section) => section.modules)
    .filter((module) => module.install === "rocks")
    .map((module) => module.name);
  return [...new Set(names)].sort();
}

export interface ImageOptions {
  /** load into the local Docker engine (the Docker platform runs it from there) */
  load: boolean;
  /** registry to push to; overrides the spec's image.registry (a platform's own registry) */
  registry?: pulumi.Input<string>;
}

export function buildImage(
  name: string,
  parent: pulumi.Resource,
  plan: DeploymentPlan,
  options: ImageOptions,
): dockerBuild.Image {
  const build = imageBuild(plan);
  const registry = options.registry ?? plan.spec.image.registry;
  const tag = registry === undefined ? build.reference : pulumi.interpolate`${registry}/${build.reference}`;
  const cache =
    registry === undefined ? undefined : pulumi.interpolate`${registry}/${plan.spec.image.repository}:cache`;
  return new dockerBuild.Image(
    childName(name, "image"),
    {
      context: { location: build.context },
      dockerfile: { location: join(build.context, "Dockerfile") },
      buildArgs: build.buildArgs,
      tags: [tag],
      push: registry !== undefined,
      load: options.load,
      // With a registry, keep the layer cache there so another machine's build reuses it.
      ...(cache === undefined
        ? {}
        : {
            cacheFrom: [{ registry: { ref: cache } }],
            cacheTo: [{ registry: { ref: cache, mode: dockerBuild.CacheMode.Max } }],
          }),
    },
    { parent },
  );
}
