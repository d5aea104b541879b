import { strict as assert } from "node:assert";
import { join } from "node:path";
import { planDeployment } from "../../src/plan";
import { renderArtifacts, renderProsodyConfig } from "../../src/render";
import { type DeploymentSpecInput, parseDeploymentSpec } from "../../src/schema";
import { readStackSpec } from "../../src/schema/stack-file";
import { findModule } from "../../src/catalog";

const root = join(__dirname, "..", "..");
const render = (input: DeploymentSpecInput) => renderProsodyConfig(planDeployment(parseDeploymentSpec(input)));
const enabledModules = (config: string): string[] =>
  [...config.matchAll(/^\s*"([a-z0-9_]+)"; --/gm)].map((match) => match[1] ?? "");

describe("prosody.cfg.lua renderer", () => {
  const dev = renderProsodyConfig(planDeployment(readStackSpec("dev", root)));
  const prod = renderProsodyConfig(planDeployment(readStackSpec("prod", root)));

  it("writes the hosts, components and the settings every server needs", () => {
    for (const line of [
      'VirtualHost "localhost"',
      'Component "groups.localhost" "muc"',
      'Component "share.localhost" "http_file_share"',
      'authentication = "internal_hashed"',
      "c2s_require_encryption = true",
      "s2s_require_encryption = true",
      "s2s_secure_auth = false",
      'ssl = {\n\tprotocol = "tlsv1_2+";\n}',
      'certificates = "/etc/prosody/certs"',
      'data_path = "/var/lib/prosody"',
      'storage = "sql"',
      'sql = {\n\tdriver = "SQLite3";\n\tdatabase = "prosody.sqlite";\n}',
      "c2s_direct_tls_ports = { 5223 }",
      'archive_expires_after = "1w"',
      "http_file_share_size_limit = 104857600",
      'to = "console";',
    ]) {
      assert.ok(dev.includes(line), `missing ${JSON.stringify(line)}`);
    }
  });

  it("tunes SQLite for WAL on Prosody 13 only, where mod_storage_sql reads sqlite_tune", () => {
    const tuned = (input: Partial<DeploymentSpecInput>) =>
      render({ domain: "example.org", ...input }).includes('sqlite_tune = "normal"');
    assert.equal(tuned({ storage: "sqlite", prosodyVersion: "13" }), true);
    assert.equal(tuned({ storage: "sqlite", prosodyVersion: "0.12" }), false);
    assert.equal(tuned({ storage: "postgresql", prosodyVersion: "13" }), false);
  });

  it("keeps 10,000 users' blocklists in memory wherever mod_blocklist is loaded", () => {
    assert.match(render({ domain: "example.org" }), /^blocklist_cache_size = 10000$/m);
    const without = render({
      domain: "example.org",
      features: { security: false },
      modules: { remove: ["blocklist"] },
    });
    assert.doesNotMatch(without, /blocklist_cache_size/);
  });

  it("reads every secret from the environment and never writes one", () => {
    assert.doesNotMatch(dev, /ENV_[A-Z]/, "the dev stack needs no secrets");
    for (const line of [
      "password = ENV_PROSODY_DB_PASSWORD;",
      "host = ENV_PROSODY_DB_HOST;",
      "http_file_share_secret = ENV_PROSODY_UPLOAD_SECRET",
      'http_file_share_base_url = "https://share.example.org/"',
      "s2s_secure_auth = true",
    ]) {
      assert.ok(prod.includes(line), `missing ${JSON.stringify(line)}`);
    }
    assert.doesNotMatch(prod, /(password|secret) = "/);
  });

  it("lists only modules that belong in modules_enabled, grouped by source and stability", () => {
    for (const config of [dev, prod]) {
      for (const name of enabledModules(config)) {
        const record = findModule(name);
        assert.ok(record, name);
        assert.notEqual(record.kind, "provider", `${name} is a provider`);
        assert.ok(!/^(auth|storage|authz)_/.test(name), name);
      }
    }
    assert.match(dev, /-- Prosody core, stable\n/);
    assert.match(dev, /-- loaded through module:depends: /);
    assert.match(prod, /-- community, from Debian's prosody-modules, stable\n/);
  });

  it("is byte-identical for the same spec", () => {
    const input: DeploymentSpecInput = { domain: "example.org", tier: "community", admins: ["a@example.org"] };
    assert.equal(render(input), render(structuredClone(input)));
  });

  it("escapes every string a user gives", () => {
    const config = render({
      domain: "example.org",
      tier: "community",
      contact: { abuse: ['xmpp:x"]]--\\n\\";os.exit(1)--'] },
    });
    assert.ok(config.includes('"xmpp:x\\034]]--\\092n\\092\\034;os.exit(1)--"'), config);
  });

  it("renders the environment list, the zone file and the compliance report", () => {
    const artifacts = renderArtifacts(planDeployment(readStackSpec("prod", root)));
    assert.deepEqual(Object.keys(artifacts), [
      "prosody.cfg.lua",
      "environment.txt",
      "dns.zone",
      "compliance.txt",
      "prometheus-rules.yml",
      "grafana-dashboard.json",
    ]);
    assert.match(artifacts["environment.txt"] ?? "", /^PROSODY_DB_PASSWORD\t# secret: /m);
    assert.match(
      artifacts["dns.zone"] ?? "",
      /^_xmpps-client\._tcp\.example\.org\.\t300\tIN\tSRV\t0 5 5223 example\.org\.$/m,
    );
    assert.match(artifacts["compliance.txt"] ?? "", /^XEP-0479 compliance for tier enterprise/);
    assert.match(artifacts["prometheus-rules.yml"] ?? "", /^ {6}- alert: ProsodyDown$/m);
  });
});
