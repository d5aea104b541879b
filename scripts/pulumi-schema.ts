/**
 * The Pulumi package schema of ProsodyStack (provider/schema.json), so that
 * Python, Go, .NET and YAML programs can use it through `pulumi package add`.
 * Generated in-process, with no Pulumi CLI: the spec's inputs from the one zod
 * schema (with their docs and defaults), `secrets` from the secret rules,
 * `existing` and the outputs from their TypeScript declarations and docs.
 *   npm run docs:pulumi-schema           rewrite provider/schema.json
 *   npm run docs:pulumi-schema -- --check   exit 1 when it is out of date
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { PROSODY_STACK_TYPE } from "../components/prosody-stack";
import { SECRET_RULES } from "../src/containers/secrets";
import { SECRET_KEYS } from "../src/schema/pulumi-config";
import { pascalName, type SpecNode, specJsonSchema } from "./spec-json-schema";

const ROOT = join(__dirname, "..");
export const SCHEMA_FILE = join(ROOT, "provider", "schema.json");
const PACKAGE = PROSODY_STACK_TYPE.split(":")[0] ?? "prosodystack";

type Property = Record<string, unknown>;
interface ObjectType {
  type: "object";
  description?: string;
  properties: Record<string, Property>;
  required?: string[];
}

/** Types the schema defines, by token. */
const types: Record<string, ObjectType | Property> = {};
const token = (name: string) => `${PACKAGE}:index:${name}`;
/** One spec field as a Pulumi property: plain, because the plan is computed at construction. */
function specProperty(node: SpecNode, path: readonly string[]): Property {
  const doc = {
    ...(node.description ? { description: node.description } : {}),
    ...(node.default !== undefined && typeof node.default !== "object" ? { default: node.default } : {}),
  };
  if (node.tsType === "OptionValue") return { $ref: "pulumi.json#/Any", ...doc };
  if (node.enum && node.enum.every((value) => typeof value === "string")) {
    types[token(pascalName(path))] = {
      type: "string",
      ...(node.description ? { description: node.description } : {}),
      enum: node.enum.map((value) => ({ value })),
    };
    return { $ref: `#/types/${token(pascalName(path))}`, plain: true, ...doc };
  }
  if (node.anyOf) return { type: "integer", plain: true, ...doc };
  if (node.properties) {
    types[token(pascalName(path))] = {
      type: "object",
      ...(node.description ? { description: node.description } : {}),
      properties: Object.fromEntries(
        Object.entries(node.properties).map(([key, child]) => [key, specProperty(child, [...path, key])]),
      ),
      ...(node.required?.length ? { required: node.required } : {}),
    };
    return { $ref: `#/types/${token(pascalName(path))}`, plain: true, ...doc };
  }
  if (node.type === "array" && node.items) {
    return { type: "array", items: specProperty(node.items, path), plain: true, ...doc };
  }
  if (node.type === "object" && typeof node.additionalProperties === "object") {
    return { type: "object", additionalProperties: specProperty(node.additionalProperties, path), plain: true, ...doc };
  }
  return { type: node.type === "integer" ? "integer" : (node.type ?? "string"), plain: true, ...doc };
}

/**
 * A declared type as a Pulumi property, read from its syntax: Input and Output unwrapped,
 * `| undefined` optional, arrays, object literals, and interfaces of the project resolved.
 */
function declaredProperty(
  checker: ts.TypeChecker,
  node: ts.TypeNode | undefined,
  path: readonly string[],
): { property: Property; optional: boolean } {
  if (node === undefined) return { property: { $ref: "pulumi.json#/Any" }, optional: true };
  if (ts.isUnionTypeNode(node)) {
    const present = node.types.filter((member) => member.kind !== ts.SyntaxKind.UndefinedKeyword);
    const [only] = present;
    if (present.length === 1 && only)
      return { property: declaredProperty(checker, only, path).property, optional: true };
    // A union of string literals, as the outputs use: text in every language.
    return { property: { type: "string" }, optional: present.length < node.types.length };
  }
  if (node.kind === ts.SyntaxKind.StringKeyword || ts.isLiteralTypeNode(node)) {
    return { property: { type: "string" }, optional: false };
  }
  if (node.kind === ts.SyntaxKind.NumberKeyword) return { property: { type: "number" }, optional: false };
  if (node.kind === ts.SyntaxKind.BooleanKeyword) return { property: { type: "boolean" }, optional: false };
  if (ts.isArrayTypeNode(node)) {
    return {
      property: { type: "array", items: declaredProperty(checker, node.elementType, path).property },
      optional: false,
    };
  }
  if (ts.isTypeLiteralNode(node))
    return { property: objectRef(checker, node.members, pascalName(path)), optional: false };
  if (ts.isTypeReferenceNode(node)) {
    const name = node.typeName.getText();
    const [argument] = node.typeArguments ?? [];
    if (/^(pulumi\.)?(Input|Output)$/.test(name)) return declaredProperty(checker, argument, path);
    const [keys, values] = node.typeArguments ?? [];
    if ((name === "Record" || name === "Readonly<Record") && keys?.kind === ts.SyntaxKind.StringKeyword && values) {
      return {
        property: { type: "object", additionalProperties: declaredProperty(checker, values, path).property },
        optional: false,
      };
    }
    const symbol = checker.getSymbolAtLocation(node.typeName);
    const resolved = symbol && symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    const declaration = resolved?.declarations?.find(ts.isInterfaceDeclaration);
    if (declaration) return { property: objectRef(checker, declaration.members, name, resolved), optional: false };
  }
  throw new Error(`pulumi-schema: cannot describe the type ${node.getText()} of ${path.join(".")}`);
}

