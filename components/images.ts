/**
 * Our images, built with docker-build: Prosody from `image/`, the upload
 * gateway from `gateway/`. Each tag is the content hash of the build (files
 * plus build arguments), so an unchanged image is never rebuilt or re-pushed,
 * and any change gets a new tag that a platform can roll out.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import * as dockerBuild from "@pulumi/docker-build";
import * as pulumi from "@pulumi/pulumi";
import type { DeploymentPlan } from "../src/plan/plan-deployment";
import { childName } from "./naming";

/** Debian release whose packages give each Prosody version. */
export const BASE_IMAGES: Record<DeploymentPlan["spec"]["prosodyVersion"], string> = {
  "13": "debian:trixie-slim",
  "0.12": "debian:bookworm-slim",
};

/** The `prosody` user of our image; the e2e suite checks the built image against it. */
export const IMAGE_USER = { uid: 100, gid: 102 } as const;
/** The user the upload gateway's image runs as (gateway/Dockerfile). */
export const GATEWAY_IMAGE_USER = { uid: 10001, gid: 10001 } as const;
/** The gateway's Node.js comes from this Debian release whatever the Prosody version. */
const GATEWAY_BASE_IMAGE = "debian:trixie-slim";
/** How the gateway image runs the gateway (its ENTRYPOINT); add "--health" for the health check. */
export const GATEWAY_COMMAND = ["node", "/opt/upload-gateway/gateway.js"] as const;
/** How every platform asks our Prosody image whether the server is healthy. */
export const PROSODY_HEALTHCHECK = ["CMD", "/usr/local/bin/prosody-healthcheck"] as const;
/**
 * What our image's entrypoint writes to files before Prosody starts, for
 * platforms that cannot mount files (image/prosody-entrypoint documents them).
 */
export const ENTRYPOINT_VARIABLES = {
  configText: "PROSODY_CONFIG_TEXT",
  certificate: "PROSODY_TLS_CERTIFICATE",
  key: "PROSODY_TLS_KEY",
  fileStem: "PROSODY_TLS_NAME",
  certificatesFolder: "PROSODY_CERTIFICATES",
} as const;
/** The gateway bundle `npm run build:gateway` writes (its Dockerfile copies it). */
export const GATEWAY_BUNDLE = join("dist", "gateway.js");

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
  /** the build context, relative to the working directory */
  context: string;
  buildArgs: Record<string, string>;
  /** repository and tag, without a registry */
  reference: string;
}

/** What to build for a plan: pure, so tests and `plan` see the same tag the engine would. */
export function imageBuild(plan: DeploymentPlan, folder = join(packageRoot(), "image")): ImageBuild {
  const { spec } = plan;
  const pinned = rocksModules(plan)
    .map((module) => `mod_${module}=${spec.image.rocks[module] ?? ""}`)
    .join(" ");
  const buildArgs = { BASE_IMAGE: BASE_IMAGES[spec.prosodyVersion], ROCKS_MODULES: pinned };
  const files = readdirSync(folder).sort();
  return contentTagged(folder, files, buildArgs, spec.image.repository, spec.prosodyVersion);
}

/** The upload gateway's build; it needs the bundle, which `npm run build` (and npm's prepare) writes. */
export function gatewayImageBuild(plan: DeploymentPlan, folder = join(packageRoot(), "gateway")): ImageBuild {
  if (!existsSync(join(folder, GATEWAY_BUNDLE))) {
    throw new Error(
      `prosody-stack: the upload gateway's bundle ${join(folder, GATEWAY_BUNDLE)} is missing. ` +
        `Fix: run \`npm run build:gateway\` in ${dirname(folder)}`,
    );
  }
  const buildArgs = { BASE_IMAGE: GATEWAY_BASE_IMAGE };
  return contentTagged(folder, ["Dockerfile", GATEWAY_BUNDLE], buildArgs, gatewayRepository(plan), "gateway");
}

/** The gateway's repository sits beside Prosody's, in the same registry. */
export const gatewayRepository = (plan: DeploymentPlan): string => `${plan.spec.image.repository}-upload-gateway`;

function contentTagged(
  folder: string,
  files: readonly string[],
  buildArgs: Record<string, string>,
  repository: string,
  prefix: string,
): ImageBuild {
  // Relative to the project (Pulumi runs programs there), so state does not change from machine to machine.
  const context = relative(process.cwd(), folder) || ".";
  const hash = createHash("sha256");
  for (const file of files) {
    hash
      .update(`${file}\0`)
      .update(readFileSync(join(folder, file)))
      .update("\0");
  }
  hash.update(JSON.stringify(buildArgs));
  return { context, buildArgs, reference: `${repository}:${prefix}-${hash.digest("hex").slice(0, 12)}` };
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
  /** the full repository to push to (a platform's own, e.g. ECR); overrides the spec's image.registry */
  repository?: pulumi.Input<string>;
  /** credentials for pushing to that repository's registry */
  registries?: dockerBuild.types.input.RegistryArgs[];
  /** platforms to build for, e.g. linux/amd64 where the cloud runs x86 whatever the builder is */
  platforms?: dockerBuild.Platform[];
}

/** Builds one of our images: Prosody's by default, or the given build as the child `${name}-${part}`. */
export function buildImage(
  name: string,
  parent: pulumi.Resource,
  plan: DeploymentPlan,
  options: ImageOptions,
  build: ImageBuild = imageBuild(plan),
  part = "image",
): dockerBuild.Image {
  const [repositoryPath, tagPart] = build.reference.split(":") as [string, string];
  const registry = plan.spec.image.registry;
  const repository =
    options.repository ?? (registry === undefined ? undefined : pulumi.interpolate`${registry}/${repositoryPath}`);
  const tag = repository === undefined ? build.reference : pulumi.interpolate`${repository}:${tagPart}`;
  const cache = repository === undefined ? undefined : pulumi.interpolate`${repository}:cache`;
  return new dockerBuild.Image(
    childName(name, part),
    {
      context: { location: build.context },
      dockerfile: { location: join(build.context, "Dockerfile") },
      buildArgs: build.buildArgs,
      tags: [tag],
      push: repository !== undefined,
      load: options.load,
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
    { parent },
  );
}
