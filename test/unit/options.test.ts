/** `options`: Prosody options the spec does not model, written safely where they belong, refused where Prosody or the plan would. */
import { strict as assert } from "node:assert";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { planDeployment } from "../../src/plan";
import { OWNED_OPTIONS } from "../../src/plan/options";
import { renderProsodyConfig } from "../../src/render/prosody-config";
import { type DeploymentSpecInput, parseDeploymentSpec } from "../../src/schema";
import { problemsOf } from "../support/problems";

const render = (input: DeploymentSpecInput) => renderProsodyConfig(planDeployment(parseDeploymentSpec(input)));
const refusals = (options: DeploymentSpecInput["options"]) =>
  problemsOf(() => planDeployment(parseDeploymentSpec({ domain: "example.org", tier: "community", options }))).map(
    (problem) => `${problem.field}: ${problem.message}. Fix: ${problem.fix}`,
  );

describe("options of your own", () => {
  it("writes each section's options where it belongs, through the Lua serializer", () => {
    const config = render({
      domain: "example.org",
      extraDomains: ["example.net"],
      tier: "community",
      options: {
        global: { c2s_timeout: 300, mam_smart_enable: true, motd_text: 'Hi "all" ]]\n-- not a comment' },
        virtualHosts: { "example.net": { max_archive_query_results: 50 } },
        components: { muc: { muc_room_default_public: false, muc_tombstones: { keep: ["a", 1.5] } } },
      },
    });
    assert.match(
      config,
      /\nc2s_timeout = 300\nmam_smart_enable = true\nmotd_text = "Hi \\034all\\034 \]\]\\010-- not a comment"\n/,
    );
    assert.match(
      config,
      /\nVirtualHost "example\.org"\n\nVirtualHost "example\.net"\n\tmax_archive_query_results = 50\n/,
    );
    assert.match(
      config,
      /\n\tmuc_room_default_public = false\n\tmuc_tombstones = \{\n\t\tkeep = \{ "a", 1\.5 \};\n\t\}\n/,
    );
    assert.equal(render({ domain: "example.org" }).includes("Options of your own"), false);
  });

  it("refuses what the plan writes itself, naming the spec field that owns it", () => {
    assert.deepEqual(refusals({ global: { storage: "memory", c2s_ports: [5222], authentication: "anonymous" } }), [
      "options.global.storage: ProsodyStack writes this option itself, from the plan. Fix: set storage instead, and remove it",
      "options.global.c2s_ports: ProsodyStack writes this option itself, from the plan. Fix: set ports.c2s instead, and remove it",
      "options.global.authentication: ProsodyStack writes this option itself, from the plan. Fix: remove it (accounts always use internal_hashed (SCRAM))",
    ]);
    assert.match(
      refusals({ components: { upload: { http_file_share_size_limit: 1 } } })[0] ?? "",
      /set upload\.sizeLimit/,
    );
  });

  it("refuses what prosodyctl check config would: obsolete, replaced, and global options under a host", () => {
    assert.deepEqual(refusals({ global: { setuid: "prosody", use_libevent: true } }), [
      "options.global.setuid: Prosody no longer has this option. Fix: remove it",
      'options.global.use_libevent: Prosody has replaced this option. Fix: use network_backend = "event" instead',
    ]);
    assert.deepEqual(
      refusals({ virtualHosts: { "example.org": { c2s_timeout: 5, bosh_max_wait: 60, websocket_ports: [1] } } }),
      [
        "options.virtualHosts.example.org.c2s_timeout: Prosody reads this option from the global section only. Fix: move it to options.global.c2s_timeout",
        "options.virtualHosts.example.org.bosh_max_wait: Prosody reads this option from the global section only. Fix: move it to options.global.bosh_max_wait",
        "options.virtualHosts.example.org.websocket_ports: Prosody reads this option from the global section only. Fix: move it to options.global.websocket_ports",
      ],
    );
    const allowed = { components: { muc: { external_service_port: 3478, muc_room_default_public: false } } };
    assert.doesNotThrow(() =>
      planDeployment(parseDeploymentSpec({ domain: "example.org", tier: "community", options: allowed })),
    );
  });

  it("refuses a host or component the plan does not have, and values no serializer should write", () => {
    assert.match(
      refusals({ virtualHosts: { "other.org": {} } })[0] ?? "",
      /not a virtual host of this plan.*example\.org/,
    );
    assert.match(refusals({ components: { pubsub: {} } })[0] ?? "", /no such component.*muc/);
    const bad = problemsOf(() =>
      parseDeploymentSpec({
        domain: "example.org",
        options: {
          global: { end: 1, "Bad-Name": 2, nan: Number.NaN, deep: JSON.parse("[".repeat(10) + "]".repeat(10)) },
        },
      }),
    ).map((problem) => `${problem.field}: ${problem.message}`);
    assert.deepEqual(bad, [
      "options.global.end: a Lua keyword",
      "options.global.Bad-Name: not a Prosody option name",
      "options.global.nan: not a value ProsodyStack writes into the config",
      "options.global.deep: not a value ProsodyStack writes into the config",
    ]);
  });

  it("knows every option the renderer writes as the plan's own", () => {
    const golden = join(__dirname, "..", "golden", "config");
    const configs = [
      ...readdirSync(golden).map((file) => readFileSync(join(golden, file), "utf8")),
      render({
        domain: "example.org",
        tier: "enterprise",
        storage: "postgresql",
        uploads: "s3",
        upload: { s3: { endpoint: "http://s3.internal:9000" } },
        turn: { host: "turn.example.org" },
        http: { externalUrl: "https://chat.example.org/", trustedProxies: ["10.0.0.0/8"] },
        admins: ["ops@example.org"],
        modules: { remove: ["lastactivity"] },
      }),
    ];
    // An option is a line at the margin before the first host, or one tab in after it; deeper lines are table fields.
    const optionsOf = (config: string): string[] => {
      const hosts = config.search(/^(VirtualHost|Component) /m);
      const names = (text: string, pattern: RegExp) => [...text.matchAll(pattern)].map((match) => match[1] ?? "");
      return [
        ...names(config.slice(0, hosts), /^([a-z_][a-z0-9_]*) = /gm),
        ...names(config.slice(hosts), /^\t([a-z_][a-z0-9_]*) = /gm),
      ];
    };
    const written = new Set(configs.flatMap(optionsOf));
    assert.ok(written.size > 30);
    assert.deepEqual(
      [...written].filter((name) => OWNED_OPTIONS[name] === undefined),
      [],
    );
  });
});
