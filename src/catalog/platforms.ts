/**
 * The platforms a stack runs on, and what the pure core knows about each: one
 * row per platform. The schema takes its list of platforms from here, the plan
 * its defaults and capabilities, the component the SDK to ask for; nothing
 * else in the core names a platform. How a platform deploys is its folder
 * (components/platforms/<name>/), found through components/platforms/registry.ts.
 */

export interface PlatformFacts {
  /** how people write its name in prose */
  title: string;
  /** what the spec's `platform` doc says of it, after its name; none: nothing */
  note?: string;
  /** the Pulumi SDK its resources need (an optional peer dependency of the package) */
  sdk: string;
  /** where backups go when backup.destination is not set */
  backupDestination: "volume" | "s3";
  /** reaches its cloud's own services (S3, Route53) with an identity of its own (a task role), so they need no keys */
  cloudIdentity: boolean;
  /** runs an S3 server of its own next to the upload gateway when the spec asks (docker.minio) */
  s3Server: boolean;
  /** with tls.mode "acme", has the certificate renewer issue and renew it where the server runs, not Pulumi */
  renewsAcme: boolean;
}

const FACTS = {
  docker: {
    title: "Docker",
    note: "one machine",
    sdk: "@pulumi/docker",
    backupDestination: "volume",
    cloudIdentity: false,
    s3Server: true,
    renewsAcme: true,
  },
  aws: {
    title: "AWS",
    sdk: "@pulumi/aws",
    backupDestination: "s3",
    cloudIdentity: true,
    s3Server: false,
    renewsAcme: true,
  },
  kubernetes: {
    title: "Kubernetes",
    sdk: "@pulumi/kubernetes",
    backupDestination: "volume",
    cloudIdentity: false,
    s3Server: false,
    renewsAcme: false,
  },
} as const satisfies Record<string, PlatformFacts>;

export type Platform = keyof typeof FACTS;

export const PLATFORM_FACTS: Readonly<Record<Platform, PlatformFacts>> = FACTS;

/** Every platform, in the table's order (the first is the default). */
export const PLATFORMS = Object.keys(FACTS) as [Platform, ...Platform[]];

/** "a", "a or b", "a, b or c" (or "and"). */
const listed = (items: readonly string[], conjunction: "or" | "and" = "or"): string =>
  items.length < 2 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} ${conjunction} ${items[items.length - 1]}`;

/** The platforms as the spec's `platform` doc lists them: `"docker" (one machine), "aws" or "kubernetes"`. */
export const platformChoicesText = (): string =>
  listed(
    PLATFORMS.map((name) => {
      const { note } = PLATFORM_FACTS[name];
      return note === undefined ? `"${name}"` : `"${name}" (${note})`;
    }),
  );

/** backup.destination's default as its doc says it: `"s3" on AWS, "volume" elsewhere`. */
export function backupDestinationDefaultText(): string {
  const toS3 = PLATFORMS.filter((name) => PLATFORM_FACTS[name].backupDestination === "s3");
  return `"s3" on ${listed(toS3.map((name) => PLATFORM_FACTS[name].title))}, "volume" elsewhere`;
}

/** The platforms that run the certificate renewer, as prose: "Docker and AWS". */
export const renewingPlatformsText = (): string =>
  listed(
    PLATFORMS.filter((name) => PLATFORM_FACTS[name].renewsAcme).map((name) => PLATFORM_FACTS[name].title),
    "and",
  );
