/**
 * Backups and a restore drill on the Docker platform's containers, replayed
 * with buildah from the dev stack's recorded inputs (under mocks, with a real
 * Ed25519 backup key from ssh-keygen standing in for @pulumi/tls's): SQLite
 * with backups to the stack's backups volume, and PostgreSQL with backups to an
 * S3-compatible server (s3rver, with the keys the stack is given). Real clients
 * make a server's worth of data; the runner's one-shot command backs it up (what
 * its schedule runs); everything is wiped; the restore puts it back; the clients
 * find every message, contact, room message and upload with their old passwords.
 */
import { strict as assert } from "node:assert";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { BACKUP_COMMANDS, BACKUP_ENTRYPOINT, BACKUP_HEALTH_FLAG } from "../../backup/src/contract";
import { recordFigure } from "../support/figures";
import { byName, programShowingAdminPasswords, runTested, stackWith, type TestedRun } from "../support/mock-stack";
import { S3_CREDENTIALS, startS3Server, type S3TestServer } from "../support/s3";
import { planDeployment } from "../../src/plan";
import { type StackConfig, stackSpec } from "../../src/schema/stack-file";
import { type SuiteTls, suiteTls, suiteTlsOutputs } from "./harness/certs";
import { checkDataset, datasetUsers, fillDataset } from "./harness/dataset";
import { type BackupKeyOutputs, makeBackupKey } from "./harness/backup-key";
import { BACKUP_IMAGE, type ContainerInputs, ReplayedContainer, withDatabaseAt } from "./harness/docker-replay";
import { type Postgres, startPostgres } from "./harness/postgres";
import { PORTS } from "./harness/server";

const DOMAIN = "localhost";
const DATABASE_PORT = 25436;
const SHAPE = { users: 10, messages: 1000, roomMessages: 20, uploads: 5 };

type Storage = "sqlite" | "postgresql";

