/**
 * ProsodyStack for other Pulumi languages: the package schema (provider/schema.json) is what
 * the generator makes, says exactly what the component takes and gives, the provider constructs
 * the component from it as the engine would, and the YAML example is a program the schema accepts.
 */
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { ProsodyStackProvider } from "../../components/pulumi-provider";
import { PROSODY_STACK_TYPE } from "../../components/prosody-stack";
import { SCHEMA_FILE, schemaText } from "../../scripts/pulumi-schema";
import { parseDeploymentSpec } from "../../src/schema";
import { deploymentSpecSchema } from "../../src/schema/deployment-spec";
import { byName, runComponents } from "../support/mock-stack";
import { schemaFields } from "../support/schema-fields";

const ROOT = join(__dirname, "..", "..");
interface SchemaProperty {
  type?: string;
  $ref?: string;
  items?: SchemaProperty;
  additionalProperties?: SchemaProperty;
  properties?: Record<string, SchemaProperty>;
  required?: string[];
  enum?: { value: unknown }[];
}
const schema = JSON.parse(readFileSync(SCHEMA_FILE, "utf8")) as {
  resources: Record<
    string,
    { inputProperties: Record<string, SchemaProperty>; requiredInputs: string[]; properties: Record<string, unknown> }
  >;
  types: Record<string, SchemaProperty>;
};
const component = schema.resources[PROSODY_STACK_TYPE] ?? assert.fail("the schema has no ProsodyStack");
const resolve = (property: SchemaProperty): SchemaProperty =>
  property.$ref?.startsWith("#/types/") ? (schema.types[property.$ref.slice(8)] ?? {}) : property;

/** Every field path a schema property describes, sections and leaves. */
function schemaPaths(properties: Record<string, SchemaProperty>, prefix = ""): string[] {
  return Object.entries(properties).flatMap(([key, property]) => {
    const path = `${prefix}${key}`;
    const nested = resolve(property).properties;
    return [path, ...(nested ? schemaPaths(nested, `${path}.`) : [])];
  });
}

/** A value against a schema property: its type, enum values, required fields and unknown ones. */
function conforms(value: unknown, property: SchemaProperty, path: string): string[] {
  if (property.$ref === "pulumi.json#/Any") return [];
  const target = resolve(property);
  if (target.enum) return target.enum.some((entry) => entry.value === value) ? [] : [`${path}: not one of the enum`];
  if (target.properties) {
    if (typeof value !== "object" || value === null) return [`${path}: not an object`];
    const record = value as Record<string, unknown>;
    return [
      ...(target.required ?? []).filter((key) => !(key in record)).map((key) => `${path}.${key}: missing`),
      ...Object.entries(record).flatMap(([key, entry]) => {
        const inner = target.properties?.[key];
        return inner ? conforms(entry, inner, `${path}.${key}`) : [`${path}.${key}: not in the schema`];
      }),
    ];
  }
  if (target.type === "array") {
    return Array.isArray(value)
      ? value.flatMap((entry, index) => conforms(entry, target.items ?? {}, `${path}[${index}]`))
      : [`${path}: not a list`];
  }
  if (target.type === "object") {
    return Object.entries(value as object).flatMap(([key, entry]) =>
      conforms(entry, target.additionalProperties ?? {}, `${path}.${key}`),
    );
  }
  const kinds: Record<string, string> = { string: "string", integer: "number", number: "number", boolean: "boolean" };
  return typeof value === kinds[target.type ?? ""] ? [] : [`${path}: not a ${target.type}`];
}

describe("other Pulumi languages: the package schema and the provider", () => {
  it("provider/schema.json is what the generator makes (npm run docs:pulumi-schema)", () => {
    assert.equal(readFileSync(SCHEMA_FILE, "utf8"), schemaText());
  });

  it("takes exactly the spec's fields, secrets and existing, and requires only the domain", () => {
    assert.ok(component);
    const spec = schemaFields(deploymentSpecSchema).map((field) => field.path);
    const inputs = schemaPaths(component.inputProperties);
    assert.deepEqual(
      inputs.filter((path) => !path.startsWith("secrets") && !path.startsWith("existing")).sort(),
      spec.sort(),
    );
    assert.deepEqual(component.requiredInputs, ["domain"]);
    assert.ok(inputs.includes("secrets.databasePassword") && inputs.includes("existing.aws.vpc.vpcId"));
  });

  it("gives exactly the component's outputs", async () => {
    const provider = new ProsodyStackProvider();
    let names: string[] = [];
    await runComponents(() => {
      void provider.construct("chat", PROSODY_STACK_TYPE, { domain: "localhost" }, {}).then((result) => {
        names = Object.keys(result.state);
      });
      return {};
    });
    assert.deepEqual(names.sort(), Object.keys(component.properties).sort());
    assert.ok(names.includes("clientEndpoint") && names.includes("stabilityProfile"));
  });

  it("constructs the component from plain inputs as the engine does, and refuses another type", async () => {
    const provider = new ProsodyStackProvider();
    assert.equal(JSON.parse(await provider.getSchema()).name, "prosodystack");
    const run = await runComponents(() => {
      void provider.construct("chat", PROSODY_STACK_TYPE, { domain: "localhost", tier: "community" }, {});
      return {};
    });
    assert.equal(byName(run, "chat").type, PROSODY_STACK_TYPE);
    assert.ok(byName(run, "chat-server").inputs.image);
    await assert.rejects(
      provider.construct("x", "prosodystack:index:Other", {}, {}),
      /constructs prosodystack:index:ProsodyStack/,
    );
  });

  it("accepts the YAML example: every property in the schema, and a spec the component builds", () => {
    const program = parse(readFileSync(join(ROOT, "examples", "yaml", "Pulumi.yaml"), "utf8")) as {
      resources: Record<string, { type: string; properties: Record<string, unknown> }>;
      outputs: Record<string, string>;
    };
    const resources = Object.entries(program.resources).filter(([, resource]) => resource.type === PROSODY_STACK_TYPE);
    assert.equal(resources.length, 1);
    for (const [name, { properties }] of resources) {
      assert.deepEqual(
        conforms(properties, { properties: component.inputProperties, required: component.requiredInputs }, name),
        [],
      );
      assert.doesNotThrow(() => parseDeploymentSpec(properties));
    }
    for (const reference of Object.values(program.outputs)) {
      const [, resource, output] = /^\$\{(\w+)\.(\w+)\}$/.exec(reference) ?? [];
      assert.ok(resource && program.resources[resource], reference);
      assert.ok(output && output in component.properties, `${reference} is not an output`);
    }
  });
});
