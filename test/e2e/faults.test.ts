/**
 * Faults on our image's Prosody 13 while a client with stream management
 * (XEP-0198) sends: a SIGKILL (with SQLite and with real PostgreSQL), a
 * PostgreSQL that is down when Prosody starts, one restarted under it, and a
 * full disk under SQLite.
 * What the server acknowledged and did not bounce must be in the recipient's
 * archive afterwards.
 */
import { strict as assert } from "node:assert";
import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { PROSODY_HEALTH_COMMAND, PROSODY_VARIABLES } from "../../image/contract";
import { recordFigure } from "../support/figures";
import { ChatSender, SEND_INTERVAL_MS, STREAM_MANAGEMENT } from "./harness/chat-sender";
import { type Postgres, startPostgres } from "./harness/postgres";
import { imageRuntime, runInContainer, type Runtime } from "./harness/prosody";
import { PORTS, ServerUnderTest } from "./harness/server";
import { archivedBodies, login, type Session } from "./harness/xmpp";

const DOMAIN = "chat.e2e.test";
const POSTGRES_PORT = 25433;
const ACKED_BEFORE_KILL = 1000;
/** the size of the data volume in the disk-full fault: room for the database, then filled up */
const SMALL_VOLUME = "32m";
/** how long PostgreSQL stays away in the database faults */
const DATABASE_AWAY_MS = 30_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function archiveOf(user: string, from: string): Promise<Set<string>> {
  const session = await login(DOMAIN, user, `${user}-password`);
  try {
    return new Set(await archivedBodies(session, `${from}@${DOMAIN}`));
  } finally {
    await session.close();
  }
}

/** Logs in again and again until it works; resolves with the ms it took, rejects after `timeoutMs`. */
async function firstLogin(user: string, timeoutMs: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    try {
      const session = await login(DOMAIN, user, `${user}-password`);
      await session.close();
      return Date.now() - started;
    } catch (error) {
      if (Date.now() - started > timeoutMs) throw error;
      await sleep(1000);
    }
  }
}

