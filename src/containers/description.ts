/**
 * What one of our containers needs, whatever runs it: the shape every
 * platform translates into its own resources (a docker.Container, an ECS task
 * definition, a Kubernetes pod). A platform decides how a value reaches the
 * container, never what the container needs.
 *
 * `T` is the platform's type for values known only at deployment (Pulumi
 * outputs: a certificate, a database address); plain strings everywhere else.
 */
import type { ContainerSecret } from "./secrets";

export type ContainerName = "prosody" | "upload-gateway" | "backup" | "renewer" | "watchdog";

/** What a platform builds and runs for one container: a content-tagged build of one of our folders. */
export interface ImageBuild {
  /** the build context, relative to the working directory */
  context: string;
  buildArgs: Record<string, string>;
  /** repository and tag, without a registry */
  reference: string;
}

export interface ContainerDescription<T = string> {
  name: ContainerName;
  /** what to build and run */
  image: ImageBuild;
  /** the user the image runs as: owner of the files that must be its own */
  user: { uid: number; gid: number };
  /** plain variables, in the order they are set */
  environment: Record<string, string | T>;
  /** variable → the stack secret it carries; a platform hands these over through its secret store */
  secretEnvironment: Record<string, ContainerSecret>;
  files: ContainerFile<T>[];
  /** plain variables the image reads only when its files arrive in variables (see ContainerFile.inlineVariable) */
  inlineFilesEnvironment: Record<string, string>;
  volumes: ContainerVolume[];
  ports: ContainerPort[];
  health: HealthCheck;
  /**
   * A one-shot step that must finish before the program starts (Prosody's storage step, which moves
   * the data when storage changes). The image's entrypoint runs it too; a platform with init
   * containers runs it as one, where no health probe cuts a long step short.
   */
  preparation?: { command: readonly string[] };
  /**
   * A container that does its work at times: its image's entrypoint with `arguments` does it once and
   * exits. A platform with a scheduler of its own (a Kubernetes CronJob, an EventBridge schedule)
   * starts it so at each time of `cron` (five fields, UTC); a platform without one runs the image's
   * default command, which keeps the schedule itself.
   */
  schedule?: { cron: string; arguments: readonly string[] };
  /** the program writes nothing outside its volumes, so the root filesystem may be read-only */
  readOnlyRootFilesystem: boolean;
}

export interface ContainerFile<T = string> {
  path: string;
  content: string | T;
  /** who owns it; root when absent */
  owner?: { uid: number; gid: number };
  mode: "0644" | "0600";
  /** the content is a secret: never in a plain input, output or log */
  secret: boolean;
  /** this file is half of the stack's TLS pair: a platform may hand over both halves as one */
  tls?: "certificate" | "key";
  /** the variable the image writes the file from, for platforms that cannot mount files */
  inlineVariable: string;
  /** the variable that tells the program where the file is, when the program reads a path */
  pathVariable?: string;
}

export interface ContainerVolume {
  /** the volume's part in child names: renaming it replaces the volume */
  name: "data" | "uploads" | "certificates" | "gateway-certificates" | "backups" | "acme" | "watchdog";
  path: string;
  /** holds what must survive the container (accounts, archives, uploads): protected and never replaced */
  holdsData: boolean;
}

export interface ContainerPort {
  /** the plan's listener name (c2s, https, …) or the container's own */
  name: string;
  /** what the program listens on inside the container */
  port: number;
  /** what clients connect to, when the port is public; undefined for a private port */
  publicPort?: number;
}

/** The container's own health command (exec form) and how often a platform runs it. */
export interface HealthCheck {
  command: readonly string[];
  intervalSeconds: number;
  timeoutSeconds: number;
  /** failures in this time after start do not count */
  startSeconds: number;
  retries: number;
}

/** The stack's certificate chain and its key, as the platform holds them. */
export interface CertificatePair<T = string> {
  chain: string | T;
  key: string | T;
}
