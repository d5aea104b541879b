import { strict as assert } from "node:assert";
import { describeProsody } from "../../src/containers/prosody";
import { PROSODY_VARIABLES, WEB_CLIENT_SETTINGS_FILE } from "../../image/contract";
import { planDeployment } from "../../src/plan";
import { WEB_CLIENT_FOLDER } from "../../src/plan/web-client";
import { renderProsodyConfig } from "../../src/render/prosody-config";
import { converseSettings, renderWebClientSettings } from "../../src/render/web-client";
import { type DeploymentSpecInput, parseDeploymentSpec } from "../../src/schema";
import { problemsOf } from "../support/problems";

const plan = (input: Partial<DeploymentSpecInput>) =>
  planDeployment(parseDeploymentSpec({ domain: "chat.example.org", ...input }));
const certificate = { chain: "chain", key: "key" };
const image = { context: "image", buildArgs: {}, reference: "prosody-stack/prosody:test" };

describe("the web client (web.client)", () => {
  it("is on by default where the tier serves BOSH and WebSocket, and off on the personal tier", () => {
    for (const tier of ["community", "enterprise"] as const) {
      const web = plan({ tier }).webClient;
      assert.deepEqual(web, {
        client: "conversejs",
        path: "/chat",
        domain: "chat.example.org",
        mucHost: "groups.chat.example.org",
        registration: "invite-only",
        websocket: true,
        bosh: true,
      });
      assert.ok(plan({ tier }).modules.some((module) => module.name === "http_files" && module.via === "setting"));
    }
    const personal = plan({ tier: "personal" });
    assert.equal(personal.webClient, undefined);
    assert.ok(!personal.modules.some((module) => module.name === "http_files"));
    assert.equal(plan({ tier: "community", web: { client: "none" } }).webClient, undefined);
  });

  it("is refused where nothing would carry its connection, naming the field and the fix", () => {
    const problems = problemsOf(() => plan({ tier: "personal", web: { client: "conversejs" } }));
    assert.deepEqual(
      problems.map((problem) => problem.field),
      ["web.client"],
    );
    assert.match(problems[0]?.fix ?? "", /features\.http/);
    assert.ok(plan({ tier: "personal", web: { client: "conversejs" }, features: { http: true } }).webClient);
  });

  it("is served by http_files at /chat from the image's folder, and owns those options", () => {
    const config = renderProsodyConfig(plan({ tier: "community" }));
    assert.match(config, new RegExp(`http_files_dir = "${WEB_CLIENT_FOLDER}"`));
    assert.match(config, /http_paths = \{\s*files = "\/chat"/);
    assert.doesNotMatch(renderProsodyConfig(plan({ tier: "personal" })), /http_files_dir/);
    const owned = problemsOf(() => plan({ tier: "community", options: { global: { http_paths: { bosh: "/b" } } } }));
    assert.deepEqual(
      owned.map((problem) => problem.field),
      ["options.global.http_paths"],
    );
  });

  it("sets Converse.js up from the plan: the domain locked, the rooms' host, registration only where open", () => {
    const invite = converseSettings(plan({ tier: "community" }).webClient!);
    assert.equal(invite.locked_domain, "chat.example.org");
    assert.equal(invite.muc_domain, "groups.chat.example.org");
    assert.equal(invite.allow_registration, false);
    assert.equal(invite.discover_connection_methods, false);
    assert.equal(invite.assets_path, "/chat/converse/");
    assert.equal(
      converseSettings(plan({ tier: "community", registration: "open" }).webClient!).allow_registration,
      true,
    );
    const script = renderWebClientSettings(plan({ tier: "community" }));
    assert.match(script, /"\/xmpp-websocket"/);
    assert.match(script, /"\/http-bind"/);
    assert.match(script, /converse\.initialize\(settings\)/);
  });

  it("reaches every platform as one more file of Prosody's container, plain, with its variable for Fargate", () => {
    const description = describeProsody(plan({ tier: "community" }), { image, certificate });
    const file = description.files.find((entry) => entry.path === WEB_CLIENT_SETTINGS_FILE);
    assert.ok(file);
    assert.equal(file.secret, false);
    assert.equal(file.inlineVariable, PROSODY_VARIABLES.webClientSettings);
    assert.equal(file.content, renderWebClientSettings(plan({ tier: "community" })));
    const personal = describeProsody(plan({ tier: "personal" }), { image, certificate });
    assert.ok(!personal.files.some((entry) => entry.path === WEB_CLIENT_SETTINGS_FILE));
  });
});