describe("faults on Prosody 13 (our image)", function () {
  this.timeout(300_000);
  let runtime: Runtime;
  let postgres: Postgres;
  let server: ServerUnderTest | undefined;
  const sessions: Session[] = [];

  before(() => {
    runtime = imageRuntime();
    postgres = startPostgres(POSTGRES_PORT);
  });
  after(() => postgres?.stop());
  afterEach(async () => {
    // A session the fault cut is left alone: xmpp.js's stop() on a dead socket throws outside any promise.
    for (const session of sessions.splice(0)) if (session.xmpp.status === "online") await session.close();
    await server?.dispose();
    server = undefined;
  });

  /** `prepare` runs before the accounts are made (e.g. to mount the data folder) */
  async function serve(
    storage: "sqlite" | "postgresql",
    start = true,
    prepare: (server: ServerUnderTest) => void = () => undefined,
  ): Promise<ServerUnderTest> {
    if (storage === "postgresql") postgres.query("DROP OWNED BY prosody");
    server = new ServerUnderTest(
      runtime,
      { domain: DOMAIN, tier: "community", storage },
      storage === "postgresql" ? postgres : undefined,
    );
    prepare(server);
    server.register("alice", "alice-password");
    server.register("bob", "bob-password");
    if (start) await server.start();
    return server;
  }

  async function aliceSending(token: string): Promise<ChatSender> {
    const alice = await login(DOMAIN, "alice", "alice-password");
    sessions.push(alice);
    assert.ok(alice.streamFeatures.has(STREAM_MANAGEMENT), "the server offers stream management");
    return new ChatSender(alice, `bob@${DOMAIN}`, token);
  }

  const crashes: Record<string, string> = {};
  const crashesObserved: Record<string, string> = {};
  after(() => {
    if (Object.keys(crashes).length !== 2) return;
    recordFigure("crash-under-load", {
      title: "SIGKILL while a client sends",
      done: `A client with stream management (XEP-0198) sends chats to an offline user, one every ${SEND_INTERVAL_MS} ms, asking for acks as it goes. When the server has acknowledged ${ACKED_BEFORE_KILL}, Prosody gets SIGKILL while the client still sends. Prosody starts again on the same data and the recipient reads its archive (XEP-0313).`,
      test: __filename,
      figures: crashes,
      observed: crashesObserved,
    });
  });

  for (const storage of ["sqlite", "postgresql"] as const) {
    it(`${storage}: loses none of ${ACKED_BEFORE_KILL} acknowledged messages to a SIGKILL mid-stream`, async () => {
      const running = await serve(storage);
      const sender = await aliceSending(randomBytes(4).toString("hex"));
      await sender.ackedAtLeast(ACKED_BEFORE_KILL);
      await running.kill9();
      await sender.stop();
      assert.ok(sender.sent > sender.acked.size, "the kill came while messages were still unacknowledged");
      await running.start();
      const archived = await archiveOf("bob", "alice");
      const lost = sender.lostFrom(archived);
      crashes[`${storage}: acknowledged messages lost`] = `${lost.length} (at least ${ACKED_BEFORE_KILL} acknowledged)`;
      crashesObserved[storage] = `${sender.sent} sent, ${sender.acked.size} acknowledged, ${archived.size} archived`;
      assert.deepEqual(lost.slice(0, 10), [], `${lost.length} acknowledged messages are not in the archive`);
    });
  }

  it("PostgreSQL down at start: Prosody stays up and serves logins once it is back, with no restart", async () => {
    const running = await serve("postgresql", false);
    postgres.down();
    try {
      await running.start();
      const health = runInContainer(running.workspace, PROSODY_HEALTH_COMMAND, {
        [PROSODY_VARIABLES.healthPort]: String(PORTS.c2s),
      });
      await assert.rejects(login(DOMAIN, "alice", "alice-password"), "a login worked without its database");
      await sleep(DATABASE_AWAY_MS);
      assert.ok(running.isRunning(), `Prosody exited while PostgreSQL was down:\n${running.log().slice(-3000)}`);
      postgres.up();
      const recoveryMs = await firstLogin("alice", 60_000);
      assert.ok(running.isRunning(), "Prosody was restarted");
      const sender = await aliceSending(randomBytes(4).toString("hex"));
      await sender.ackedAtLeast(50);
      await sender.stop();
      const lost = sender.lostFrom(await archiveOf("bob", "alice"));
      assert.deepEqual(lost, []);
      recordFigure("database-late", {
        title: "PostgreSQL down when Prosody starts",
        done: `PostgreSQL is stopped before Prosody starts and started ${DATABASE_AWAY_MS / 1000} s later. The image's health command runs while it is away; a client then logs in and sends.`,
        test: __filename,
        figures: {
          "Prosody while the database is away": "keeps running, refuses logins",
          "health command while the database is away": health.code === 0 ? "healthy" : `unhealthy (${health.code})`,
          "after the database is back": "logins work with no restart; messages archived",
        },
        observed: { "first login after the database was back (ms)": recoveryMs },
      });
    } finally {
      postgres.up();
    }
  });

  it("PostgreSQL restarted under a sending client: nothing acknowledged is lost, and Prosody serves again", async () => {
    const running = await serve("postgresql");
    const sender = await aliceSending(randomBytes(4).toString("hex"));
    await sender.ackedAtLeast(200);
    postgres.down();
    await sleep(5_000);
    const ackedWhileDown = sender.acked.size;
    postgres.up();
    // Prosody either goes on acknowledging, or exits and is restarted by the platform's restart policy.
    const afterwards = await Promise.race([
      sender.ackedAtLeast(ackedWhileDown + 400).then(() => undefined),
      running.exited(),
    ]);
    await sender.stop();
    const exited = afterwards !== undefined;
    if (exited) {
      assert.notEqual(afterwards, 0, "Prosody exited with 0, which an on-failure restart policy would not restart");
      await running.stop();
      await running.start();
      const again = await aliceSending(randomBytes(4).toString("hex"));
      await again.ackedAtLeast(50);
      await again.stop();
    }
    const archived = await archiveOf("bob", "alice");
    const lost = sender.lostFrom(archived);
    recordFigure("database-restart", {
      title: "PostgreSQL restarted while Prosody runs",
      done: "A client with stream management sends chats to an offline user; PostgreSQL is stopped (fast shutdown) for 5 s and started again while it sends. Where Prosody exits, the test restarts it as every platform's restart policy does (Docker `unless-stopped`, an ECS service replacing its task, a Kubernetes Deployment's `restartPolicy: Always`), and the client logs in again. Then the recipient reads its archive.",
      test: __filename,
      figures: { "acknowledged messages lost (neither archived nor returned as errors)": lost.length },
      observed: {
        "Prosody after the database was back": exited
          ? `exited with code ${afterwards} after reconnecting, and was restarted`
          : "went on serving",
        sent: sender.sent,
        acknowledged: sender.acked.size,
        "returned as errors": sender.bounced.size,
        archived: archived.size,
      },
    });
    assert.deepEqual(lost.slice(0, 10), [], `${lost.length} acknowledged messages are neither archived nor bounced`);
  });

  it("SQLite on a full disk: writes fail with errors in the log, the database stays sound, and works once there is room", async () => {
    let data = "";
    try {
      const running = await serve("sqlite", false, (fresh) => {
        data = fresh.workspace.data;
        const [uid, gid] = fresh.workspace.owner.split(":");
        execFileSync("mount", [
          "-t",
          "tmpfs",
          "-o",
          `size=${SMALL_VOLUME},mode=0755,uid=${uid},gid=${gid}`,
          "tmpfs",
          data,
        ]);
      });
      await running.start();
      const filler = join(data, "filler");
      // dd stops with "No space left on device": that is the point.
      spawnSync("dd", ["if=/dev/zero", `of=${filler}`, "bs=64k"], { stdio: "ignore" });
      const whileFull = await aliceSending(randomBytes(4).toString("hex"));
      await whileFull.ackedAtLeast(200);
      await whileFull.stop();
      const errors = running
        .log()
        .split("\n")
        .filter((line) => /\berror\b/.test(line) && /disk is full|database or disk is full|No space left/i.test(line));
      assert.ok(errors.length > 0, `no error about the full disk in Prosody's log:\n${running.log().slice(-3000)}`);

      execFileSync("rm", ["-f", filler]);
      // The check reads a live database, as an admin's would: it waits for a lock Prosody holds for a moment
      // (LuaDBI sets no busy timeout, so without one a read that meets a write is "database is locked" at once).
      const integrity = runInContainer(running.workspace, [
        "lua5.4",
        "-e",
        [
          'local DBI = require "DBI"',
          'local db = assert(DBI.Connect("SQLite3", "/var/lib/prosody/prosody.sqlite"))',
          "local function query(sql) local st = assert(db:prepare(sql)); assert(st:execute()); return st end",
          "query('PRAGMA busy_timeout = 30000')",
          "for row in query('PRAGMA integrity_check'):rows() do print(row[1]) end",
        ].join("; "),
      ]);
      assert.equal(integrity.stdout.trim(), "ok", integrity.stdout + integrity.stderr);
      const afterwards = await aliceSending(randomBytes(4).toString("hex"));
      await afterwards.ackedAtLeast(100);
      await afterwards.stop();
      const archived = await archiveOf("bob", "alice");
      const lostAfterwards = afterwards.lostFrom(archived);
      const lostWhileFull = whileFull.lostFrom(archived);
      recordFigure("disk-full", {
        title: "SQLite on a full disk",
        done: `Prosody runs on SQLite with its data folder on a ${SMALL_VOLUME.replace("m", " MiB")} tmpfs, which dd then fills; a client with stream management sends to an offline user. Then the filler is removed, SQLite's integrity check runs and the client sends again.`,
        test: __filename,
        figures: {
          "errors in the log while full": "yes (SQLite: database or disk is full)",
          "PRAGMA integrity_check after freeing": integrity.stdout.trim(),
          "acknowledged messages lost once there is room again": lostAfterwards.length,
        },
        observed: {
          "while full: sent": whileFull.sent,
          acknowledged: whileFull.acked.size,
          "returned as errors": whileFull.bounced.size,
          "acknowledged, not returned and not archived": lostWhileFull.length,
          "error lines": errors.length,
        },
      });
      assert.deepEqual(lostAfterwards, []);
    } finally {
      await server?.stop();
      if (data) spawnSync("umount", ["-l", data], { stdio: "ignore" });
    }
  });
});
