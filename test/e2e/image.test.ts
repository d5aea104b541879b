/**
 * The images themselves: who they run as, where things live, the entrypoint's
 * refusal of a bad config, and the health check.
 */
import { strict as assert } from "node:assert";
import { execFileSync, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { GATEWAY_USER } from "../../gateway/src/contract";
import { PROSODY_USER } from "../../image/contract";
import { GATEWAY_IMAGE } from "./harness/docker-replay";
import {
  buildahRunArgs,
  IMAGE,
  imageRuntime,
  STORAGE,
  runInContainer,
  type Runtime,
  type Workspace,
} from "./harness/prosody";
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
    assert.equal(ids, `${PROSODY_USER.uid}\n${PROSODY_USER.gid}\n`, "the Docker platform chowns the key to these ids");
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

  it("refuses half a TLS pair or a file name with a path from the environment (Fargate's hand-over)", () => {
    const half = runInContainer(workspace, ["/usr/local/bin/prosody-entrypoint"], {
      PROSODY_TLS_CERTIFICATE: "-----BEGIN CERTIFICATE-----",
      PROSODY_TLS_NAME: "example.org",
    });
    assert.equal(half.code, 78, half.stdout + half.stderr);
    assert.match(half.stderr, /PROSODY_TLS_CERTIFICATE and PROSODY_TLS_KEY come together/);
    const escape = runInContainer(workspace, ["/usr/local/bin/prosody-entrypoint"], {
      PROSODY_TLS_CERTIFICATE: "cert",
      PROSODY_TLS_KEY: "key",
      PROSODY_TLS_NAME: "../../tmp/x",
    });
    assert.equal(escape.code, 78, escape.stdout + escape.stderr);
    assert.match(escape.stderr, /PROSODY_TLS_NAME \('\.\.\/\.\.\/tmp\/x'\) must be a host name/);
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

describe("the upload gateway image", function () {
  this.timeout(120_000);
  let container: string;
  const run = (command: readonly string[], env: Record<string, string> = {}) => {
    const result = spawnSync("buildah", buildahRunArgs(container, [], env, command, String(GATEWAY_USER.uid)), {
      encoding: "utf8",
    });
    return { code: result.status, output: `${result.stdout}${result.stderr}` };
  };

  before(() => {
    container = execFileSync("buildah", [...STORAGE, "from", GATEWAY_IMAGE.name], { encoding: "utf8" }).trim();
  });
  after(() => spawnSync("buildah", [...STORAGE, "rm", container], { stdio: "ignore" }));

  it("runs the bundle with Debian's Node.js as an unprivileged user, with a health check", () => {
    const config = JSON.parse(
      execFileSync("buildah", [...STORAGE, "inspect", "--type", "image", GATEWAY_IMAGE.name], { encoding: "utf8" }),
    );
    const docker = config.Docker?.config ?? {};
    assert.equal(docker.User, `${GATEWAY_USER.uid}:${GATEWAY_USER.gid}`);
    assert.deepEqual(docker.Entrypoint, GATEWAY_IMAGE.entrypoint);
    assert.deepEqual(docker.Healthcheck?.Test, ["CMD", "node", "/opt/upload-gateway/gateway.js", "--health"]);
    assert.match(run(["node", "--version"]).output, /^v(2[0-9])\./);
    assert.equal(run(["id", "-u"]).output.trim(), String(GATEWAY_USER.uid));
  });

  it("refuses a bad configuration with exit 78, naming each variable and the fix, and no secret", () => {
    const refused = run(GATEWAY_IMAGE.entrypoint, { GATEWAY_SECRET: "tiny-secret", GATEWAY_DOWNLOAD_MODE: "proxy" });
    assert.equal(refused.code, 78, refused.output);
    assert.match(refused.output, /S3_BUCKET/);
    assert.match(refused.output, /GATEWAY_DOWNLOAD_MODE \(given "proxy"\)/);
    assert.match(refused.output, /GATEWAY_SECRET \(given \[secret\]\): is 11 bytes long/);
    assert.doesNotMatch(refused.output, /tiny-secret/);
  });

  it("reports unhealthy, saying why, when nothing answers", () => {
    const health = run([...GATEWAY_IMAGE.entrypoint, "--health"], {
      GATEWAY_SECRET: "a-secret-long-enough-123",
      S3_BUCKET: "uploads",
      GATEWAY_PORT: "25999",
    });
    assert.equal(health.code, 1);
    assert.match(health.output, /does not answer on port 25999/);
  });
});
