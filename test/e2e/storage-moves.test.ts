/**
 * A switch of storage takes the data along (the image's storage step, run by
 * the entrypoint before Prosody starts), proven on the Docker platform's
 * Prosody containers replayed with buildah. The dev stack runs under mocks;
 * the suite's PostgreSQL on loopback stands in for the platform's PostgreSQL
 * container (its network alias "database" becomes 127.0.0.1), and the
 * generated database password is that server's.
 * In order: personal tier on SQLite with a server's worth of data; the switch
 * to the enterprise tier on PostgreSQL while PostgreSQL is away (refused,
 * nothing changed), then with it back (everything moved); a second deploy
 * (nothing changes, nothing duplicated); a move with neither side reachable
 * (refused); the switch back to SQLite; a switch into a database that already
 * holds other data (refused, never merged).
 */
import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { recordFigure } from "../support/figures";
import { byName, programShowingAdminPasswords, runTested, stackWith, type TestedRun } from "../support/mock-stack";
import { planDeployment } from "../../src/plan";
import { type StackConfig, stackSpec } from "../../src/schema/stack-file";
import { type SuiteTls, suiteTls, suiteTlsOutputs } from "./harness/certs";
import { checkDataset, type Dataset, datasetUsers, fillDataset } from "./harness/dataset";
import { type ContainerInputs, ReplayedContainer, withDatabaseAt } from "./harness/docker-replay";
import { type Postgres, startPostgres } from "./harness/postgres";
import { registerInBand } from "./harness/register";
import { PORTS } from "./harness/server";

const DOMAIN = "localhost";
const DATABASE_PORT = 25434;
/** a port nothing listens on: a database that cannot be reached */
const NO_DATABASE_PORT = 25499;
const SHAPE = { users: 10, messages: 1000, roomMessages: 20, uploads: 5 };
const ENTRYPOINT = ["/usr/local/bin/prosody-entrypoint"];
const MARKER = "prosody-stack-storage.json";

type Storage = "sqlite" | "postgresql";

const devStack = (tier: "personal" | "enterprise", storage: Storage, databasePort = DATABASE_PORT): StackConfig =>
  stackWith("dev", {
    "prosody:tier": tier,
    "prosody:storage": storage,
    "prosody:database": { port: databasePort },
    "prosody:ports": PORTS,
    "prosody:interfaces": ["127.0.0.1"],
  });

const sha256 = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

