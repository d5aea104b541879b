/**
 * The spec's documentation, generated from the one schema (src/schema/deployment-spec.ts):
 * every field's description and default come from its `.meta()` and `.default()`.
 *   - src/schema/spec-input.ts: the input types with a doc line and `@default` per field,
 *     which ProsodyStackArgs extends, so editors show them on hover;
 *   - README.md's spec table, between its markers.
 *   npm run docs:spec           rewrite both
 *   npm run docs:spec -- --check   exit 1 when either is out of date (the unit suite checks the same)
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pascalName, type SpecNode, specJsonSchema } from "./spec-json-schema";

const ROOT = join(__dirname, "..");
export const SPEC_INPUT_FILE = join(ROOT, "src", "schema", "spec-input.ts");
const TABLE_START = "<!-- spec-table:start (npm run docs:spec) -->";
const TABLE_END = "<!-- spec-table:end -->";

const isSection = (node: SpecNode): boolean => node.properties !== undefined;
const interfaceName = (path: readonly string[]): string =>
  path.length === 0 ? "DeploymentSpecInput" : `${pascalName(path)}Input`;

/** The field's default as people read it. */
const defaultOf = (node: SpecNode): string | undefined =>
  node.defaultText ??
  (isSection(node)
    ? "each field's own default"
    : node.default === undefined
      ? undefined
      : JSON.stringify(node.default));

function tsType(node: SpecNode, path: readonly string[]): string {
  if (node.tsType) return node.tsType;
  if (node.enum) return node.enum.map((value) => JSON.stringify(value)).join(" | ");
  if (node.const !== undefined) return JSON.stringify(node.const);
  if (node.anyOf) return node.anyOf.map((entry) => tsType(entry, path)).join(" | ");
  if (isSection(node)) return interfaceName(path);
  if (node.type === "array" && node.items) {
    const item = tsType(node.items, path);
    return item.includes("|") ? `(${item})[]` : `${item}[]`;
  }
  if (node.type === "object" && typeof node.additionalProperties === "object") {
    return `Record<string, ${tsType(node.additionalProperties, path)}>`;
  }
  return node.type === "integer" || node.type === "number" ? "number" : (node.type ?? "unknown");
}

function docComment(node: SpecNode, required: boolean, indent: string): string[] {
  const lines = [node.description ?? ""];
  const fallback = defaultOf(node);
  if (!required && fallback !== undefined) lines.push("", `@default ${fallback}`);
  return [`${indent}/**`, ...lines.map((line) => `${indent} *${line === "" ? "" : ` ${line}`}`), `${indent} */`];
}

/** Every interface of the input, the top one first. */
function interfaces(node: SpecNode, path: readonly string[] = []): string[] {
  const own = [`export interface ${interfaceName(path)} {`];
  const nested: string[] = [];
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const required = node.required?.includes(key) ?? false;
    own.push(...docComment(child, required, "  "), `  ${key}${required ? "" : "?"}: ${tsType(child, [...path, key])};`);
    if (isSection(child)) nested.push(...interfaces(child, [...path, key]));
  }
  own.push("}", "");
  return [...own, ...nested];
}

export function specInputSource(): string {
  return [
    "/**",
    " * The spec's input types, with each field's doc and default. Generated from the schema by",
    " * `npm run docs:spec`: never edit by hand. The check at the end fails to compile when this",
    " * file and the schema disagree.",
    " */",
    'import type { z } from "zod";',
    'import type { deploymentSpecSchema } from "./deployment-spec";',
    'import type { OptionValue } from "./fields";',
    "",
    ...interfaces(specJsonSchema()),
    "type Exact<A, B> = [A] extends [B]",
    "  ? [B] extends [A]",
    "    ? [keyof A] extends [keyof B]",
    "      ? [keyof B] extends [keyof A]",
    "        ? true",
    "        : never",
    "      : never",
    "    : never",
    "  : never;",
    "/** Compiles only while these types are exactly what the schema accepts. */",
    "export const SPEC_INPUT_MATCHES_SCHEMA: Exact<DeploymentSpecInput, z.input<typeof deploymentSpecSchema>> = true;",
    "",
  ].join("\n");
}

const cell = (text: string): string => text.replace(/\|/g, "\\|");

function typeText(node: SpecNode): string {
  if (node.enum) return node.enum.map((value) => `\`${JSON.stringify(value)}\``).join(" \\| ");
  if (node.anyOf) return node.anyOf.map((entry) => typeText(entry)).join(" \\| ");
  if (node.const !== undefined) return `\`${JSON.stringify(node.const)}\``;
  if (node.tsType === "OptionValue") return "text, number, boolean, or a list or map of them";
  if (node.type === "array" && node.items) return `list of ${typeText(node.items)}`;
  if (node.type === "object" && typeof node.additionalProperties === "object") {
    return `map of text to ${typeText(node.additionalProperties)}`;
  }
  if (node.type === "integer" || node.type === "number") {
    return node.minimum !== undefined && node.maximum !== undefined && node.maximum < 2 ** 53 - 1
      ? `number, ${node.minimum}–${node.maximum}`
      : "number";
  }
  if (node.format === "uri") return "URL";
  return node.type === "string" ? "text" : (node.type ?? "");
}

function tableRows(node: SpecNode, path: readonly string[] = []): string[] {
  return Object.entries(node.properties ?? {}).flatMap(([key, child]) => {
    const field = [...path, key];
    if (isSection(child)) return tableRows(child, field);
    const required = node.required?.includes(key) ?? false;
    const fallback = required ? "required" : (defaultOf(child) ?? "");
    return [`| \`${field.join(".")}\` | ${typeText(child)} | ${cell(fallback)} | ${cell(child.description ?? "")} |`];
  });
}

export function specTable(): string {
  return [
    TABLE_START,
    "| field | type | default | what it does |",
    "|---|---|---|---|",
    ...tableRows(specJsonSchema()),
    TABLE_END,
  ].join("\n");
}

export function readmeWithSpecTable(readme: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start === -1 || end === -1) throw new Error("README.md lacks the spec table markers");
  return `${readme.slice(0, start)}${specTable()}${readme.slice(end + TABLE_END.length)}`;
}

if (require.main === module) {
  const check = process.argv.includes("--check");
  const readmeFile = join(ROOT, "README.md");
  const readme = readFileSync(readmeFile, "utf8");
  const wanted: [string, string, string][] = [
    [SPEC_INPUT_FILE, readFileSync(SPEC_INPUT_FILE, "utf8"), specInputSource()],
    [readmeFile, readme, readmeWithSpecTable(readme)],
  ];
  let stale = 0;
  for (const [file, current, generated] of wanted) {
    if (current === generated) continue;
    stale += 1;
    if (check) process.stderr.write(`${file} is out of date: run npm run docs:spec\n`);
    else writeFileSync(file, generated);
  }
  process.exitCode = check && stale > 0 ? 1 : 0;
}
