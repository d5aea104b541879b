/**
 * Our two images: what each promises whoever runs it (the Prosody image's
 * user, files, variables and health command; the gateway's come from
 * gateway/src/contract.ts), and what to build for a plan. A build's tag is the
 * content hash of its files plus its build arguments, so an unchanged image is
 * never rebuilt or re-pushed, and any change gets a tag a platform can roll out.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import type { DeploymentPlan } from "../plan/types";

/** The `prosody` user of image/Dockerfile; the e2e suite checks the built image against it. */
export const PROSODY_USER = { uid: 100, gid: 102 } as const;
/** Where the image's entrypoint reads the configuration when it is mounted as a file. */
export const PROSODY_CONFIG_FILE = "/etc/prosody/prosody.cfg.lua";
/** The web client's settings; the image's page links to it (image/webclient/settings.js). */
export const WEB_CLIENT_SETTINGS_FILE = "/etc/prosody/webclient/settings.js";
/** image/prosody-entrypoint with "prepare": writes the files, checks the config and runs the storage step, then exits. */
export const PROSODY_PREPARE_COMMAND = ["/usr/local/bin/prosody-entrypoint", "prepare"] as const;
/** image/prosody-healthcheck: opens an XMPP stream on the client port and expects Prosody to answer. */
export const PROSODY_HEALTH_COMMAND = ["/usr/local/bin/prosody-healthcheck"] as const;

/** The variables the Prosody image reads (image/prosody-entrypoint and image/prosody-healthcheck document them). */
export const PROSODY_VARIABLES = {
  /** the client port the health command connects to */
  healthPort: "PROSODY_HEALTH_PORT",
  /** secret: "jid password" lines; the entrypoint creates each account that does not exist yet, and never resets one */
  adminAccounts: "PROSODY_ADMIN_ACCOUNTS",
  /** for platforms that cannot mount files: the entrypoint writes these to files before Prosody starts */
  configText: "PROSODY_CONFIG_TEXT",
  webClientSettings: "PROSODY_WEBCLIENT_TEXT",
  certificate: "PROSODY_TLS_CERTIFICATE",
  key: "PROSODY_TLS_KEY",
  fileStem: "PROSODY_TLS_NAME",
  certificatesFolder: "PROSODY_CERTIFICATES",
  /** seconds between looks at the certificates folder; when its files change, Prosody reloads them (SIGHUP) */
  certificateWatch: "PROSODY_CERTIFICATE_WATCH_SECONDS",
} as const;

/** Debian release whose packages give each Prosody version. */
export const BASE_IMAGES: Record<DeploymentPlan["spec"]["prosodyVersion"], string> = {
  "13": "debian:trixie-slim",
  "0.12": "debian:bookworm-slim",
};

/** The gateway's and the backup runner's Node.js (and the runner's tools) come from this Debian release, whatever the Prosody version. */
const HELPER_BASE_IMAGE = "debian:trixie-slim";
/** The gateway bundle `npm run build:gateway` writes (its Dockerfile copies it). */
export const GATEWAY_BUNDLE = join("dist", "gateway.js");
/** The backup runner's bundle `npm run build:backup` writes. */
export const BACKUP_BUNDLE = join("dist", "backup.js");

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

/** The package's own package.json: its version and the peer dependencies it works with. */
export const packageManifest = (): { version: string; peerDependencies?: Record<string, string> } =>
  JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as {
    version: string;
    peerDependencies?: Record<string, string>;
  };

export interface ImageBuild {
  /** the build context, relative to the working directory */
  context: string;
  buildArgs: Record<string, string>;
  /** repository and tag, without a registry */
  reference: string;
}

/** Prosody's build for a plan: pure, so tests and `plan` see the same tag the engine would. */
export function imageBuild(plan: DeploymentPlan, folder = join(packageRoot(), "image")): ImageBuild {
  const { spec } = plan;
  const pinned = rocksModules(plan)
    .map((module) => `mod_${module}=${spec.image.rocks[module] ?? ""}`)
    .join(" ");
  const buildArgs = { BASE_IMAGE: BASE_IMAGES[spec.prosodyVersion], ROCKS_MODULES: pinned };
  if (!existsSync(join(folder, WEB_CLIENT_ASSETS))) {
    throw new Error(
      `prosody-stack: the web client's files ${join(folder, WEB_CLIENT_ASSETS)} are missing. ` +
        `Fix: run \`npm run build:webclient\` in ${dirname(folder)}`,
    );
  }
  return contentTagged(folder, filesUnder(folder), buildArgs, spec.image.repository, spec.prosodyVersion);
}

/** Converse.js's files in the image's build context, which `npm run build:webclient` copies from npm. */
export const WEB_CLIENT_ASSETS = join("webclient", "converse");

/** Every file below `folder`, as sorted relative paths: what a build context holds. */
function filesUnder(folder: string, prefix = ""): string[] {
  return readdirSync(join(folder, prefix), { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory() ? filesUnder(folder, join(prefix, entry.name)) : [join(prefix, entry.name)],
    )
    .sort();
}

/** The upload gateway's build; it needs the bundle, which `npm run build` (and npm's prepare) writes. */
export function gatewayImageBuild(plan: DeploymentPlan, folder = join(packageRoot(), "gateway")): ImageBuild {
  if (!existsSync(join(folder, GATEWAY_BUNDLE))) {
    throw new Error(
      `prosody-stack: the upload gateway's bundle ${join(folder, GATEWAY_BUNDLE)} is missing. ` +
        `Fix: run \`npm run build:gateway\` in ${dirname(folder)}`,
    );
  }
  const buildArgs = { BASE_IMAGE: HELPER_BASE_IMAGE };
  return contentTagged(folder, ["Dockerfile", GATEWAY_BUNDLE], buildArgs, gatewayRepository(plan), "gateway");
}

/** The backup runner's build; it needs the bundle, which `npm run build` (and npm's prepare) writes. */
export function backupImageBuild(plan: DeploymentPlan, folder = join(packageRoot(), "backup")): ImageBuild {
  if (!existsSync(join(folder, BACKUP_BUNDLE))) {
    throw new Error(
      `prosody-stack: the backup runner's bundle ${join(folder, BACKUP_BUNDLE)} is missing. ` +
        `Fix: run \`npm run build:backup\` in ${dirname(folder)}`,
    );
  }
  const buildArgs = { BASE_IMAGE: HELPER_BASE_IMAGE };
  return contentTagged(
    folder,
    ["Dockerfile", BACKUP_BUNDLE],
    buildArgs,
    `${plan.spec.image.repository}-backup`,
    "backup",
  );
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