describe("a switch of storage moves the data (the image's storage step), on the Docker platform's containers", function () {
  this.timeout(600_000);
  let root: string;
  let postgres: Postgres;
  let tls: SuiteTls;
  let dataset: Dataset;
  let invitee: { name: string; password: string } | undefined;
  const containers: ReplayedContainer[] = [];
  const figures: Record<string, string | number> = {};
  const observed: Record<string, string | number> = {};

  before(() => {
    root = mkdtempSync(join(tmpdir(), "prosody-storage-"));
    chmodSync(root, 0o755);
    postgres = startPostgres(DATABASE_PORT);
    const folder = join(root, "tls");
    mkdirSync(folder);
    tls = suiteTls(folder, planDeployment(stackSpec(devStack("personal", "sqlite"))).certificateNames);
  });

  after(async () => {
    for (const container of containers) await container.remove().catch(() => undefined);
    postgres?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  const dataFolder = () => join(root, "volumes", "prosody-dev-data");
  const marker = () => JSON.parse(readFileSync(join(dataFolder(), MARKER), "utf8")) as { place: { driver: string } };
  const archivedRows = () => Number(postgres.query(`SELECT count(*) FROM prosodyarchive`).trim());

  const deploy = (tier: "personal" | "enterprise", storage: Storage, databasePort = DATABASE_PORT) =>
    runTested("dev", devStack(tier, storage, databasePort), programShowingAdminPasswords, {
      outputs: (type, name) =>
        name === "prosody-database-password" ? { result: postgres.password } : suiteTlsOutputs(tls)(type, name),
    });

  /** The recorded container, with the platform's PostgreSQL container reached on loopback. */
  const replay = (run: TestedRun): ReplayedContainer => {
    const inputs = byName(run, "prosody-server").clearInputs as unknown as ContainerInputs;
    const envs = withDatabaseAt(inputs.envs, postgres.host);
    const container = new ReplayedContainer(
      { ...inputs, envs },
      join(root, "volumes"),
      join(root, `files-${containers.length}`),
    );
    containers.push(container);
    return container;
  };

  /** Starts the entrypoint and expects it to refuse: exit status 1 with the storage step's reason. */
  const refused = (container: ReplayedContainer, reason: RegExp): string => {
    const run = container.exec(ENTRYPOINT);
    assert.equal(run.code, 1, run.output);
    assert.match(run.output, reason);
    assert.match(run.output, /the storage step refused to start Prosody/);
    return run.output;
  };

  it("SQLite → PostgreSQL: refused while PostgreSQL is away (nothing changed), then everything moves; a second deploy changes nothing", async () => {
    const personal = replay(await deploy("personal", "sqlite"));
    const users = datasetUsers(SHAPE.users);
    const accounts = users.map((user) => `${user.name}@${DOMAIN} ${user.password}`).join("\\n");
    const made = personal.exec(["sh", "-c", `printf '${accounts}\\n' | prosodyctl mod_stack_accounts ensure`]);
    assert.equal(made.code, 0, made.output);
    await personal.start();
    dataset = await fillDataset(DOMAIN, "groups.localhost", "share.localhost", users, SHAPE);
    const invitation = personal.exec(["prosodyctl", "shell", "invite", "create_account", DOMAIN]);
    const token = /preauth=([\w-]+)/.exec(invitation.output)?.[1];
    assert.ok(token, invitation.output);
    await personal.remove();
    assert.equal(marker().place.driver, "SQLite3");
    const sqlite = join(dataFolder(), "prosody.sqlite");
    const before = sha256(sqlite);

    postgres.down();
    const enterprise = await deploy("enterprise", "postgresql");
    const away = replay(enterprise);
    const reason = refused(away, /cannot reach the PostgreSQL database prosody on 127\.0\.0\.1:25434/);
    assert.match(reason, /Nothing was changed/);
    assert.equal(sha256(sqlite), before, "the SQLite file is as it was");
    assert.equal(marker().place.driver, "SQLite3", "the note still points at SQLite");

    postgres.up();
    const moved = Date.now();
    await away.start(undefined, 300_000);
    const seconds = (Date.now() - moved) / 1000;
    const rows = Number(/moving (\d+) rows/.exec(away.log())?.[1]);
    assert.ok(rows > SHAPE.messages, away.log());
    assert.match(away.log(), /kept the old SQLite file as \/var\/lib\/prosody\/prosody\.sqlite\.moved-to-postgresql-/);
    assert.equal(marker().place.driver, "PostgreSQL");
    assert.ok(!existsSync(sqlite), "the SQLite file is no longer where Prosody would read it");
    const report = await checkDataset(dataset);
    assert.deepEqual(report.missing, []);
    const registered = await registerInBand(DOMAIN, "invitee", "invitee-password", token);
    assert.equal(registered.outcome, "registered", "the invite moved too");
    invitee = { name: "invitee", password: "invitee-password" };

    // A second `pulumi up` of the same stack: the same container inputs, so nothing to replace.
    const again = await deploy("enterprise", "postgresql");
    assert.deepEqual(byName(again, "prosody-server").inputs, byName(enterprise, "prosody-server").inputs);
    const archived = archivedRows();
    await away.remove();
    const restarted = replay(again);
    await restarted.start();
    assert.doesNotMatch(restarted.log(), /moving \d+ rows/, "nothing moves twice");
    assert.equal(archivedRows(), archived, "no archive row duplicated");
    await restarted.remove();

    figures["SQLite → PostgreSQL while PostgreSQL is away"] = "refused, SQLite file and note unchanged";
    figures["SQLite → PostgreSQL"] =
      `${report.logins} of ${SHAPE.users} logins, ${report.chatsFound} of ${SHAPE.messages} chats, ${report.roomMessagesFound} of ${SHAPE.roomMessages} room messages, ${report.uploadsIdentical} of ${SHAPE.uploads} uploads byte-identical, rosters, PEP and an invite`;
    figures["a second deploy"] = "same container inputs; no row moved or duplicated";
    observed["rows moved"] = rows;
    observed["seconds from start to serving, with the move"] = Math.round(seconds);
  });

  it("refuses when neither the old nor the new database can be reached, naming both", async () => {
    postgres.down();
    try {
      const elsewhere = replay(await deploy("enterprise", "postgresql", NO_DATABASE_PORT));
      const reason = refused(elsewhere, /neither can be reached/);
      assert.match(reason, /127\.0\.0\.1:25434/);
      assert.match(reason, /127\.0\.0\.1:25499/);
      assert.equal(marker().place.driver, "PostgreSQL");
      figures["neither database reachable"] = "refused, naming both";
    } finally {
      postgres.up();
    }
  });

  it("PostgreSQL → SQLite: the data moves back; a database holding other data is never merged into", async () => {
    const personal = replay(await deploy("personal", "sqlite"));
    await personal.start(undefined, 300_000);
    assert.match(personal.log(), /moving \d+ rows from the PostgreSQL database prosody/);
    assert.equal(marker().place.driver, "SQLite3");
    const report = await checkDataset({ ...dataset, users: [...dataset.users, ...(invitee ? [invitee] : [])] });
    assert.deepEqual(report.missing, []);
    await personal.remove();

    // PostgreSQL still holds the rows the server left there: switching to it again must not merge into them.
    const sqlite = join(dataFolder(), "prosody.sqlite");
    const before = sha256(sqlite);
    const refusal = refused(replay(await deploy("enterprise", "postgresql")), /refusing to merge/);
    assert.match(refusal, /DROP OWNED BY prosody/);
    assert.equal(sha256(sqlite), before);
    assert.ok(
      readdirSync(dataFolder()).some((file) => file.startsWith("prosody.sqlite.moved-to-postgresql-")),
      "the SQLite file of before the first move is still kept",
    );
    figures["PostgreSQL → SQLite"] = `everything back (${report.logins} logins, nothing missing)`;
    figures["into a database holding other data"] = "refused, never merged";
    recordFigure("storage-switch", {
      title: "A switch of storage moves the data",
      done: `The dev stack's Prosody container (Docker platform, replayed with buildah) on the personal tier with SQLite gets ${SHAPE.users} accounts with rosters, ${SHAPE.messages} chats, a persistent room with ${SHAPE.roomMessages} messages, a PEP nickname, ${SHAPE.uploads} uploads and an invite from real clients; then the stack switches to the enterprise tier on PostgreSQL and back, and clients look for everything with the old passwords.`,
      test: __filename,
      figures,
      observed,
    });
  });
});
