/**
 * The policy pack (policy/, rules in components/policy/rules.ts), offline: every
 * rule passes on the dev, prod and k8s stacks run under Pulumi's mocks, and on
 * broken copies of them each rule fires, naming the resource.
 */
import { strict as assert } from "node:assert";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  DEFAULT_POLICY_CONFIG,
  POLICY_RULES,
  type PolicyConfig,
  type PolicyResource,
} from "../../components/policy/rules";
import { recordFigure } from "../support/figures";
import { ENFORCEMENT, startAnalyzer } from "../support/policy-analyzer";
import { runProgram, stackWith, type TestedRun } from "../support/mock-stack";

const ROOT = join(__dirname, "..", "..");

const asPolicyResources = (run: TestedRun): PolicyResource[] =>
  run.resources.map((resource) => ({
    type: resource.type,
    name: resource.name,
    urn: resource.urn,
    props: structuredClone(resource.clearInputs),
    protect: resource.protect,
  }));

function violations(resources: readonly PolicyResource[], config: PolicyConfig = DEFAULT_POLICY_CONFIG) {
  return POLICY_RULES.flatMap((rule) => rule.check(resources, config).map((found) => ({ rule: rule.name, ...found })));
}

/** A copy of the stack with one resource changed. */
function broken(
  resources: readonly PolicyResource[],
  name: string,
  change: (resource: PolicyResource) => void,
): PolicyResource[] {
  const copy = resources.map((resource) => ({ ...resource, props: structuredClone(resource.props) }));
  const target = copy.find((resource) => resource.name === name);
  assert.ok(target, `no resource ${name}`);
  change(target);
  return copy;
}

