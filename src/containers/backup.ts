/** Everything the backup runner's container needs, in the names backup/src/contract.ts gives its settings. */
import type { DeploymentPlan } from "../plan/types";
import {
  BACKUP_COMMANDS,
  BACKUP_ENTRYPOINT,
  BACKUP_FOLDER_PATH,
  BACKUP_HEALTH_FLAG,
  BACKUP_USER,
  BACKUP_VARIABLES as V,
} from "../../backup/src/contract";
import type { ContainerDescription, ContainerVolume, HealthCheck, ImageBuild } from "./description";
import { backupSecretEnvironment } from "./secrets";

/** The timing backup/Dockerfile's HEALTHCHECK declares. */
export const BACKUP_HEALTH: HealthCheck = {
  command: [...BACKUP_ENTRYPOINT, BACKUP_HEALTH_FLAG],
  intervalSeconds: 30,
  timeoutSeconds: 10,
  startSeconds: 10,
  retries: 1,
};

export interface BackupInputs<T> {
  /** the backup runner image's build (components/image-builds.ts) */
  image: ImageBuild;
  /** every recipient, one per line: the stack's own key (known once generated) and the spec's */
  recipients: string | T;
  /** with PostgreSQL: where the runner reaches it */
  databaseHost?: string | T;
  /** with backups to S3: the bucket as the platform knows it (a created one's name is known once it exists) */
  bucket?: { name: string | T; region: string | T };
}

export function describeBackup<T>(plan: DeploymentPlan, inputs: BackupInputs<T>): ContainerDescription<T> {
  const { backup, spec } = plan;
  if (!backup) throw new Error("describeBackup: the plan has no backups");
  const environment: Record<string, string | T> = {
    [V.schedule]: backup.schedule,
    [V.keep]: String(backup.keep),
    [V.domain]: spec.domain,
    [V.prosodyVersion]: spec.prosodyVersion,
    [V.specHash]: backup.specHash,
    [V.database]: backup.database,
    [V.recipients]: inputs.recipients,
  };
  const volumes: ContainerVolume[] = [];
  if (backup.sqliteFile) {
    environment[V.sqliteFile] = backup.sqliteFile;
    environment[V.dataFolder] = spec.paths.data;
    volumes.push({ name: "data", path: spec.paths.data, holdsData: true });
  } else {
    if (inputs.databaseHost === undefined) throw new Error("describeBackup: PostgreSQL backups need a database host");
    environment[V.pgHost] = inputs.databaseHost;
    environment[V.pgPort] = String(spec.database.port);
    environment[V.pgDatabase] = spec.database.name;
    environment[V.pgUser] = spec.database.user;
  }
  if (backup.uploadsFolder) {
    environment[V.uploads] = backup.uploadsFolder;
    volumes.push({ name: "uploads", path: backup.uploadsFolder, holdsData: true });
  }
  if (backup.destination.kind === "volume") {
    environment[V.folder] = BACKUP_FOLDER_PATH;
    volumes.push({ name: "backups", path: BACKUP_FOLDER_PATH, holdsData: true });
  } else {
    if (!inputs.bucket) throw new Error("describeBackup: backups to S3 need a bucket");
    environment[V.bucket] = inputs.bucket.name;
    environment[V.region] = inputs.bucket.region;
    if (backup.destination.endpoint !== undefined) environment[V.endpoint] = backup.destination.endpoint;
    if (backup.destination.forcePathStyle) environment[V.forcePathStyle] = "true";
  }
  return {
    name: "backup",
    image: inputs.image,
    user: BACKUP_USER,
    environment,
    secretEnvironment: backupSecretEnvironment(plan),
    files: [],
    inlineFilesEnvironment: {},
    volumes,
    ports: [],
    health: BACKUP_HEALTH,
    schedule: { cron: backup.schedule, arguments: [BACKUP_COMMANDS.once] },
    // It writes its working copies and its status under /tmp only.
    readOnlyRootFilesystem: true,
  };
}
