/**
 * Data moves: how long a user waits for a storage switch, a backup and a
 * restore, by the number of archived messages. The dev stack's containers
 * (Docker platform, under mocks, replayed with buildah, as the e2e suite does):
 * real clients make two accounts, a few chats, a room and an upload on the
 * personal tier (SQLite); the archive is then grown to N messages by copying
 * those rows under new ids (a client sending 100,000 messages would time the
 * client, not the move). Per N it prints the seconds of: a backup of SQLite,
 * the switch to the enterprise tier on PostgreSQL (start to serving), a backup
 * of PostgreSQL, a restore into an emptied database, the switch back to SQLite,
 * and the sizes of both backups; and checks every archived row arrived each time.
 *
 *   npm run bench:data-moves           (as root: bench/data-moves/run.sh)
 *   DATA_MOVES_MESSAGES=1000,50000     (the message counts tried)
 */
import { execFileSync } from "node:child_process";
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BACKUP_COMMANDS, BACKUP_ENTRYPOINT } from "../../backup/src/contract";
import { planDeployment } from "../../src/plan";
import { type StackConfig, stackSpec } from "../../src/schema/stack-file";
import {
  byName,
  programShowingAdminPasswords,
  runTested,
  stackWith,
  type TestedRun,
} from "../../test/support/mock-stack";
import { type SuiteTls, suiteTls, suiteTlsOutputs } from "../../test/e2e/harness/certs";
import { datasetUsers, fillDataset } from "../../test/e2e/harness/dataset";
import { makeBackupKey } from "../../test/e2e/harness/backup-key";
import {
  BACKUP_IMAGE,
  type ContainerInputs,
  ReplayedContainer,
  withDatabaseAt,
} from "../../test/e2e/harness/docker-replay";
import { startPostgres } from "../../test/e2e/harness/postgres";
import { PORTS } from "../../test/e2e/harness/server";

const COUNTS = (process.env.DATA_MOVES_MESSAGES ?? "1000,10000,100000").split(",").map(Number);
const DOMAIN = "localhost";
const DATABASE_PORT = 25437;
/** what real clients make before the archive is grown */
const SEED = { users: 2, messages: 50, roomMessages: 5, uploads: 1 };
/** a move of many rows may take long: the bench waits, and reports how long */
const START_TIMEOUT_MS = 3_600_000;

type Storage = "sqlite" | "postgresql";

interface Row {
  messages: number;
  backupSqlite: number;
  switchToPostgres: number;
  backupPostgres: number;
  restorePostgres: number;
  switchToSqlite: number;
  sqliteBackupMiB: number;
  postgresBackupMiB: number;
}