describe("the policy pack", function () {
  this.timeout(120_000);
  const stacks: Record<string, PolicyResource[]> = {};

  before(async () => {
    for (const stack of ["dev", "prod", "k8s"])
      stacks[stack] = asPolicyResources(await runProgram(stackWith(stack, {}), stack));
  });

  it("is a directory Pulumi runs: PulumiPolicy.yaml, and an entry that loads the built rules", () => {
    assert.match(readFileSync(join(ROOT, "policy", "PulumiPolicy.yaml"), "utf8"), /^runtime: nodejs$/m);
    assert.match(
      readFileSync(join(ROOT, "policy", "index.js"), "utf8"),
      /require\("\.\.\/dist\/components\/policy\/pack"\)/,
    );
    assert.ok(existsSync(join(ROOT, "components", "policy", "pack.ts")));
    const files = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { files: string[] }).files;
    assert.ok(files.includes("policy"), "the package ships policy/");
  });

  it("passes every rule on the dev, prod and k8s stacks", () => {
    for (const [stack, resources] of Object.entries(stacks)) assert.deepEqual(violations(resources), [], stack);
  });

  /** the rule that must fire (and any other the same break also breaks), the stack, the resource, the break */
  const cases: [
    rules: string | string[],
    stack: string,
    resource: string,
    change: (resource: PolicyResource) => void,
    /** the resource the violation names, when not the changed one (a bucket, for its settings) */
    named?: string,
  ][] = [
    ["no-public-database", "prod", "prosody-database", (r) => (r.props.publiclyAccessible = true)],
    [
      // PostgreSQL open to the world is also a port the plan does not have.
      ["no-public-database", "only-planned-ports"],
      "prod",
      "prosody-database-firewall",
      (r) => ((r.props.ingress as { cidrBlocks?: string[] }[])[0]!.cidrBlocks = ["0.0.0.0/0"]),
    ],
    ["storage-encrypted", "prod", "prosody-database", (r) => (r.props.storageEncrypted = false)],
    [
      "no-plain-secret",
      "k8s",
      "prosody-server",
      (r) => {
        const spec = (r.props.spec as { template: { spec: { containers: { env: object[] }[] } } }).template.spec;
        spec.containers[0]!.env.push({ name: "PROSODY_DB_PASSWORD", value: "hunter2" });
      },
    ],
    [
      "no-plain-secret",
      "prod",
      "prosody-server-task",
      (r) => {
        const definitions = JSON.parse(r.props.containerDefinitions as string) as { environment: object[] }[];
        definitions[0]!.environment.push({ name: "PROSODY_DB_PASSWORD", value: "hunter2" });
        r.props.containerDefinitions = JSON.stringify(definitions);
      },
    ],
    ["stateful-protected", "k8s", "prosody-data", (r) => (r.protect = false)],
    ["stateful-protected", "dev", "prosody-uploads", (r) => (r.protect = false)],
    ["stateful-protected", "prod", "prosody-database", (r) => (r.protect = false)],
    [
      "bucket-tls-only-private",
      "prod",
      "prosody-uploads-public-access",
      (r) => (r.props.blockPublicPolicy = false),
      "prosody-uploads",
    ],
    ["bucket-tls-only-private", "prod", "prosody-uploads-policy", (r) => (r.props.policy = "{}"), "prosody-uploads"],
    [
      "only-planned-ports",
      "prod",
      "prosody-lb-firewall",
      (r) =>
        (r.props.ingress as object[]).push({ fromPort: 22, toPort: 22, protocol: "tcp", cidrBlocks: ["0.0.0.0/0"] }),
    ],
    [
      "only-planned-ports",
      "k8s",
      "prosody-server-private",
      (r) => ((r.props.spec as { type: string }).type = "LoadBalancer"),
    ],
    [
      "only-planned-ports",
      "dev",
      "prosody-server",
      (r) => (r.props.ports as object[]).push({ internal: 5280, external: 5280, ip: "0.0.0.0" }),
    ],
  ];

  it("fires each rule on a broken copy, naming the resource, and only the rules it breaks", () => {
    for (const [rules, stack, name, change, named = name] of cases) {
      const found = violations(broken(stacks[stack] ?? [], name, change));
      assert.deepEqual([...new Set(found.map((entry) => entry.rule))], [rules].flat(), `${stack}'s ${name}`);
      for (const entry of found) {
        assert.ok(entry.message.startsWith(`${named} (`), entry.message);
        assert.ok(entry.urn.endsWith(`::${named}`), entry.urn);
      }
    }
    const fired = new Set(cases.flatMap(([rules]) => [rules].flat()));
    assert.deepEqual(
      POLICY_RULES.map((rule) => rule.name).filter((rule) => !fired.has(rule)),
      [],
      "a rule no broken fixture fires",
    );
    recordFigure("policy-pack", {
      title: "The policy pack, offline",
      done: "Every rule of the policy pack runs on the dev, prod and k8s stacks under Pulumi's mocks, then on broken copies of them (one changed resource each).",
      test: __filename,
      figures: {
        rules: POLICY_RULES.map((rule) => rule.name),
        "violations on the dev, prod and k8s stacks": 0,
        "broken fixtures": cases.length,
        "fixtures where the right rule fired, naming the resource": cases.length,
      },
    });
  });

  it("runs as Pulumi runs a pack: a gRPC analyzer with every rule mandatory, judging the stacks as the rules do", async () => {
    const pack = await startAnalyzer();
    try {
      const info = await pack.info();
      assert.equal(info.name, "prosody-stack");
      assert.deepEqual(
        info.policies,
        POLICY_RULES.map((rule) => ({ name: rule.name, enforcement: ENFORCEMENT.MANDATORY })),
      );
      assert.deepEqual(await pack.analyzeStack(stacks.prod ?? []), []);
      const exposed = broken(stacks.prod ?? [], "prosody-database", (r) => (r.props.publiclyAccessible = true));
      const [diagnostic, ...more] = await pack.analyzeStack(exposed);
      assert.deepEqual(more, []);
      assert.equal(diagnostic?.policy, "no-public-database");
      assert.equal(diagnostic?.enforcement, ENFORCEMENT.MANDATORY);
      assert.ok(diagnostic?.urn.endsWith("::prosody-database"), diagnostic?.urn);
      assert.match(diagnostic?.message ?? "", /publiclyAccessible is true/);
    } finally {
      pack.stop();
    }
  });

  it("lets unprotected data pass when the stack sets protectData: false", () => {
    const unprotected = broken(stacks.k8s ?? [], "prosody-data", (r) => (r.protect = false));
    assert.deepEqual(violations(unprotected, { ...DEFAULT_POLICY_CONFIG, protectData: false }), []);
  });
});