describe("backups and a restore drill, on the Docker platform's containers", function () {
  this.timeout(900_000);
  let root: string;
  let postgres: Postgres;
  let s3: S3TestServer;
  let tls: SuiteTls;
  let key: BackupKeyOutputs;
  const containers: ReplayedContainer[] = [];

  before(async () => {
    root = mkdtempSync(join(tmpdir(), "prosody-backups-"));
    chmodSync(root, 0o755);
    postgres = startPostgres(DATABASE_PORT);
    s3 = await startS3Server("prosody-backups");
    const folder = join(root, "tls");
    mkdirSync(folder);
    tls = suiteTls(folder, planDeployment(stackSpec(stackFor("sqlite"))).certificateNames);
    key = makeBackupKey(root);
  });

  after(async () => {
    for (const container of containers) await container.remove().catch(() => undefined);
    await s3?.stop();
    postgres?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  function stackFor(storage: Storage): StackConfig {
    const backup =
      storage === "sqlite"
        ? { enabled: true }
        : {
            enabled: true,
            destination: "s3",
            s3: { endpoint: s3?.endpoint ?? "http://127.0.0.1:1", bucket: "prosody-backups", forcePathStyle: true },
          };
    return stackWith(
      "dev",
      {
        "prosody:tier": storage === "sqlite" ? "personal" : "enterprise",
        "prosody:storage": storage,
        "prosody:database": { port: DATABASE_PORT },
        "prosody:backup": backup,
        "prosody:ports": PORTS,
        "prosody:interfaces": ["127.0.0.1"],
        "prosody:backupS3AccessKeyId": S3_CREDENTIALS.accessKeyId,
        "prosody:backupS3SecretAccessKey": S3_CREDENTIALS.secretAccessKey,
      },
      ["prosody:backupS3AccessKeyId", "prosody:backupS3SecretAccessKey"],
    );
  }

  const deploy = (storage: Storage): Promise<TestedRun> =>
    runTested("dev", stackFor(storage), programShowingAdminPasswords, {
      outputs: (type, name) => {
        if (name === "prosody-database-password") return { result: postgres.password };
        if (name === "prosody-backup-key") return key;
        return suiteTlsOutputs(tls)(type, name);
      },
    });

  /** Each drill's own Docker volumes: a stack's data stays where it was when the other drill starts. */
  let volumesRoot = "";

  /** A recorded container, with the platform's PostgreSQL container (network alias "database") reached on loopback. */
  const replay = (run: TestedRun, resource: string, more: string[] = []): ReplayedContainer => {
    const inputs = byName(run, resource).clearInputs as unknown as ContainerInputs;
    const envs = [...withDatabaseAt(inputs.envs, postgres.host), ...more];
    const container = new ReplayedContainer(
      { ...inputs, envs },
      volumesRoot,
      join(root, `files-${containers.length}`),
      resource === "prosody-backup" ? BACKUP_IMAGE : undefined,
    );
    containers.push(container);
    return container;
  };
  const runner = (run: TestedRun, more: string[] = []) => replay(run, "prosody-backup", more);
  const volume = (name: string) => join(volumesRoot, `prosody-dev-${name}`);
  const wipe = (folder: string) => {
    for (const entry of readdirSync(folder)) rmSync(join(folder, entry), { recursive: true, force: true });
  };

  /** The one backup's bytes at the destination, and its name. */
  async function storedBackup(storage: Storage): Promise<{ name: string; bytes: Buffer }> {
    if (storage === "sqlite") {
      const [name = ""] = readdirSync(volume("backups")).filter((file) => file.endsWith(".tar.age"));
      return { name, bytes: readFileSync(join(volume("backups"), name)) };
    }
    const [name = ""] = [...(await s3.objects()).keys()].filter((object) => object.endsWith(".tar.age"));
    const object = await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: name }));
    return { name, bytes: Buffer.from(await (object.Body?.transformToByteArray() ?? new Uint8Array())) };
  }

  for (const storage of ["sqlite", "postgresql"] as const) {
    it(`${storage}: the runner's backup is encrypted; a wiped server comes back from it with nothing lost`, async () => {
      if (storage === "postgresql") postgres.query("DROP OWNED BY prosody");
      volumesRoot = join(root, storage);
      const run = await deploy(storage);
      let prosody = replay(run, "prosody-server");
      const users = datasetUsers(SHAPE.users);
      const accounts = users.map((user) => `${user.name}@${DOMAIN} ${user.password}`).join("\\n");
      const made = prosody.exec(["sh", "-c", `printf '${accounts}\\n' | prosodyctl mod_stack_accounts ensure`]);
      assert.equal(made.code, 0, made.output);
      await prosody.start();
      const dataset = await fillDataset(DOMAIN, "groups.localhost", "share.localhost", users, SHAPE);

      // What the runner's schedule runs at each time, run now; then its health command.
      const backup = runner(run);
      const startedBackup = Date.now();
      const done = await backup.run([...BACKUP_ENTRYPOINT, BACKUP_COMMANDS.once]);
      const backupSeconds = (Date.now() - startedBackup) / 1000;
      assert.equal(done.code, 0, done.output);
      assert.match(done.output, /prosody-backup: backup localhost-\d{8}T\d{6}Z\.tar\.age done/);
      assert.equal((await backup.run([...BACKUP_ENTRYPOINT, BACKUP_HEALTH_FLAG])).code, 0);
      const stored = await storedBackup(storage);
      for (const clear of ["SQLite format 3", "PGDMP", dataset.chats[0]?.bodies[0] ?? "", "manifest.json"]) {
        assert.ok(!stored.bytes.includes(clear), `the stored backup holds "${clear}" in the clear`);
      }
      assert.match(stored.bytes.subarray(0, 40).toString("latin1"), /^age-encryption\.org\/v1/);

      await prosody.remove();
      if (storage === "sqlite") wipe(volume("data"));
      else postgres.query("DROP OWNED BY prosody");
      wipe(volume("uploads"));

      // Refused, changing nothing: Prosody running on the data folder; a stack of another domain.
      if (storage === "sqlite") {
        const empty = replay(run, "prosody-server");
        await empty.start();
        const running = await runner(run, [`BACKUP_IDENTITY=${key.privateKeyOpenssh}`]).run([
          ...BACKUP_ENTRYPOINT,
          BACKUP_COMMANDS.restore,
          "--from",
          "latest",
        ]);
        assert.equal(running.code, 1, running.output);
        assert.match(running.output, /Prosody is running on \/var\/lib\/prosody/);
        await empty.remove();
      }
      const foreign = await runner(run, [
        `BACKUP_IDENTITY=${key.privateKeyOpenssh}`,
        "BACKUP_DOMAIN=other.localhost",
      ]).run([...BACKUP_ENTRYPOINT, BACKUP_COMMANDS.restore, "--from", stored.name]);
      assert.equal(foreign.code, 1, foreign.output);
      assert.match(foreign.output, /a backup of localhost, and this stack serves other\.localhost/);

      const startedRestore = Date.now();
      const restored = await runner(run, [`BACKUP_IDENTITY=${key.privateKeyOpenssh}`]).run([
        ...BACKUP_ENTRYPOINT,
        BACKUP_COMMANDS.restore,
        "--from",
        "latest",
      ]);
      const restoreSeconds = (Date.now() - startedRestore) / 1000;
      assert.equal(restored.code, 0, restored.output);
      assert.match(restored.output, new RegExp(`restored ${stored.name.replace(/\./g, "\\.")}`));
      prosody = replay(run, "prosody-server");
      await prosody.start();
      const report = await checkDataset(dataset);
      assert.deepEqual(report.missing, []);
      await prosody.remove();
      recordFigure(`restore-drill-${storage}`, {
        title: `Backup and restore drill (${storage === "sqlite" ? "SQLite, backups volume" : "PostgreSQL, S3"})`,
        done: `The dev stack's containers (Docker platform, replayed with buildah) on ${storage === "sqlite" ? "the personal tier with SQLite, backups to the stack's backups volume" : "the enterprise tier with PostgreSQL, backups to an S3-compatible server"}: real clients make ${SHAPE.users} accounts with rosters, ${SHAPE.messages} chats, a persistent room with ${SHAPE.roomMessages} messages, a PEP nickname and ${SHAPE.uploads} uploads; the backup runner's one-shot command backs up; the database and the uploads are wiped; the restore puts the backup back; clients log in with their old passwords and look for everything.`,
        test: __filename,
        figures: {
          "the stored backup": "age-encrypted: no database header, no message, no file name in the clear",
          "restore refused":
            storage === "sqlite"
              ? "while Prosody runs; into a stack of another domain"
              : "into a stack of another domain",
          "logins with the old passwords": `${report.logins} of ${SHAPE.users}`,
          "chats found": `${report.chatsFound} of ${SHAPE.messages}`,
          "room messages found": `${report.roomMessagesFound} of ${SHAPE.roomMessages}`,
          "roster items found": `${report.rosterItemsFound} of ${SHAPE.users}`,
          "uploads byte-identical": `${report.uploadsIdentical} of ${SHAPE.uploads}`,
          lost: report.missing.length,
        },
        observed: {
          "backup bytes": stored.bytes.length,
          "backup seconds": backupSeconds.toFixed(1),
          "restore seconds": restoreSeconds.toFixed(1),
        },
      });
    });
  }

  it("keeps its own schedule on Docker: a backup at the scheduled minute, healthy, and a failure it shows", async () => {
    volumesRoot = join(root, "sqlite");
    const run = await deploy("sqlite");
    const before = readdirSync(volume("backups")).filter((file) => file.endsWith(".tar.age")).length;
    // The container's own command (the image's default), with a schedule of every minute.
    const scheduled = runner(run, ["BACKUP_SCHEDULE=* * * * *"]);
    await scheduled.start([]);
    const deadline = Date.now() + 90_000;
    while (!/prosody-backup: backup \S+ done/.test(scheduled.log()) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    assert.match(scheduled.log(), /prosody-backup: next backup of localhost at \S+ \(schedule "\* \* \* \* \*", UTC\)/);
    assert.match(scheduled.log(), /prosody-backup: backup localhost-\d{8}T\d{6}Z\.tar\.age done/);
    assert.equal((await scheduled.healthcheck()).code, 0);
    assert.equal(readdirSync(volume("backups")).filter((file) => file.endsWith(".tar.age")).length, before + 1);
    await scheduled.remove();
    assert.equal(scheduled.exitCode(), 0, "a SIGTERM between runs ends it cleanly");

    // A run that fails says so on its log line, and the health check turns unhealthy until one succeeds.
    const failing = runner(run, ["BACKUP_SQLITE_FILE=/var/lib/prosody/missing.sqlite"]);
    const failed = await failing.run([...BACKUP_ENTRYPOINT, BACKUP_COMMANDS.once]);
    assert.equal(failed.code, 1);
    assert.match(failed.output, /prosody-backup: backup failed: sqlite3 failed/);
    const unhealthy = await failing.run([...BACKUP_ENTRYPOINT, BACKUP_HEALTH_FLAG]);
    assert.equal(unhealthy.code, 1);
    assert.match(unhealthy.output, /the last backup failed at \S+: sqlite3 failed/);
    recordFigure("backup-schedule", {
      title: "The backup runner's own schedule and its failures",
      done: "The Docker platform's backup container (replayed with buildah) runs its image's default command with a schedule of every minute, then gets SIGTERM; then a run whose database cannot be opened.",
      test: __filename,
      figures: {
        "a scheduled run": "a backup at the scheduled minute; healthy",
        "SIGTERM between runs": "exit 0",
        "a failed run": "exit 1, a 'prosody-backup: backup failed' line, unhealthy until a run succeeds",
      },
    });
  });
});
