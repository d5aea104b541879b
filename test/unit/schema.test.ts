import { strict as assert } from "node:assert";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseModulesSpec } from "../../src/schema";
import { decodeProgramConfig, encodeProgramConfig, parseDeploymentSpec } from "../../src/schema";
import { projectConfig, readStackConfig, readStackSpec } from "../../src/schema/stack-file";
import { resolveModules } from "../../src/plan";
import { problemsOf } from "../support/problems";

const root = join(__dirname, "..", "..");

describe("spec validation", () => {
  it("fills documented defaults", () => {
    assert.deepEqual(parseModulesSpec({}), {
      prosodyVersion: "13",
      tier: "personal",
      features: {},
      modules: { add: [], remove: [] },
    });
  });

  it("names the field, the value and the fix for each bad input", () => {
    const found = problemsOf(() =>
      parseModulesSpec({ tier: "gold", features: { beta: "yes", turbo: true }, modules: { add: ["Mod Mam"] } }),
    );
    const text = found.map((p) => `${p.field}|${p.value}|${p.message}|${p.fix}`);
    assert.ok(
      text.includes('tier|"gold"|not one of the accepted values|use one of "personal", "community", "enterprise"'),
      text.join("\n"),
    );
    assert.ok(
      text.some((t) => t.startsWith('features.beta|"yes"|') && t.endsWith("|give true or false")),
      text.join("\n"),
    );
    assert.ok(
      text.some((t) => t.startsWith("features.turbo|true|unknown field|")),
      text.join("\n"),
    );
    assert.ok(
      text.some((t) => t.startsWith('modules.add[0]|"Mod Mam"|not a module reference')),
      text.join("\n"),
    );
  });

  it("reads Pulumi.dev.yaml and Pulumi.prod.yaml with the same schema", () => {
    const dev = readStackSpec("dev", root);
    const prod = readStackSpec("prod", root);
    assert.equal(dev.tier, "personal");
    assert.equal(prod.tier, "enterprise");
    assert.ok(resolveModules(dev).sections.length > 0);
    assert.ok(resolveModules(prod).sections.length > 0);
  });

  it("masks encrypted values, ignores other namespaces, and names the file in errors", () => {
    const dir = mkdtempSync(join(tmpdir(), "prosody-stack-"));
    writeFileSync(
      join(dir, "Pulumi.bad.yaml"),
      'config:\n  aws:region: eu-west-1\n  prosody:tier: { secure: "v1:abc" }\n  prosody:features:\n    beta: maybe\n',
    );
    const found = problemsOf(() => readStackSpec("bad", dir));
    const file = join(dir, "Pulumi.bad.yaml");
    assert.deepEqual(
      found.map((p) => [p.field, p.value]),
      [
        [`${file}: prosody:tier`, '"[secret]"'],
        [`${file}: prosody:features.beta`, '"maybe"'],
        [`${file}: prosody:domain`, undefined],
      ],
    );
    assert.ok(!JSON.stringify(found).includes("v1:abc"), "an encrypted value must never be echoed");
  });

  it("refuses stack names that could point outside the project", () => {
    const [problem] = problemsOf(() => readStackSpec("../etc/passwd", root));
    assert.equal(problem?.field, "--stack");
  });

  it("decodes the strings Pulumi hands the program into the same spec the CLI reads", () => {
    for (const stack of ["dev", "prod"]) {
      const config = readStackConfig(stack, root);
      const decoded = decodeProgramConfig(encodeProgramConfig(projectConfig(config.values)));
      assert.deepEqual(parseDeploymentSpec(decoded.spec), readStackSpec(stack, root));
      assert.deepEqual(decoded.secrets, []);
    }
    const decoded = decodeProgramConfig({
      prosodyVersion: "13",
      domain: "true",
      protectData: "false",
      ports: '{"c2s":15222}',
      turnSecret: "[secret]",
    });
    assert.deepEqual(decoded.spec, { prosodyVersion: "13", domain: "true", protectData: false, ports: { c2s: 15222 } });
    assert.deepEqual(decoded.secrets, ["turnSecret"]);
  });

  it("names the config key whose structured value is not JSON", () => {
    const [problem] = problemsOf(() => decodeProgramConfig({ dns: "ttl: 300" }));
    assert.equal(problem?.field, "prosody:dns");
    assert.equal(problem?.value, '"ttl: 300"');
  });
});
