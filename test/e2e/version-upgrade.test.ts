/**
 * A server moves from Prosody 0.12 to 13 with its data: Debian bookworm's
 * Prosody 0.12 serves a community-tier spec and real clients fill it; then our
 * image's Prosody 13, rendered from the same spec for 13, starts on the same
 * data folder (and the same PostgreSQL) through the entrypoint's storage step,
 * and the clients find everything with their old passwords. Once 13 has used
 * the data, the step refuses to hand it back to 0.12.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { recordFigure } from "../support/figures";
import { checkDataset, datasetUsers, fillDataset } from "./harness/dataset";
import { type Postgres, startPostgres } from "./harness/postgres";
import { hostRuntime, imageRuntime, runInContainer } from "./harness/prosody";
import { ServerUnderTest } from "./harness/server";

const DOMAIN = "chat.e2e.test";
const POSTGRES_PORT = 25435;
const SHAPE = { users: 3, messages: 90, roomMessages: 5, uploads: 2 };
const MARKER = "prosody-stack-storage.json";
const IMAGE_FOLDER = join(__dirname, "..", "..", "image");

describe("Prosody 0.12's data taken over by Prosody 13 (the image's storage step)", function () {
  this.timeout(600_000);
  let postgres: Postgres;
  const servers: ServerUnderTest[] = [];
  const figures: Record<string, string> = {};

  before(() => {
    postgres = startPostgres(POSTGRES_PORT);
  });
  after(async () => {
    for (const server of servers) await server.dispose().catch(() => undefined);
    postgres?.stop();
  });

  for (const storage of ["sqlite", "postgresql"] as const) {
    it(`${storage}: every account, chat, room, PEP item and upload of the 0.12 server is there on 13`, async () => {
      if (storage === "postgresql") postgres.query("DROP OWNED BY prosody");
      const spec = { domain: DOMAIN, tier: "community" as const, storage };
      const database = storage === "postgresql" ? postgres : undefined;
      const old = new ServerUnderTest(hostRuntime(), spec, database);
      servers.push(old);
      const users = datasetUsers(SHAPE.users);
      for (const user of users) old.register(user.name, user.password);
      await old.start();
      const dataset = await fillDataset(DOMAIN, `groups.${DOMAIN}`, `share.${DOMAIN}`, users, SHAPE);
      await old.stop();

      const next = new ServerUnderTest(imageRuntime(), spec, database);
      servers.push(next);
      const copied = spawnSync("sh", [
        "-c",
        `cp -a "$0"/. "$1"/ && chown -R "$2" "$1"`,
        old.workspace.data,
        next.workspace.data,
        next.workspace.owner,
      ]);
      assert.equal(copied.status, 0, String(copied.stderr));
      await next.start();
      const report = await checkDataset(dataset);
      assert.deepEqual(report.missing, []);
      const marker = JSON.parse(readFileSync(join(next.workspace.data, MARKER), "utf8")) as { prosody: string };
      assert.match(marker.prosody, /^13\./, "the note says Prosody 13 uses the data now");
      const errors = next
        .log()
        .split("\n")
        .filter((line) => /^\S+\s+error\s/.test(line));
      assert.deepEqual(errors, []);
      // 0.12's tables get 13's unique index when 13 loads them (mod_storage_sql's own upgrade; its
      // `prosodyctl mod_storage_sql upgrade` changes only MySQL): the map stores' upserts need it.
      const indexQuery =
        storage === "postgresql"
          ? "SELECT indexname FROM pg_indexes WHERE tablename = 'prosody'"
          : "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'prosody'";
      const indexes =
        storage === "postgresql"
          ? postgres.query(indexQuery)
          : String(
              runInContainer(next.workspace, [
                "lua5.4",
                "-e",
                `local DBI = require "DBI"; local db = assert(DBI.Connect("SQLite3", "/var/lib/prosody/prosody.sqlite")); local st = assert(db:prepare(${JSON.stringify(indexQuery)})); assert(st:execute()); for row in st:rows() do print(row[1]) end`,
              ]).stdout,
            );
      assert.match(indexes, /^prosody_unique_index$/m);
      assert.doesNotMatch(indexes, /^prosody_index$/m, "0.12's index is gone");
      await next.stop();

      // Back to 0.12 on data 13 has used: Debian's 0.12 with our module refuses, naming the version.
      writeFileSync(join(old.workspace.data, MARKER), readFileSync(join(next.workspace.data, MARKER)));
      // The module is copied next to the config: the checkout may sit where Prosody's user cannot read.
      const plugins = join(old.workspace.root, "plugins");
      mkdirSync(plugins);
      copyFileSync(join(IMAGE_FOLDER, "mod_stack_storage.lua"), join(plugins, "mod_stack_storage.lua"));
      const config = join(old.workspace.root, "with-our-module.cfg.lua");
      writeFileSync(config, `plugin_paths = { ${JSON.stringify(plugins)} }\n${old.config}`);
      const downgrade = spawnSync(
        "runuser",
        ["-u", "prosody", "--", "env", ...Object.entries(old.environment()).map(([k, v]) => `${k}=${v}`)].concat([
          "prosodyctl",
          "--config",
          config,
          "mod_stack_storage",
          "ensure",
        ]),
        { encoding: "utf8" },
      );
      assert.equal(downgrade.status, 1, `${downgrade.stdout}${downgrade.stderr}`);
      assert.match(
        downgrade.stderr,
        /last used by Prosody 13\.\S+, which Prosody 0\.12\.\S+ may not read/,
        `stdout: ${downgrade.stdout}\nstderr: ${downgrade.stderr}`,
      );
      figures[storage] =
        `${report.logins} logins, ${report.chatsFound} of ${SHAPE.messages} chats, ${report.roomMessagesFound} of ${SHAPE.roomMessages} room messages, ${report.uploadsIdentical} of ${SHAPE.uploads} uploads, rosters and PEP; no error in 13's log`;
    });
  }

  it("records the figure", () => {
    assert.equal(Object.keys(figures).length, 2, "both storages ran");
    recordFigure("upgrade-0.12-to-13", {
      title: "Prosody 0.12's data on Prosody 13",
      done: `Debian bookworm's Prosody 0.12 serves the community tier; clients make ${SHAPE.users} accounts with rosters, ${SHAPE.messages} chats, a persistent room with ${SHAPE.roomMessages} messages, a PEP nickname and ${SHAPE.uploads} uploads. Our image's Prosody 13 then starts on the same data through the entrypoint's storage step, and the clients look for everything; then 0.12 is started on the data 13 used.`,
      test: __filename,
      figures: {
        ...figures,
        "0.12 on data 13 has used": "refused by the storage step, naming both versions",
      },
    });
  });
});
