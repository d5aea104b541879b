/** Everything the watchdog's container needs, in the names watchdog/src/contract.ts gives its settings. */
import { BACKUP_FOLDER_PATH } from "../../backup/src/contract";
import { RENEWER_STATE_PATH } from "../../renewer/src/contract";
import {
  WATCHDOG_ENTRYPOINT,
  WATCHDOG_HEALTH_FLAG,
  WATCHDOG_METRICS_PORT,
  WATCHDOG_STATE_PATH,
  WATCHDOG_USER,
  WATCHDOG_VARIABLES as V,
} from "../../watchdog/src/contract";
import type { DeploymentPlan } from "../plan/types";
import type { ContainerDescription, ContainerVolume, HealthCheck, ImageBuild } from "./description";
import { watchdogSecretEnvironment } from "./secrets";

/** The timing watchdog/Dockerfile's HEALTHCHECK declares. */
export const WATCHDOG_HEALTH: HealthCheck = {
  command: [...WATCHDOG_ENTRYPOINT, WATCHDOG_HEALTH_FLAG],
  intervalSeconds: 60,
  timeoutSeconds: 10,
  startSeconds: 120,
  retries: 2,
};

export interface WatchdogInputs<T> {
  /** the watchdog image's build (components/image-builds.ts) */
  image: ImageBuild;
  /** PEM of a CA to trust besides the system's: a self-signed stack's own */
  ca?: string | T;
  /** the deployed Prosody image's reference: its tag names its packages' period */
  prosodyImage?: string | T;
  /** where the platform lets it read others' notes: the renewer's state volume, the backups volume */
  reads: { renewerState: boolean; backupsVolume: boolean };
  /**
   * where its state lives: a volume of its own (kept across a replaced container), or the container's
   * own folder (a platform's scratch space: a new container tells what is still wrong once more)
   */
  state: "volume" | "container";
  /** with backups to a bucket the stack created: its name */
  backupsBucket?: string | T;
}

export function describeWatchdog<T>(plan: DeploymentPlan, inputs: WatchdogInputs<T>): ContainerDescription<T> {
  if (!plan.watchdog) throw new Error("describeWatchdog: the plan has no watchdog");
  const environment: Record<string, string | T> = {
    // The spec, not the plan: the watchdog plans it with its own copy of the core, as `prosody-stack check` does.
    [V.spec]: JSON.stringify(plan.spec),
    [V.state]: WATCHDOG_STATE_PATH,
    [V.metricsPort]: String(WATCHDOG_METRICS_PORT),
  };
  if (inputs.ca !== undefined) environment[V.ca] = inputs.ca;
  if (inputs.prosodyImage !== undefined) environment[V.image] = inputs.prosodyImage;
  const volumes: ContainerVolume[] =
    inputs.state === "volume" ? [{ name: "watchdog", path: WATCHDOG_STATE_PATH, holdsData: false }] : [];
  if (inputs.reads.renewerState && plan.certificate.source === "renewer") {
    environment[V.renewalFolder] = RENEWER_STATE_PATH;
    volumes.push({ name: "acme", path: RENEWER_STATE_PATH, holdsData: false });
  }
  if (inputs.reads.backupsVolume && plan.backup?.destination.kind === "volume") {
    environment[V.backupsFolder] = BACKUP_FOLDER_PATH;
    volumes.push({ name: "backups", path: BACKUP_FOLDER_PATH, holdsData: true });
  }
  if (inputs.backupsBucket !== undefined) environment[V.backupsBucket] = inputs.backupsBucket;
  return {
    name: "watchdog",
    image: inputs.image,
    user: WATCHDOG_USER,
    environment,
    secretEnvironment: watchdogSecretEnvironment(plan),
    files: [],
    inlineFilesEnvironment: {},
    volumes,
    ports: [{ name: "metrics", port: WATCHDOG_METRICS_PORT }],
    health: WATCHDOG_HEALTH,
    // It writes its state (in the container's own folder where the platform keeps no volume) and the CA's copy.
    readOnlyRootFilesystem: false,
  };
}