const docOf = (checker: ts.TypeChecker, symbol: ts.Symbol | undefined): string | undefined => {
  const text = ts.displayPartsToString(symbol?.getDocumentationComment(checker) ?? []).trim();
  return text === "" ? undefined : text;
};

/** The members of an interface or object literal as an object type of the schema; a reference to it. */
function objectRef(
  checker: ts.TypeChecker,
  members: ts.NodeArray<ts.TypeElement>,
  name: string,
  owner?: ts.Symbol,
): Property {
  types[token(name)] = objectType(checker, members, [name], owner);
  return { $ref: `#/types/${token(name)}` };
}

function objectType(
  checker: ts.TypeChecker,
  members: ts.NodeArray<ts.TypeElement>,
  path: readonly string[],
  owner?: ts.Symbol,
): ObjectType {
  const entries = members.filter(ts.isPropertySignature).map((member) => {
    const name = member.name.getText();
    const { property, optional } = declaredProperty(checker, member.type, [...path, name]);
    const symbol = (member as unknown as { symbol?: ts.Symbol }).symbol;
    const description = docOf(checker, symbol);
    return {
      name,
      // A member whose doc starts "Secret:" is a secret in every language's SDK.
      property: {
        ...property,
        ...(description ? { description } : {}),
        ...(description?.startsWith("Secret:") ? { secret: true } : {}),
      },
      optional: optional || member.questionToken !== undefined,
    };
  });
  const required = entries.filter((entry) => !entry.optional).map((entry) => entry.name);
  const description = docOf(checker, owner);
  return {
    type: "object",
    ...(description ? { description } : {}),
    properties: Object.fromEntries(entries.map((entry) => [entry.name, entry.property])),
    ...(required.length > 0 ? { required } : {}),
  };
}

/** An exported interface of a file, through the project's own type checker. */
function exportedInterface(file: string, name: string) {
  const program = ts.createProgram([file], { strict: true, skipLibCheck: true, noEmit: true });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  const declaration = source?.statements.find(
    (statement): statement is ts.InterfaceDeclaration =>
      ts.isInterfaceDeclaration(statement) && statement.name.text === name,
  );
  if (!declaration) throw new Error(`${file} declares no interface ${name}`);
  return { checker, declaration, symbol: checker.getSymbolAtLocation(declaration.name) };
}

export function pulumiSchema(): Record<string, unknown> {
  for (const key of Object.keys(types)) delete types[key];
  const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
    name: string;
    version: string;
    description: string;
    peerDependencies: Record<string, string>;
  };
  const spec = specJsonSchema();
  const inputs: Record<string, Property> = Object.fromEntries(
    Object.entries(spec.properties ?? {}).map(([key, node]) => [key, specProperty(node, [key])]),
  );
  types[token("Secrets")] = {
    type: "object",
    description: "Secrets ProsodyStack needs; each one not given is generated and kept in the stack's state.",
    properties: Object.fromEntries(
      SECRET_KEYS.map((key) => [key, { type: "string", secret: true, description: SECRET_RULES[key].purpose }]),
    ),
  };
  inputs.secrets = { $ref: `#/types/${token("Secrets")}`, description: types[token("Secrets")]?.description };

  const existing = exportedInterface(join(ROOT, "components", "existing.ts"), "ExistingResources");
  inputs.existing = {
    ...objectRef(existing.checker, existing.declaration.members, "ExistingResources", existing.symbol),
    description:
      "Resources of yours the stack uses instead of creating them, keyed by who reads them: a platform or a DNS provider.",
  };
  const outputs = exportedInterface(join(ROOT, "components", "outputs.ts"), "ProsodyStackOutputs");
  const outputType = objectType(outputs.checker, outputs.declaration.members, []);

  return {
    name: PACKAGE,
    version: manifest.version,
    description: manifest.description,
    license: "MIT",
    keywords: ["pulumi", "prosody", "xmpp", "kind/component", "category/infrastructure"],
    resources: {
      [PROSODY_STACK_TYPE]: {
        isComponent: true,
        description: "One Prosody XMPP server from one typed spec, on Docker, AWS or Kubernetes.",
        inputProperties: inputs,
        requiredInputs: spec.required ?? [],
        properties: outputType.properties,
        required: outputType.required ?? [],
      },
    },
    types: Object.fromEntries(Object.entries(types).sort(([a], [b]) => a.localeCompare(b))),
    language: {
      nodejs: {
        packageName: manifest.name,
        dependencies: { "@pulumi/pulumi": manifest.peerDependencies["@pulumi/pulumi"] },
      },
      python: { packageName: "pulumi_prosodystack" },
      go: { importBasePath: "github.com/prosodystack/pulumi-prosodystack/sdk/go/prosodystack" },
      csharp: { rootNamespace: "ProsodyStack" },
    },
  };
}

export const schemaText = (): string => `${JSON.stringify(pulumiSchema(), null, 2)}\n`;

if (require.main === module) {
  const text = schemaText();
  if (process.argv.includes("--check")) {
    const current = readFileSync(SCHEMA_FILE, "utf8");
    if (current !== text) process.stderr.write("provider/schema.json is out of date: run npm run docs:pulumi-schema\n");
    process.exitCode = current === text ? 0 : 1;
  } else {
    writeFileSync(SCHEMA_FILE, text);
  }
}
