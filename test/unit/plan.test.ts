import { strict as assert } from "node:assert";
import { join } from "node:path";
import { ENV, planDeployment } from "../../src/plan";
import { type DeploymentSpecInput, parseDeploymentSpec } from "../../src/schema";
import { readStackSpec } from "../../src/schema/stack-file";
import { problemsOf } from "../support/problems";

const root = join(__dirname, "..", "..");
const plan = (input: DeploymentSpecInput) => planDeployment(parseDeploymentSpec(input));

describe("planDeployment", () => {
  it("plans the dev stack: one host, MUC and upload components, only the kept database password", () => {
    const dev = planDeployment(readStackSpec("dev", root));
    assert.deepEqual(dev.domains, ["localhost"]);
    assert.deepEqual(
      dev.components.map((c) => [c.kind, c.host, c.module]),
      [
        ["muc", "groups.localhost", "muc"],
        ["upload", "share.localhost", "http_file_share"],
      ],
    );
    assert.deepEqual(dev.certificateNames, ["localhost", "groups.localhost", "share.localhost"]);
    assert.deepEqual(dev.storage, { kind: "sqlite", file: "prosody.sqlite" });
    assert.equal(dev.uploads?.mode, "volume");
    assert.deepEqual(
      dev.environment.map((variable) => [variable.name, variable.secret]),
      [["PROSODY_DB_PASSWORD", true]],
      "read by the storage step alone, after a switch back from PostgreSQL",
    );
    assert.deepEqual(
      dev.listeners.map((l) => [l.name, l.port, l.public]),
      [
        ["c2s", 5222, true],
        ["c2s_direct_tls", 5223, true],
        ["s2s", 5269, true],
        ["https", 5281, true],
        ["http", 5280, false],
      ],
    );
    assert.equal(dev.s2sSecureAuth, false);
  });

  it("plans the prod stack: PostgreSQL, S3 uploads, proxy65, secrets by name, secure s2s", () => {
    const prod = planDeployment(readStackSpec("prod", root));
    assert.deepEqual(prod.storage, { kind: "postgresql", database: "prosody", user: "prosody", port: 5432 });
    assert.deepEqual(prod.uploads, {
      mode: "s3",
      host: "share.example.org",
      sizeLimit: 100 * 1024 * 1024,
      dailyQuota: 1000 * 1024 * 1024,
      expiresAfter: 7 * 86400,
      gateway: { url: "https://share.example.org/", port: 443, downloads: "redirect", credentials: "platform" },
      bucket: { region: "us-east-1", forcePathStyle: false, selfHosted: false, expiryDays: 7 },
    });
    assert.deepEqual(
      prod.environment.map((v) => [v.name, v.secret]),
      [
        [ENV.databaseHost, false],
        [ENV.databasePassword, true],
        [ENV.uploadSecret, true],
      ],
    );
    assert.ok(prod.components.some((c) => c.kind === "proxy65" && c.host === "proxy.example.org"));
    assert.ok(prod.listeners.some((l) => l.name === "proxy65" && l.port === 5000));
    assert.equal(prod.s2sSecureAuth, true);
  });

  it("puts volume uploads in the folder Prosody's datamanager names after the upload host", () => {
    const planned = plan({ domain: "my-chat.example.org" });
    assert.equal(planned.uploads?.folder, "/var/lib/prosody/share%2emy%2dchat%2eexample%2eorg/http_file_share");
    assert.equal(plan({ domain: "example.org", uploads: "s3" }).uploads?.folder, undefined);
  });

  it("plans the upload gateway and its bucket: AWS S3, an S3-compatible server, or MinIO on Docker", () => {
    const aws = plan({ domain: "example.org", platform: "aws", uploads: "s3", upload: { expiresAfter: 36 * 3600 } });
    assert.deepEqual(aws.uploads?.gateway, {
      url: "https://share.example.org/",
      port: 443,
      downloads: "redirect",
      credentials: "platform",
    });
    assert.deepEqual(aws.uploads?.bucket, {
      region: "us-east-1",
      forcePathStyle: false,
      selfHosted: false,
      expiryDays: 2,
    });

    const compatible = plan({
      domain: "example.org",
      uploads: "s3",
      ports: { uploadGateway: 8443 },
      upload: { s3: { endpoint: "https://s3.example.net", region: "garage" } },
    });
    assert.equal(compatible.uploads?.gateway?.url, "https://share.example.org:8443/");
    assert.equal(compatible.uploads?.gateway?.credentials, "keys");
    assert.deepEqual(compatible.uploads?.bucket, {
      name: "prosody-uploads",
      endpoint: "https://s3.example.net",
      region: "garage",
      forcePathStyle: false,
      selfHosted: false,
      expiryDays: 7,
    });

    const minio = plan({ domain: "example.org", uploads: "s3", docker: { minio: true } });
    assert.equal(minio.uploads?.bucket?.selfHosted, true);
    assert.equal(minio.uploads?.bucket?.forcePathStyle, true);
    assert.equal(minio.uploads?.gateway?.downloads, "stream");
    assert.equal(minio.uploads?.gateway?.credentials, "keys");
  });

  it("refuses an upload gateway port that a public listener already has", () => {
    assert.throws(
      () => plan({ domain: "example.org", uploads: "s3", ports: { uploadGateway: 5281 } }),
      /ports\.uploadGateway \(given 5281\): this port is already taken by a public listener \(ports\.https\)/,
    );
    assert.doesNotThrow(
      () => plan({ domain: "example.org", ports: { uploadGateway: 5281 } }),
      "only uploads s3 runs a gateway",
    );
    assert.throws(
      () => plan({ domain: "example.org", uploads: "s3", ports: { s2s: 5222 } }),
      (error: Error) => error.message.split("\n").filter((line) => line.includes("ports.s2s")).length === 1,
      "a clash between listeners is named once, not again by the gateway's check",
    );
  });

  it("refuses an S3 endpoint that is not an http(s) URL", () => {
    assert.throws(
      () => plan({ domain: "example.org", uploads: "s3", upload: { s3: { endpoint: "minio:9000" } } }),
      /upload\.s3\.endpoint \(given "minio:9000"\): not an http\(s\) URL/,
    );
  });

  it("publishes SRV records for every domain and for the MUC host", () => {
    const result = plan({ domain: "example.org", extraDomains: ["example.net"], dns: { ipv4: ["192.0.2.10"] } });
    const srv = result.dns.records.filter((r) => r.type === "SRV").map((r) => `${r.name} ${r.value}`);
    assert.deepEqual(srv, [
      "_xmpp-client._tcp.example.org 0 5 5222 example.org.",
      "_xmpps-client._tcp.example.org 0 5 5223 example.org.",
      "_xmpp-server._tcp.example.org 0 5 5269 example.org.",
      "_xmpp-client._tcp.example.net 0 5 5222 example.org.",
      "_xmpps-client._tcp.example.net 0 5 5223 example.org.",
      "_xmpp-server._tcp.example.net 0 5 5269 example.org.",
      "_xmpp-server._tcp.groups.example.org 0 5 5269 example.org.",
    ]);
    const a = result.dns.records.filter((r) => r.type === "A").map((r) => r.name);
    assert.deepEqual(a, ["example.org", "example.net", "groups.example.org", "share.example.org"]);
  });

  it("a TURN host brings turn_external, its secret, and meets the A/V suite's TURN requirement", () => {
    const without = plan({ domain: "example.org" });
    const withTurn = plan({ domain: "example.org", turn: { host: "turn.example.org" } });
    const turnModule = withTurn.modules.find((m) => m.name === "turn_external");
    assert.equal(turnModule?.via, "setting");
    assert.ok(withTurn.environment.some((v) => v.name === ENV.turnSecret && v.secret));
    const turnMet = (p: typeof without) =>
      p.resolution.compliance.requirements.filter((r) => r.suite === "av" && r.met).length;
    assert.ok(turnMet(withTurn) > turnMet(without));
  });

  it("registration mode switches the modules gated on it", () => {
    const names = (registration: "open" | "invite-only" | "closed") =>
      plan({ domain: "example.org", registration }).modules.map((m) => m.name);
    const open = names("open");
    const invite = names("invite-only");
    const closed = names("closed");
    assert.deepEqual(
      open.filter((name) => !invite.includes(name)),
      ["watchregistrations"],
    );
    assert.deepEqual(
      invite.filter((name) => !closed.includes(name)),
      ["register_ibr", "register_limits"],
    );
  });

  it("rejects clashing host names and ports, naming each field", () => {
    const found = problemsOf(() =>
      plan({
        domain: "example.org",
        extraDomains: ["example.org"],
        hosts: { share: "groups.example.org" },
        ports: { https: 5222 },
      }),
    );
    const fields = found.map((p) => p.field);
    assert.deepEqual(fields, ["extraDomains[0]", "hosts.share", "ports.https"]);
    for (const problem of found) assert.ok(problem.value && problem.fix);
  });

  it("rejects S3 uploads without an upload component", () => {
    const found = problemsOf(() =>
      plan({ domain: "example.org", uploads: "s3", modules: { remove: ["http_file_share"] } }),
    );
    assert.equal(found[0]?.field, "uploads");
  });

  it("rejects bad deployment fields with the value and the fix", () => {
    const found = problemsOf(() =>
      parseDeploymentSpec({
        domain: "Example.org",
        admins: ["not a jid"],
        archive: { expiresAfter: "forever" },
        interfaces: ["0.0.0.0:5222"],
        contact: { abuse: ["javascript:alert(1)"] },
        http: { externalUrl: "http://insecure.example/" },
      }),
    );
    const byField = Object.fromEntries(found.map((p) => [p.field, p]));
    assert.equal(byField["domain"]?.value, '"Example.org"');
    assert.match(byField["domain"]?.fix ?? "", /write "example\.org"/);
    assert.match(byField["admins[0]"]?.message ?? "", /bare JID/);
    assert.match(byField["archive.expiresAfter"]?.fix ?? "", /never/);
    assert.ok(byField["interfaces[0]"]);
    assert.ok(byField["contact.abuse[0]"]);
    assert.match(byField["http.externalUrl"]?.message ?? "", /https/);
  });

  it("is deterministic: the same spec gives the same plan", () => {
    const input = { domain: "example.org", tier: "community" as const, turn: { host: "turn.example.org" } };
    assert.equal(JSON.stringify(plan(input)), JSON.stringify(plan(structuredClone(input))));
  });
});
