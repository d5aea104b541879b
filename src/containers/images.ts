/**
 * What each of our images is built from, for a plan: its folder in the
 * package, the files whose content tags it, its build arguments and its
 * repository. Pure: the files are read, and the content tag taken, by the
 * Pulumi layer (components/image-builds.ts), which hands each container
 * description its build as an input. What the images promise at run time is
 * in their contracts (image/contract.ts, gateway/src/contract.ts,
 * backup/src/contract.ts).
 */
import type { DeploymentPlan } from "../plan/types";
import type { ContainerName, ImageBuild } from "./description";

/** A file the build context must hold that a build step of the package makes. */
export interface MadeFile {
  /** relative to the image's folder */
  path: string;
  what: string;
  /** the npm script that makes it */
  script: string;
}

export interface ImageSource {
  /** the build context: a folder at the package's root */
  folder: "image" | "gateway" | "backup" | "renewer" | "watchdog";
  /** the files whose content makes the tag; undefined: every file the build context sends */
  files?: readonly string[];
  /** files a build step makes, which must exist before the content is hashed */
  made: readonly MadeFile[];
  buildArgs: Record<string, string>;
  repository: string;
  /** the tag is this, a dash and 12 hex digits of the content hash */
  tagPrefix: string;
}

/** Debian release whose packages give each Prosody version. */
export const BASE_IMAGES: Record<DeploymentPlan["spec"]["prosodyVersion"], string> = {
  "13": "debian:trixie-slim",
  "0.12": "debian:bookworm-slim",
};

/** The gateway's and the backup runner's Node.js (and the runner's tools) come from this Debian release, whatever the Prosody version. */
const HELPER_BASE_IMAGE = "debian:trixie-slim";

/** The gateway's repository sits beside Prosody's, in the same registry. */
export const gatewayRepository = (plan: DeploymentPlan): string => `${plan.spec.image.repository}-upload-gateway`;

/** Modules the image installs from the rocks server, sorted. */
export function rocksModules(plan: DeploymentPlan): string[] {
  const names = plan.resolution.sections
    .flatMap((section) => section.modules)
    .filter((module) => module.install === "rocks")
    .map((module) => module.name);
  return [...new Set(names)].sort();
}

/** The build argument that carries the period of an image's packages; each Dockerfile declares it before its packages. */
export const PACKAGES_PERIOD_ARGUMENT = "PACKAGES_AS_OF";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The period an image's packages are from, as its tag says it: the ISO week ("2026w50") or the month
 * ("2026m12") of `date` in UTC; none when the images are rebuilt only for their own files ("never").
 */
export function packagesPeriod(refresh: DeploymentPlan["spec"]["image"]["refresh"], date: Date): string | undefined {
  if (refresh === "never") return undefined;
  if (refresh === "monthly") return `${date.getUTCFullYear()}m${String(date.getUTCMonth() + 1).padStart(2, "0")}`;
  // ISO 8601: weeks start on Monday, and week 1 holds the year's first Thursday.
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const weekday = day.getUTCDay() || 7;
  day.setUTCDate(day.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((day.getTime() - yearStart) / DAY_MS + 1) / 7);
  return `${day.getUTCFullYear()}w${String(week).padStart(2, "0")}`;
}

/** The date whose period the images are built for: image.hold when set, else `now`. */
export const packagesDate = (plan: DeploymentPlan, now: Date): Date =>
  plan.spec.image.hold === undefined ? now : new Date(`${plan.spec.image.hold}T00:00:00Z`);

/** Each container's image source. */
export const IMAGE_SOURCES: Record<ContainerName, (plan: DeploymentPlan) => ImageSource> = {
  prosody: (plan) => {
    const { spec } = plan;
    const pinned = rocksModules(plan)
      .map((module) => `mod_${module}=${spec.image.rocks[module] ?? ""}`)
      .join(" ");
    return {
      folder: "image",
      made: [{ path: "webclient/converse", what: "the web client's files", script: "build:webclient" }],
      buildArgs: { BASE_IMAGE: BASE_IMAGES[spec.prosodyVersion], ROCKS_MODULES: pinned },
      repository: spec.image.repository,
      tagPrefix: spec.prosodyVersion,
    };
  },
  "upload-gateway": (plan) => ({
    folder: "gateway",
    files: ["Dockerfile", "dist/gateway.js"],
    made: [{ path: "dist/gateway.js", what: "the upload gateway's bundle", script: "build:gateway" }],
    buildArgs: { BASE_IMAGE: HELPER_BASE_IMAGE },
    repository: gatewayRepository(plan),
    tagPrefix: "gateway",
  }),
  renewer: (plan) => ({
    folder: "renewer",
    files: ["Dockerfile", "dist/renewer.js"],
    made: [{ path: "dist/renewer.js", what: "the certificate renewer's bundle", script: "build:renewer" }],
    buildArgs: { BASE_IMAGE: HELPER_BASE_IMAGE },
    repository: `${plan.spec.image.repository}-renewer`,
    tagPrefix: "renewer",
  }),
  backup: (plan) => ({
    folder: "backup",
    files: ["Dockerfile", "dist/backup.js"],
    made: [{ path: "dist/backup.js", what: "the backup runner's bundle", script: "build:backup" }],
    buildArgs: { BASE_IMAGE: HELPER_BASE_IMAGE },
    repository: `${plan.spec.image.repository}-backup`,
    tagPrefix: "backup",
  }),
  watchdog: (plan) => ({
    folder: "watchdog",
    files: ["Dockerfile", "entrypoint", "dist/watchdog.js"],
    made: [{ path: "dist/watchdog.js", what: "the watchdog's bundle", script: "build:watchdog" }],
    buildArgs: { BASE_IMAGE: HELPER_BASE_IMAGE },
    repository: `${plan.spec.image.repository}-watchdog`,
    tagPrefix: "watchdog",
  }),
};

/** The containers a plan runs, each with the image it needs. */
export function containersOf(plan: DeploymentPlan): ContainerName[] {
  return [
    "prosody" as const,
    ...(plan.uploads?.gateway ? ["upload-gateway" as const] : []),
    ...(plan.backup ? ["backup" as const] : []),
    ...(plan.certificate.source === "renewer" ? ["renewer" as const] : []),
    ...(plan.watchdog ? ["watchdog" as const] : []),
  ];
}

/** The builds of a plan's images, by container; the gateway's and the runner's only where the plan runs them. */
export type StackImages = { prosody: ImageBuild } & Partial<Record<Exclude<ContainerName, "prosody">, ImageBuild>>;

/** The build of one container's image, which the plan runs. */
export function imageFor(images: StackImages, name: ContainerName): ImageBuild {
  const build = images[name];
  if (!build) throw new Error(`the plan runs no ${name} container, so it has no image`);
  return build;
}
