/**
 * Faults on our image's Prosody 13 while a client with stream management
 * (XEP-0198) sends: a SIGKILL (with SQLite and with real PostgreSQL), a
 * PostgreSQL that is down when Prosody starts, and one restarted under it.
 * What the server acknowledged and did not bounce must be in the recipient's
 * archive afterwards.
 */
import { strict as assert } from "node:assert";
import { randomBytes } from "node:crypto";
import { PROSODY_HEALTH_COMMAND, PROSODY_VARIABLES } from "../../src/containers/images";
import { recordFigure } from "../support/figures";
import { ChatSender, SEND_INTERVAL_MS, STREAM_MANAGEMENT } from "./harness/chat-sender";
import { type Postgres, startPostgres } from "./harness/postgres";
import { imageRuntime, runInContainer, type Runtime } from "./harness/prosody";
import { PORTS, ServerUnderTest } from "./harness/server";
import { archivedBodies, login, type Session } from "./harness/xmpp";

const DOMAIN = "chat.e2e.test";
const POSTGRES_PORT = 25433;
const ACKED_BEFORE_KILL = 1000;
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
    for (const session of sessions.splice(0)) await session.close();
    await server?.dispose();
    server = undefined;
  });

  async function serve(storage: "sqlite" | "postgresql", start = true): Promise<ServerUnderTest> {
    if (storage === "postgresql") postgres.query("DROP OWNED BY prosody");
    server = new ServerUnderTest(
      runtime,
      { domain: DOMAIN, tier: "community", storage },
      storage === "postgresql" ? postgres : undefined,
    );
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
});
