/**
 * Every tier, with SQLite and with PostgreSQL, on Prosody 13 (our image) and
 * Prosody 0.12 (Debian bookworm): the rendered file passes Prosody's own checks,
 * the server starts, a real client logs in with SCRAM over STARTTLS, sees exactly
 * what the plan claims, archives survive SIGKILL, and uploads round-trip.
 */
import { strict as assert } from "node:assert";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Suite } from "../../src/catalog/compliance-suites";
import { TIERS } from "../../src/catalog/tiers";
import { expectedAdvertisements } from "../../src/plan";
import { fetchLoopback } from "../support/http";
import { type Postgres, startPostgres } from "./harness/postgres";
import { hostRuntime, imageRuntime, type Runtime } from "./harness/prosody";
import { PORTS, ServerUnderTest } from "./harness/server";
import { archivedBodies, discoInfo, login, requestSlot, sendChat, type Session } from "./harness/xmpp";

const DOMAIN = "chat.e2e.test";
const UPLOAD_LIMIT = 1024 * 1024;
const POSTGRES_PORT = 25432;

/** `prosodyctl check features` (13) groups what it checks under these names; each belongs to one XEP-0479 suite. */
const FEATURE_SUITES: Record<string, Suite> = {
  "Basic functionality": "core",
  "Multi-device messaging and data synchronization": "im",
  "Mobile optimizations": "mobile",
  "Web connections": "web",
  "User profiles": "im",
  Blocking: "im",
  "Push notifications": "mobile",
  "Audio/video calls and P2P": "av",
  "File sharing": "im",
  "Group chats": "im",
};

function missingFeatures(output: string): string[] {
  return [...output.matchAll(/^\t\(!\)\t(.+)$/gm)].map((match) => (match[1] ?? "").trim());
}

async function advertised(server: ServerUnderTest, session: Session, where: string, feature: string): Promise<boolean> {
  const component = (kind: string) => server.plan.components.find((c) => c.kind === kind)?.host;
  switch (where) {
    case "stream":
      return session.streamFeatures.has(feature);
    case "https":
    case "http": {
      const port = where === "https" ? PORTS.https : PORTS.http;
      const response = await fetchLoopback(`${where}://${server.domain}:${port}${feature}`);
      return response.status !== 404;
    }
    default: {
      const jid =
        where === "server" ? server.domain : where === "account" ? `alice@${server.domain}` : component(where);
      if (jid === undefined) return false;
      const info = await discoInfo(session, jid);
      return feature.startsWith("form:") ? info.forms.has(feature.slice(5)) : info.features.has(feature);
    }
  }
}

/** Logs in, and on failure shows what Prosody said. */
async function loginTo(server: ServerUnderTest, user: string): Promise<Session> {
  try {
    return await login(DOMAIN, user, `${user}-password`);
  } catch (error) {
    throw new Error(`${(error as Error).message}\nProsody's log:\n${server.log().slice(-4000)}`, { cause: error });
  }
}

const runtimes: [string, () => Runtime][] = [
  ["Prosody 13 (our image)", imageRuntime],
  ["Prosody 0.12 (Debian bookworm)", hostRuntime],
];

