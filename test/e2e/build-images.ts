/**
 * Builds the suite's images (image/build.sh), by the rule the component builds them by: each gets
 * the reference a `pulumi up` of the dev stack would give it (components/image-builds.ts: the
 * content of its files and build arguments, and for Prosody this week's packages), and an image
 * already built under that reference is not built again. buildah takes most of a minute per image
 * even when every step is cached, so this keeps an unchanged suite from paying that on every run.
 * The Prosody image is built for the packages of SOURCE_DATE_EPOCH's week, as a `pulumi up` that
 * day would build it (image-updates.test.ts builds the next week's); the helpers for none.
 * Usage (test/e2e/run.sh): node -r ts-node/register/transpile-only test/e2e/build-images.ts
 */
import { execFileSync, spawnSync } from "node:child_process";
import { join } from "node:path";
import { buildTime, imageBuild } from "../../components/image-builds";
import { IMAGE_SOURCES, PACKAGES_PERIOD_ARGUMENT, packagesPeriod } from "../../src/containers/images";
import type { ContainerName } from "../../src/containers/description";
import { planDeployment } from "../../src/plan";
import { readStackConfig, stackSpec } from "../../src/schema/stack-file";
import { STORAGE } from "./harness/prosody";

const ROOT = join(__dirname, "..", "..");

/** The names the suite runs each image by (harness/prosody.ts and harness/docker-replay.ts). */
const SUITE_TAGS: Record<ContainerName, string> = {
  prosody: "prosody-stack/prosody:13",
  "upload-gateway": "prosody-stack/upload-gateway",
  backup: "prosody-stack/backup",
  renewer: "prosody-stack/renewer",
  watchdog: "prosody-stack/watchdog",
};

const plan = planDeployment(stackSpec(readStackConfig("dev", ROOT)));
const period = packagesPeriod("weekly", buildTime());
const exists = (reference: string) =>
  spawnSync("buildah", [...STORAGE, "inspect", "--type", "image", reference], { stdio: "ignore" }).status === 0;

for (const [name, suiteTag] of Object.entries(SUITE_TAGS) as [ContainerName, string][]) {
  const source = IMAGE_SOURCES[name](plan);
  const build = imageBuild(source, ROOT, name === "prosody" ? period : undefined);
  if (process.env.REBUILD_BASE !== "1" && exists(build.reference)) {
    console.error(`test:e2e: ${suiteTag} is ${build.reference}, built before`);
    execFileSync("buildah", [...STORAGE, "tag", build.reference, suiteTag]);
  } else {
    console.error(`test:e2e: building ${suiteTag} as ${build.reference}`);
    execFileSync(join(ROOT, "image", "build.sh"), [suiteTag, join(ROOT, source.folder)], {
      stdio: ["ignore", "ignore", "inherit"],
      env: {
        ...process.env,
        ROCKS_MODULES: build.buildArgs.ROCKS_MODULES ?? "",
        [PACKAGES_PERIOD_ARGUMENT]: build.buildArgs[PACKAGES_PERIOD_ARGUMENT] ?? "",
      },
    });
    execFileSync("buildah", [...STORAGE, "tag", suiteTag, build.reference]);
  }
}
