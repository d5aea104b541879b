/**
 * What the backup runner's image promises whoever runs it: the variables it
 * reads, its commands, where it keeps what, and the user it runs as
 * (backup/Dockerfile). Plain data: the runner reads its settings by these
 * names, and the core's container description (src/containers/backup.ts)
 * writes them, so no name is spelled twice.
 */

/** Every variable the runner reads (backup/README.md documents each one). */
export const BACKUP_VARIABLES = {
  /** cron expression (5 fields, UTC) the `schedule` command keeps */
  schedule: "BACKUP_SCHEDULE",
  /** backups kept at the destination; older ones go after each success */
  keep: "BACKUP_KEEP",
  /** the XMPP domain: names the backups and guards restores */
  domain: "BACKUP_DOMAIN",
  /** the Prosody version and the spec's hash, written into each manifest */
  prosodyVersion: "BACKUP_PROSODY_VERSION",
  specHash: "BACKUP_SPEC_HASH",
  /** "sqlite" or "postgresql" */
  database: "BACKUP_DATABASE",
  /** with sqlite: the live database file */
  sqliteFile: "BACKUP_SQLITE_FILE",
  /** Prosody's data folder: where the admin socket tells whether Prosody runs */
  dataFolder: "BACKUP_DATA_FOLDER",
  /** the uploads folder (uploads on a volume); unset when uploads live in S3 */
  uploads: "BACKUP_UPLOADS",
  /** age recipients (age1… or ssh-ed25519 …), one per line: each can decrypt every backup */
  recipients: "BACKUP_RECIPIENTS",
  /** a folder (a volume), or unset for S3 */
  folder: "BACKUP_FOLDER",
  bucket: "BACKUP_BUCKET",
  region: "BACKUP_S3_REGION",
  endpoint: "BACKUP_S3_ENDPOINT",
  forcePathStyle: "BACKUP_S3_FORCE_PATH_STYLE",
  /** restore only: the age identity (the private half of a recipient), inline */
  identity: "BACKUP_IDENTITY",
  /** PostgreSQL, read by pg_dump and pg_restore themselves (PGPASSWORD is a secret) */
  pgHost: "PGHOST",
  pgPort: "PGPORT",
  pgDatabase: "PGDATABASE",
  pgUser: "PGUSER",
  pgPassword: "PGPASSWORD",
  /** read by the AWS SDK, for S3 servers not reached with a platform identity */
  accessKeyId: "AWS_ACCESS_KEY_ID",
  secretAccessKey: "AWS_SECRET_ACCESS_KEY",
} as const;

/** How the image runs the runner (its ENTRYPOINT); the default command keeps the schedule. */
export const BACKUP_ENTRYPOINT = ["node", "/opt/prosody-backup/backup.js"] as const;
export const BACKUP_COMMANDS = {
  /** runs a backup at every time of BACKUP_SCHEDULE, until stopped (platforms without a scheduler) */
  schedule: "schedule",
  /** one backup, then exit: 0 done, 1 failed (a CronJob's, a scheduled task's) */
  once: "once",
  /** restore --from NAME|latest: needs BACKUP_IDENTITY and Prosody stopped */
  restore: "restore",
  /** the backups at the destination, newest first */
  list: "list",
} as const;
/** The argument that makes the runner report the last attempt: exit 0 unless it failed. */
export const BACKUP_HEALTH_FLAG = "--health";
/** Where the `schedule` command notes its last attempt, for the health check. */
export const BACKUP_STATUS_FILE = "/tmp/prosody-backup-status.json";
/** Where a backups volume is mounted. */
export const BACKUP_FOLDER_PATH = "/var/backups/prosody";
/** The latest success, next to the backups: what `prosody-stack check` reads. */
export const LATEST_FILE = "latest.json";
/**
 * The user and group the image runs as: Prosody's own (image/Dockerfile), so that it may read
 * SQLite's file and write its journal beside it, and restore files Prosody can read.
 */
export const BACKUP_USER = { uid: 100, gid: 102 } as const;
