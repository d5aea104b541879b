import { strict as assert } from "node:assert";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseModulesSpec } from "../../src/schema";
import { encodeProgramConfig, parseDeploymentSpec, readProgramConfig } from "../../src/schema";
import { readStackConfig, readStackSpec, stackSpec } from "../../src/schema/stack-file";
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

  it("refuses an encrypted value where the spec needs plain text, ignores other namespaces, names the file", () => {
    const dir = mkdtempSync(join(tmpdir(), "prosody-stack-"));
    writeFileSync(
      join(dir, "Pulumi.bad.yaml"),
      'config:\n  aws:region: eu-west-1\n  prosody:tier: { secure: "v1:abc" }\n  prosody:features:\n    beta: maybe\n',
    );
    const found = problemsOf(() => readStackSpec("bad", dir));
    const file = join(dir, "Pulumi.bad.yaml");
    assert.deepEqual(
      found.map((p) => [p.field, p.message]),
      [
        [
          `${file}: prosody:tier`,
          "is encrypted, but it is not a secret: the spec needs its plain value, which is never decrypted here",
        ],
      ],
    );
    assert.ok(!JSON.stringify(found).includes("v1:abc"), "an encrypted value must never be echoed");
    writeFileSync(
      join(dir, "Pulumi.bad.yaml"),
      "config:\n  aws:region: eu-west-1\n  prosody:features:\n    beta: maybe\n",
    );
    assert.deepEqual(
      problemsOf(() => readStackSpec("bad", dir)).map((p) => [p.field, p.value]),
      [
        [`${file}: prosody:features.beta`, '"maybe"'],
        [`${file}: prosody:domain`, undefined],
      ],
    );
  });

  it("reads what Pulumi stores the way the program does: top-level text, unquoted numbers, secrets as stand-ins", () => {
    const dir = mkdtempSync(join(tmpdir(), "prosody-stack-"));
    writeFileSync(
      join(dir, "Pulumi.set.yaml"),
      [
        "config:",
        "  prosody:domain: example.org",
        '  prosody:protectData: "false"',
        "  prosody:prosodyVersion: 13",
        "  prosody:storage: postgresql",
        '  prosody:databasePassword: { secure: "v1:abc" }',
      ].join("\n"),
    );
    const spec = readStackSpec("set", dir);
    assert.equal(spec.protectData, false);
    assert.equal(spec.prosodyVersion, "13");
    const config = readStackConfig("set", dir);
    assert.deepEqual(config.secretKeys, ["prosody:databasePassword"]);
    assert.deepEqual(readProgramConfig(encodeProgramConfig(config.values)).secrets, ["databasePassword"]);
  });

  it("refuses a misspelt namespace and an unknown key, naming the key it meant", () => {
    const misspelt = problemsOf(() =>
      stackSpec({ file: "Pulumi.x.yaml", values: { "prosdy:tier": "enterprise", "Prosody:storage": "sqlite" } }),
    );
    assert.deepEqual(
      misspelt.map((p) => [p.field, p.fix]),
      [
        ["Pulumi.x.yaml: prosdy:tier", "write it as prosody:tier"],
        ["Pulumi.x.yaml: Prosody:storage", "write it as prosody:storage"],
      ],
    );
    const unknown = problemsOf(() =>
      stackSpec({ file: "Pulumi.x.yaml", values: { "prosody:domain": "example.org", "prosody:teir": "enterprise" } }),
    );
    assert.deepEqual(
      unknown.map((p) => [p.field, p.message, p.fix]),
      [["Pulumi.x.yaml: prosody:teir", "unknown field", 'did you mean "tier"?']],
    );
    const nested = problemsOf(() => parseDeploymentSpec({ domain: "example.org", upload: { sizeLimt: 1024 } }));
    assert.equal(nested[0]?.fix, 'did you mean "sizeLimit"?');
  });

  it("refuses YAML whose value is not what it seems: an alias inside itself, a map as a key, an unknown tag", () => {
    const dir = mkdtempSync(join(tmpdir(), "prosody-stack-"));
    const refusal = (stack: string, ...lines: string[]) => {
      writeFileSync(
        join(dir, `Pulumi.${stack}.yaml`),
        ["config:", "  prosody:domain: example.org", ...lines].join("\n"),
      );
      const [problem] = problemsOf(() => readStackSpec(stack, dir));
      return [problem?.field.replace(dir, "DIR"), problem?.message, problem?.fix];
    };
    assert.deepEqual(refusal("cycle", "  prosody:dns: &a [*a]"), [
      "DIR/Pulumi.cycle.yaml: config.prosody:dns.0",
      "a YAML alias refers to the value that holds it, so the value never ends",
      "write the value out instead of the alias",
    ]);
    assert.deepEqual(refusal("key", "  ? [a, b]\n  : c"), [
      "DIR/Pulumi.key.yaml",
      "not valid YAML (a list or map used as a key)",
      "write keys as plain text",
    ]);
    assert.match(refusal("tag", "  prosody:tier: !custom community")[1] ?? "", /^not valid YAML \(.*tag/i);
  });

  it("reads a key named like an Object property (constructor, __proto__) as the unknown key it is", () => {
    const problems = problemsOf(() =>
      stackSpec({ file: "Pulumi.x.yaml", values: { "prosody:domain": "example.org", "prosody:constructor": "x" } }),
    );
    assert.deepEqual(
      problems.map((p) => [p.field, p.message]),
      [["Pulumi.x.yaml: prosody:constructor", "unknown field"]],
    );
  });

  it("refuses stack names that could point outside the project", () => {
    const [problem] = problemsOf(() => readStackSpec("../etc/passwd", root));
    assert.equal(problem?.field, "--stack");
  });

  it("decodes the strings Pulumi hands the program into the same spec the CLI reads", () => {
    for (const stack of ["dev", "prod"]) {
      const config = readStackConfig(stack, root);
      const decoded = readProgramConfig(encodeProgramConfig(config.values));
      assert.deepEqual(parseDeploymentSpec(decoded.spec), readStackSpec(stack, root));
      assert.deepEqual(decoded.secrets, []);
    }
    const decoded = readProgramConfig({
      "prosody:prosodyVersion": "13",
      "prosody:domain": "true",
      "prosody:protectData": "false",
      "prosody:ports": '{"c2s":15222}',
      "prosody:turnSecret": "[secret]",
      "aws:region": "eu-central-1",
    });
    assert.deepEqual(decoded.spec, { prosodyVersion: "13", domain: "true", protectData: false, ports: { c2s: 15222 } });
    assert.deepEqual(decoded.secrets, ["turnSecret"]);
  });

  it("refuses a secret written in plain text when the secure keys are known, never showing it", () => {
    const raw = { "prosody:domain": "example.org", "prosody:turnSecret": "plain-turn-secret-0123456789" };
    const [plain, ...more] = problemsOf(() => readProgramConfig(raw, new Set(), "", true));
    assert.deepEqual(more, []);
    assert.deepEqual([plain?.field, plain?.value], ["prosody:turnSecret", "[hidden]"]);
    assert.equal(
      plain?.fix,
      "encrypt it: `pulumi config set --secret prosody:turnSecret` (it replaces the plain value)",
    );
    assert.deepEqual(readProgramConfig(raw, new Set(["prosody:turnSecret"]), "", true).secrets, ["turnSecret"]);
    // Without the list (an older CLI, or a plain-text reader), a plain secret cannot be told apart.
    assert.deepEqual(readProgramConfig(raw).secrets, ["turnSecret"]);
    const [inStackFile] = problemsOf(() =>
      stackSpec({ file: "Pulumi.x.yaml", values: { "prosody:domain": "example.org", "prosody:turnSecret": "plain" } }),
    );
    assert.equal(inStackFile?.field, "Pulumi.x.yaml: prosody:turnSecret");
  });

  it("names the config key whose structured value is neither JSON nor what the schema wants", () => {
    const [broken] = problemsOf(() => readProgramConfig({ "prosody:dns": "{ttl: 300" }));
    assert.equal(broken?.field, "prosody:dns");
    assert.equal(broken?.value, '"{ttl: 300"');
    const [text] = problemsOf(() =>
      stackSpec({ file: "Pulumi.x.yaml", values: { "prosody:domain": "example.org", "prosody:dns": "ttl: 300" } }),
    );
    assert.deepEqual([text?.field, text?.fix], ["Pulumi.x.yaml: prosody:dns", "give a map of its fields"]);
  });
});
