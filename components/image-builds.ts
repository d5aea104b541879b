/**
 * The builds of a plan's images: each source (src/containers/images.ts) read
 * from the package's folders and tagged with the period of its packages (the
 * week or month, image.refresh) and the content hash of its files and build
 * arguments, so an unchanged image is never rebuilt or re-pushed within a
 * period, the first build of a new period takes in Debian's updates, and any
 * change gets a tag a platform can roll out. Computed once by the component
 * and handed to the platform, which gives each container description its build.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { ContainerName, ImageBuild } from "../src/containers/description";
import {
  containersOf,
  IMAGE_SOURCES,
  type ImageSource,
  PACKAGES_PERIOD_ARGUMENT,
  packagesDate,
  packagesPeriod,
  type StackImages,
} from "../src/containers/images";
import type { DeploymentPlan } from "../src/plan/types";
import { packageRoot } from "./package-files";

/** Lists the files of a folder its build context leaves out (exact paths, one per line, # for comments). */
const IGNORE_FILE = ".dockerignore";

function ignoredIn(folder: string): Set<string> {
  const file = join(folder, IGNORE_FILE);
  if (!existsSync(file)) return new Set();
  const entries = readFileSync(file, "utf8")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
  const pattern = entries.find((entry) => /[*?[\]!]/.test(entry));
  if (pattern !== undefined) throw new Error(`${file}: "${pattern}" is a pattern; list exact paths only`);
  return new Set([IGNORE_FILE, ...entries]);
}

/** Every file below `folder` its build context sends, as sorted relative paths. */
function contextFiles(folder: string): string[] {
  const ignored = ignoredIn(folder);
  const under = (prefix: string): string[] =>
    readdirSync(join(folder, prefix), { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? under(join(prefix, entry.name)) : [join(prefix, entry.name)],
    );
  return under("")
    .filter((file) => !ignored.has(file))
    .sort();
}

/**
 * The time builds are made for: SOURCE_DATE_EPOCH (seconds, the reproducible-builds convention; the
 * golden files and tests fix it) or now.
 */
export function buildTime(environment: NodeJS.ProcessEnv = process.env): Date {
  const epoch = environment.SOURCE_DATE_EPOCH;
  if (epoch === undefined || epoch === "") return new Date();
  if (!/^\d+$/.test(epoch)) throw new Error(`SOURCE_DATE_EPOCH must be whole seconds since 1970, not "${epoch}"`);
  return new Date(Number(epoch) * 1000);
}

/** One source's build, read from the package's folder of that name under `root`; `period` names its packages' week or month. */
export function imageBuild(source: ImageSource, root = packageRoot(), period?: string): ImageBuild {
  const folder = join(root, source.folder);
  for (const made of source.made) {
    if (!existsSync(join(folder, made.path))) {
      throw new Error(
        `prosody-stack: ${join(folder, made.path)} is missing (${made.what}). Fix: run \`npm run ${made.script}\` in ${root}`,
      );
    }
  }
  const hash = createHash("sha256");
  for (const file of source.files ?? contextFiles(folder)) {
    hash
      .update(`${file}\0`)
      .update(readFileSync(join(folder, file)))
      .update("\0");
  }
  const buildArgs =
    period === undefined ? source.buildArgs : { ...source.buildArgs, [PACKAGES_PERIOD_ARGUMENT]: period };
  hash.update(JSON.stringify(buildArgs));
  const prefix = period === undefined ? source.tagPrefix : `${source.tagPrefix}-${period}`;
  return {
    // Relative to the project (Pulumi runs programs there), so state does not change from machine to machine.
    context: relative(process.cwd(), folder) || ".",
    buildArgs,
    reference: `${source.repository}:${prefix}-${hash.digest("hex").slice(0, 12)}`,
  };
}

/** The build of every image the plan's containers run, for the packages of `now`'s period (or image.hold's). */
export function stackImages(plan: DeploymentPlan, root = packageRoot(), now = buildTime()): StackImages {
  const period = packagesPeriod(plan.spec.image.refresh, packagesDate(plan, now));
  const builds = new Map<ContainerName, ImageBuild>(
    containersOf(plan).map((name) => [name, imageBuild(IMAGE_SOURCES[name](plan), root, period)]),
  );
  const prosody = builds.get("prosody");
  if (!prosody) throw new Error("every plan runs Prosody");
  return { ...Object.fromEntries(builds), prosody };
}