const seconds = async (work: () => Promise<unknown>): Promise<number> => {
  const started = Date.now();
  await work();
  return (Date.now() - started) / 1000;
};

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), "prosody-data-moves-"));
  chmodSync(root, 0o755);
  const postgres = startPostgres(DATABASE_PORT);
  const containers: ReplayedContainer[] = [];
  try {
    const key = makeBackupKey(root);
    const tlsFolder = join(root, "tls");
    mkdirSync(tlsFolder);
    const tls: SuiteTls = suiteTls(tlsFolder, planDeployment(stackSpec(stackFor("sqlite"))).certificateNames);
    const deploy = (storage: Storage): Promise<TestedRun> =>
      runTested("dev", stackFor(storage), programShowingAdminPasswords, {
        outputs: (type, name) => {
          if (name === "prosody-database-password") return { result: postgres.password };
          if (name === "prosody-backup-key") return key;
          return suiteTlsOutputs(tls)(type, name);
        },
      });

    const rows: Row[] = [];
    for (const messages of COUNTS) {
      const volumes = join(root, String(messages));
      const replay = (run: TestedRun, resource: string, more: string[] = []): ReplayedContainer => {
        const inputs = byName(run, resource).clearInputs as unknown as ContainerInputs;
        const envs = [...withDatabaseAt(inputs.envs, postgres.host), ...more];
        const image = resource === "prosody-backup" ? BACKUP_IMAGE : undefined;
        const container = new ReplayedContainer(
          { ...inputs, envs },
          volumes,
          join(root, `files-${containers.length}`),
          image,
        );
        containers.push(container);
        return container;
      };
      const backupOnce = async (run: TestedRun) => {
        const done = await replay(run, "prosody-backup").run([...BACKUP_ENTRYPOINT, BACKUP_COMMANDS.once]);
        if (done.code !== 0) throw new Error(`the backup failed:\n${done.output}`);
      };
      const newestBackupMiB = () => {
        const folder = join(volumes, "prosody-dev-backups");
        const [newest] = readdirSync(folder)
          .filter((file) => file.endsWith(".tar.age"))
          .sort()
          .reverse();
        return newest ? statSync(join(folder, newest)).size / 2 ** 20 : 0;
      };
      const serve = async (run: TestedRun) => {
        const prosody = replay(run, "prosody-server");
        const taken = await seconds(() => prosody.start(undefined, START_TIMEOUT_MS));
        await prosody.remove();
        return taken;
      };
      const postgresArchive = () =>
        Number(postgres.query(`SELECT count(*) FROM prosodyarchive WHERE store = 'archive'`).trim());
      const sqliteFile = join(volumes, "prosody-dev-data", "prosody.sqlite");

      postgres.query("DROP OWNED BY prosody");
      const personal = await deploy("sqlite");
      const seeding = replay(personal, "prosody-server");
      const users = datasetUsers(SEED.users);
      const accounts = users.map((user) => `${user.name}@${DOMAIN} ${user.password}`).join("\\n");
      const made = seeding.exec(["sh", "-c", `printf '${accounts}\\n' | prosodyctl mod_stack_accounts ensure`]);
      if (made.code !== 0) throw new Error(made.output);
      await seeding.start();
      await fillDataset(DOMAIN, "groups.localhost", "share.localhost", users, SEED);
      await seeding.remove();
      const archived = growArchive(sqliteFile, messages);

      const backupSqlite = await seconds(() => backupOnce(personal));
      const sqliteBackupMiB = newestBackupMiB();
      const enterprise = await deploy("postgresql");
      const switchToPostgres = await serve(enterprise);
      expectCount("PostgreSQL after the switch", postgresArchive(), archived);
      const backupPostgres = await seconds(() => backupOnce(enterprise));
      const postgresBackupMiB = newestBackupMiB();
      postgres.query("DROP OWNED BY prosody");
      const restorePostgres = await seconds(async () => {
        const restored = await replay(enterprise, "prosody-backup", [`BACKUP_IDENTITY=${key.privateKeyOpenssh}`]).run([
          ...BACKUP_ENTRYPOINT,
          BACKUP_COMMANDS.restore,
          "--from",
          "latest",
        ]);
        if (restored.code !== 0) throw new Error(`the restore failed:\n${restored.output}`);
      });
      expectCount("PostgreSQL after the restore", postgresArchive(), archived);
      const switchToSqlite = await serve(await deploy("sqlite"));
      expectCount("SQLite after the switch back", sqliteArchive(sqliteFile), archived);
      rows.push({
        messages: archived,
        backupSqlite,
        switchToPostgres,
        backupPostgres,
        restorePostgres,
        switchToSqlite,
        sqliteBackupMiB,
        postgresBackupMiB,
      });
      console.error(`data-moves: ${archived} messages done`);
      rmSync(volumes, { recursive: true, force: true });
    }
    print(rows);
  } finally {
    for (const container of containers) await container.remove().catch(() => undefined);
    postgres.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

function stackFor(storage: Storage): StackConfig {
  return stackWith("dev", {
    "prosody:tier": storage === "sqlite" ? "personal" : "enterprise",
    "prosody:storage": storage,
    "prosody:database": { port: DATABASE_PORT },
    "prosody:backup": { enabled: true },
    "prosody:ports": PORTS,
    "prosody:interfaces": ["127.0.0.1"],
  });
}

const sqlite = (file: string, sql: string): string =>
  execFileSync("sqlite3", ["-cmd", ".timeout 10000", file, sql], { encoding: "utf8" }).trim();

const sqliteArchive = (file: string): number =>
  Number(sqlite(file, `SELECT count(*) FROM prosodyarchive WHERE store = 'archive'`));

/**
 * Copies the personal archives' rows under new ids until there are at least `messages`; returns the count.
 * Each copy keeps its stanza, sender and time: what the move reads and writes is what a real row holds.
 */
function growArchive(file: string, messages: number): number {
  const owner = statSync(file);
  const seeded = sqliteArchive(file);
  const copies = Math.ceil(messages / seeded) - 1;
  if (copies > 0) {
    sqlite(
      file,
      `WITH RECURSIVE copy(number) AS (SELECT 1 UNION ALL SELECT number + 1 FROM copy WHERE number < ${copies})
       INSERT INTO prosodyarchive (host, user, store, key, "when", "with", type, value)
       SELECT host, user, store, key || '-' || number, "when", "with", type, value
       FROM prosodyarchive, copy WHERE store = 'archive'`,
    );
  }
  chownSync(file, owner.uid, owner.gid);
  return sqliteArchive(file);
}

function expectCount(where: string, found: number, expected: number): void {
  if (found !== expected) throw new Error(`${where}: ${found} archived messages, expected ${expected}`);
}

function print(rows: Row[]): void {
  console.log("Data moves on the Docker platform's containers (seconds; backups age-encrypted, in MiB)");
  console.table(
    rows.map((row) => ({
      "archived messages": row.messages,
      "backup, SQLite": row.backupSqlite.toFixed(1),
      "switch SQLite → PostgreSQL": row.switchToPostgres.toFixed(1),
      "backup, PostgreSQL": row.backupPostgres.toFixed(1),
      "restore, PostgreSQL": row.restorePostgres.toFixed(1),
      "switch PostgreSQL → SQLite": row.switchToSqlite.toFixed(1),
      "SQLite backup MiB": row.sqliteBackupMiB.toFixed(2),
      "PostgreSQL backup MiB": row.postgresBackupMiB.toFixed(2),
    })),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
