/**
 * Entry point of the backup runner's image.
 *   node backup.js [schedule]          a backup at every time of BACKUP_SCHEDULE, until stopped
 *   node backup.js once                one backup, then exit 0 (done) or 1 (failed)
 *   node backup.js restore --from NAME|latest   needs BACKUP_IDENTITY, and Prosody stopped
 *   node backup.js list                the backups at the destination, newest first
 *   node backup.js --health            exit 1 when the schedule's last attempt failed (the health check)
 * Every outcome is one line on the standard output or error, starting "prosody-backup:".
 */
import { readFileSync, writeFileSync } from "node:fs";
import { nextRuns } from "../../common/backup-rules";
import { ProblemError } from "../../common/problems";
import { backUp, listBackups } from "./backup";
import { type BackupConfig, readBackupConfig } from "./config";
import { BACKUP_COMMANDS, BACKUP_HEALTH_FLAG, BACKUP_STATUS_FILE, BACKUP_VARIABLES } from "./contract";
import { backupStore, type BackupStore } from "./destination";
import { restore } from "./restore";

/** EX_CONFIG from sysexits.h: a configuration error, so orchestrators do not retry in a tight loop expecting a fix. */
const EXIT_CONFIG = 78;
/** setTimeout's longest wait; a schedule's next time may be further away. */
const MAX_TIMER_MS = 2 ** 31 - 1;

const say = (line: string) => process.stdout.write(`prosody-backup: ${line}\n`);
const complain = (line: string) => process.stderr.write(`prosody-backup: ${line}\n`);

interface Status {
  lastAttempt?: string;
  lastSuccess?: string;
  lastFailure?: { at: string; reason: string };
}

const readStatus = (): Status => {
  try {
    return JSON.parse(readFileSync(BACKUP_STATUS_FILE, "utf8")) as Status;
  } catch {
    return {};
  }
};

/** One backup, logged; resolves with whether it succeeded. */
async function attempt(config: BackupConfig, store: BackupStore): Promise<boolean> {
  const status = readStatus();
  const at = new Date();
  status.lastAttempt = at.toISOString();
  try {
    const { manifest, seconds, removed } = await backUp(config, store, at);
    say(
      `backup ${manifest.name} done: ${manifest.encrypted.size} bytes (${Object.keys(manifest.files).join(", ")}) in ${seconds.toFixed(1)} s to ${store.where}; removed ${removed.length} older`,
    );
    status.lastSuccess = at.toISOString();
    return true;
  } catch (error) {
    const reason = (error as Error).message;
    complain(`backup failed: ${reason}`);
    status.lastFailure = { at: at.toISOString(), reason };
    return false;
  } finally {
    writeFileSync(BACKUP_STATUS_FILE, JSON.stringify(status));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, MAX_TIMER_MS)));

async function keepSchedule(config: BackupConfig, store: BackupStore): Promise<never> {
  let busy = false;
  let stopping = false;
  const stop = () => {
    stopping = true;
    if (!busy) process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  for (;;) {
    const [next] = nextRuns(config.schedule, 1);
    if (!next) throw new Error(`the schedule ${config.schedule} never fires`);
    say(
      `next backup of ${config.domain} at ${next.toISOString()} (schedule "${config.schedule}", UTC) to ${store.where}, keeping ${config.keep}`,
    );
    while (Date.now() < next.getTime()) await sleep(next.getTime() - Date.now());
    busy = true;
    await attempt(config, store);
    busy = false;
    if (stopping) process.exit(0);
  }
}

function health(): number {
  const status = readStatus();
  const failure = status.lastFailure;
  if (failure && (!status.lastSuccess || failure.at > status.lastSuccess)) {
    complain(`the last backup failed at ${failure.at}: ${failure.reason}`);
    return 1;
  }
  say(status.lastSuccess ? `last backup done at ${status.lastSuccess}` : "no backup attempted yet");
  return 0;
}

async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes(BACKUP_HEALTH_FLAG)) return health();
  let config: BackupConfig;
  try {
    config = readBackupConfig(process.env);
  } catch (error) {
    if (!(error instanceof ProblemError)) throw error;
    complain(error.message);
    return EXIT_CONFIG;
  }
  const store = backupStore(config.destination);
  const [command = BACKUP_COMMANDS.schedule] = argv;
  switch (command) {
    case BACKUP_COMMANDS.schedule:
      return keepSchedule(config, store);
    case BACKUP_COMMANDS.once:
      return (await attempt(config, store)) ? 0 : 1;
    case BACKUP_COMMANDS.list: {
      for (const manifest of await listBackups(config, store)) {
        say(
          `${manifest.name}  ${manifest.createdAt}  ${manifest.encrypted.size} bytes  ${manifest.storage}, Prosody ${manifest.prosodyVersion}`,
        );
      }
      return 0;
    }
    case BACKUP_COMMANDS.restore: {
      const from = argv[argv.indexOf("--from") + 1];
      if (!argv.includes("--from") || from === undefined) {
        complain("restore needs --from NAME or --from latest");
        return EXIT_CONFIG;
      }
      const identity = process.env[BACKUP_VARIABLES.identity];
      if (!identity) {
        complain(`restore needs ${BACKUP_VARIABLES.identity}: the age identity (the stack's backupIdentity output)`);
        return EXIT_CONFIG;
      }
      try {
        const result = await restore(config, store, from, identity);
        say(
          `restored ${result.name} (made ${result.manifest.createdAt} by Prosody ${result.manifest.prosodyVersion})` +
            (result.kept ? `; the replaced database is kept as ${result.kept}` : "") +
            (result.uploads !== undefined ? `; ${result.uploads} upload files` : ""),
        );
        return 0;
      } catch (error) {
        complain(error instanceof ProblemError ? error.message : `restore failed: ${(error as Error).message}`);
        return 1;
      }
    }
    default:
      complain(`unknown command ${command}: use schedule, once, restore --from NAME, list or --health`);
      return EXIT_CONFIG;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    complain(`stopped: ${(error as Error).stack ?? String(error)}`);
    process.exit(1);
  },
);