for (const [runtimeName, makeRuntime] of runtimes) {
  describe(runtimeName, function () {
    let runtime: Runtime;
    let postgres: Postgres;

    before(function () {
      this.timeout(300_000);
      runtime = makeRuntime();
      postgres = startPostgres(POSTGRES_PORT);
    });
    after(() => postgres?.stop());

    for (const tier of TIERS) {
      for (const storage of ["sqlite", "postgresql"] as const) {
        describe(`${tier} tier, ${storage}`, function () {
          this.timeout(180_000);
          let server: ServerUnderTest;
          let alice: Session;
          let bob: Session;
          const token = randomBytes(6).toString("hex");

          before(async function () {
            if (storage === "postgresql") postgres.query("DROP OWNED BY prosody");
            server = new ServerUnderTest(
              runtime,
              {
                domain: DOMAIN,
                tier,
                storage,
                admins: [`admin@${DOMAIN}`],
                upload: { sizeLimit: UPLOAD_LIMIT },
              },
              storage === "postgresql" ? postgres : undefined,
            );
          });
          after(async () => {
            await alice?.close();
            await bob?.close();
            await server?.dispose();
          });

          it("passes prosodyctl check config", () => {
            const result = server.prosodyctl("check", "config");
            assert.equal(result.code, 0, result.output);
            assert.match(result.output, /All checks passed/);
          });

          if (makeRuntime === imageRuntime) {
            it("check features reports nothing missing that the tier claims", () => {
              const result = server.prosodyctl("check", "features");
              const claimed = new Set(
                server.plan.resolution.compliance.suites.filter((s) => s.advanced.met).map((s) => s.suite),
              );
              for (const feature of missingFeatures(result.output)) {
                const suite = FEATURE_SUITES[feature];
                assert.ok(suite, `check features names an unknown group "${feature}"; map it in FEATURE_SUITES`);
                assert.ok(
                  !claimed.has(suite),
                  `Prosody misses "${feature}" (${suite}), which the plan claims:\n${result.output}`,
                );
              }
            });
          }

          it("starts, and a client logs in with SCRAM over STARTTLS", async () => {
            server.register("alice", "alice-password");
            server.register("bob", "bob-password");
            await server.start();
            alice = await loginTo(server, "alice");
            bob = await loginTo(server, "bob");
            assert.match(alice.mechanism ?? "", /^SCRAM-SHA-/);
            assert.ok(alice.streamFeatures.has("urn:ietf:params:xml:ns:xmpp-tls"), "STARTTLS offered");
          });

          it("loads every module without an error (mimicking's ICU and the SQL drivers included)", () => {
            const errors = server
              .log()
              .split("\n")
              .filter((line) => /^\S+\s+error\s/.test(line));
            assert.deepEqual(errors, []);
          });

          it("advertises exactly what the plan loads", async () => {
            const wrong: string[] = [];
            for (const entry of expectedAdvertisements(server.plan)) {
              const seen = await advertised(server, alice, entry.where, entry.feature);
              if (seen !== entry.expected) {
                wrong.push(
                  `${entry.module} → ${entry.where} ${entry.feature}: expected ${entry.expected}, seen ${seen}`,
                );
              }
            }
            assert.deepEqual(wrong, []);
          });

          it("archives messages, and keeps them through SIGKILL", async () => {
            const bodies = Array.from({ length: 5 }, (_, index) => `message ${index} ${token}`);
            for (const body of bodies) await sendChat(alice, `bob@${DOMAIN}`, body);
            await new Promise((resolve) => setTimeout(resolve, 1000));
            assert.deepEqual(await archivedBodies(bob, `alice@${DOMAIN}`), bodies);
            const sqliteFile = existsSync(join(server.workspace.data, "prosody.sqlite"));
            assert.equal(
              sqliteFile,
              storage === "sqlite",
              "SQLite data lives in the mounted data folder, and only with sqlite",
            );
            if (storage === "postgresql") {
              const rows = postgres.query(
                `SELECT count(*) FROM prosodyarchive WHERE store = 'archive' AND value LIKE '%${token}%'`,
              );
              assert.equal(rows.trim(), "10", "both archives (sender and recipient) hold the 5 messages in PostgreSQL");
            }
            await alice.close();
            await bob.close();
            await server.kill9();
            await server.start();
            bob = await loginTo(server, "bob");
            alice = await loginTo(server, "alice");
            assert.deepEqual(await archivedBodies(bob, `alice@${DOMAIN}`), bodies);
          });

          it("uploads over HTTPS and serves the same bytes; refuses an oversize request", async () => {
            const share = server.plan.components.find((c) => c.kind === "upload")?.host;
            assert.ok(share);
            const content = randomBytes(200 * 1024);
            const slot = await requestSlot(alice, share, `photo-${token}.jpg`, content.length, "image/jpeg");
            assert.ok(slot.put.startsWith(`https://${share}:${PORTS.https}/`), slot.put);
            const put = await fetchLoopback(slot.put, {
              method: "PUT",
              headers: { ...slot.headers, "content-type": "image/jpeg", "content-length": String(content.length) },
              body: content,
            });
            assert.ok(put.status === 201 || put.status === 200, `PUT returned ${put.status}: ${put.body.toString()}`);
            const get = await fetchLoopback(slot.get);
            assert.equal(get.status, 200);
            assert.ok(get.body.equals(content), "GET returns the uploaded bytes");
            await assert.rejects(
              requestSlot(alice, share, "huge.bin", UPLOAD_LIMIT + 1, "application/octet-stream"),
              (error: { condition?: string; element?: object }) =>
                error.condition === "not-acceptable" && String(error.element).includes("file-too-large"),
            );
          });
        });
      }
    }
  });
}
