/**
 * The image itself: who it runs as, where things live, the entrypoint's refusal
 * of a bad config, and the health check.
 */
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { IMAGE_USER } from "../../components/shared/image";
import { IMAGE, imageRuntime, STORAGE, runInContainer, type Runtime, type Workspace } from "./harness/prosody";
import { PORTS, ServerUnderTest } from "./harness/server";

describe("the Prosody image", function () {
  this.timeout(120_000);
  let runtime: Runtime;
  let workspace: Workspace;

  before(() => {
    runtime = imageRuntime();
    workspace = runtime.workspace();
  });
  after(() => runtime.release(workspace));

  it("runs as the prosody user with Prosody's folders, a health check and the entrypoint", () => {
    const config = JSON.parse(
      execFileSync("buildah", [...STORAGE, "inspect", "--type", "image", IMAGE], { encoding: "utf8" }),
    );
    const docker = config.Docker?.config ?? {};
    assert.equal(docker.User, "prosody");
    assert.deepEqual(docker.Entrypoint, ["/usr/local/bin/prosody-entrypoint"]);
    assert.deepEqual(docker.Healthcheck?.Test, ["CMD", "/usr/local/bin/prosody-healthcheck"]);
    assert.deepEqual(docker.Volumes ?? {}, {}, "no anonymous volumes: platforms mount the data folder");
    const id = runInContainer(workspace, ["id", "-un"]);
    assert.equal(id.stdout.trim(), "prosody");
    const ids =
      runInContainer(workspace, ["id", "-u", "prosody"]).stdout +
      runInContainer(workspace, ["id", "-g", "prosody"]).stdout;
    assert.equal(ids, `${IMAGE_USER.uid}\n${IMAGE_USER.gid}\n`, "the Docker platform chowns the key to these ids");
    const version = runInContainer(workspace, ["prosodyctl", "about"]);
    assert.match(version.stdout, /Prosody 13\./);
  });

  it("refuses to start on a config Prosody rejects, and shows Prosody's message", () => {
    writeFileSync(workspace.config, 'admins = { "admin@example.org"\nVirtualHost "example.org"\n');
    const result = runInContainer(workspace, ["/usr/local/bin/prosody-entrypoint"]);
    assert.equal(result.code, 78, result.stdout + result.stderr);
    assert.match(result.stderr, /prosody\.cfg\.lua/);
    assert.match(result.stderr, /'prosodyctl check config' refused/);
  });

  it("health check: unhealthy with no server, healthy while Prosody serves clients", async () => {
    const down = runInContainer(workspace, ["/usr/local/bin/prosody-healthcheck"], {
      PROSODY_HEALTH_PORT: String(PORTS.c2s),
    });
    assert.equal(down.code, 1);
    const server = new ServerUnderTest(runtime, { domain: "health.e2e.test" });
    try {
      await server.start();
      const up = runInContainer(server.workspace, ["/usr/local/bin/prosody-healthcheck"], {
        PROSODY_HEALTH_PORT: String(PORTS.c2s),
      });
      assert.equal(up.code, 0, up.stderr);
    } finally {
      await server.dispose();
    }
  });
});
