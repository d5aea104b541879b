import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { catalogMarkdown, readmeWithMatrix } from "../../scripts/catalog-doc";
import { readmeWithSpecTable, SPEC_INPUT_FILE, specInputSource } from "../../scripts/spec-docs";
import { deploymentSpecSchema } from "../../src/schema/deployment-spec";
import { type SpecNode, specJsonSchema } from "../../scripts/spec-json-schema";
import { schemaFields } from "../support/schema-fields";

const root = join(__dirname, "..", "..");

describe("generated documentation (run npm run docs:catalog after changing the catalog)", () => {
  it("docs/catalog.md matches the catalog data", () => {
    assert.equal(readFileSync(join(root, "docs", "catalog.md"), "utf8"), catalogMarkdown());
  });

  it("README.md's tier matrix matches the resolver", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    assert.equal(readme, readmeWithMatrix(readme));
  });

  it("README.md's spec table and src/schema/spec-input.ts are what the schema generates (npm run docs:spec)", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    assert.equal(readme, readmeWithSpecTable(readme));
    assert.equal(readFileSync(SPEC_INPUT_FILE, "utf8"), specInputSource());
  });

  it("gives every field of the spec a doc line, and every optional one its default", () => {
    const fields = schemaFields(deploymentSpecSchema);
    assert.ok(fields.length > 90);
    const source = specInputSource();
    const undocumented = [...source.matchAll(/\n(\s*)(\/\*\*[\s\S]*?\*\/\n)?\s*(\w+)(\??): [^\n]+;/g)].filter(
      ([, , comment, , optional]) =>
        comment === undefined || !/\* \S/.test(comment) || (optional === "?" && !/@default \S/.test(comment)),
    );
    assert.deepEqual(
      undocumented.map((match) => match[3]),
      [],
      "fields without a doc line, or optional ones without @default",
    );
    assert.equal([...source.matchAll(/^\s*\w+\??: /gm)].length, fields.length, "one declaration per field");
  });

  it("writes each default once: no defaultText restates .default(), and every field says what it is in three words or more", () => {
    const redundant: string[] = [];
    const terse: string[] = [];
    const walk = (node: SpecNode, path: string[]): void => {
      const name = path.join(".") || "(spec)";
      if (node.defaultText !== undefined && node.default !== undefined) {
        if (node.defaultText === JSON.stringify(node.default)) redundant.push(`${name}: ${node.defaultText}`);
      }
      if (path.length > 0 && (node.description ?? "").split(/\s+/).filter((word) => /\w/.test(word)).length < 3) {
        terse.push(`${name}: ${JSON.stringify(node.description)}`);
      }
      for (const [key, child] of Object.entries(node.properties ?? {})) walk(child, [...path, key]);
    };
    walk(specJsonSchema(), []);
    assert.deepEqual(redundant, [], "defaultText that only restates .default(): drop it, the docs show the default");
    assert.deepEqual(terse, [], "descriptions shorter than three words");
  });

  /** Every tracked file and every folder holding one, relative to the project. */
  const tracked = (): Set<string> => {
    const files = execFileSync("git", ["ls-files"], { cwd: root, encoding: "utf8" }).split("\n").filter(Boolean);
    const paths = new Set(files);
    for (const file of files) {
      for (let at = file.indexOf("/"); at !== -1; at = file.indexOf("/", at + 1)) paths.add(file.slice(0, at));
    }
    return paths;
  };

  it("docs/ARCHITECTURE.md names only files and folders that exist", () => {
    const paths = [...tracked()];
    const text = readFileSync(join(root, "docs", "ARCHITECTURE.md"), "utf8");
    const named = [...text.matchAll(/`([A-Za-z0-9_./<>-]+)`/g)]
      .map((match) => (match[1] ?? "").replace(/\/$/, ""))
      .filter((token) => /\.(ts|mjs|md)$/.test(token) || token.includes("/"))
      .filter((token) => !token.startsWith("@"));
    assert.ok(named.length > 20);
    const exists = (token: string): boolean => {
      const pattern = new RegExp(`(^|/)${token.replace(/[.]/g, "\\.").replace(/<[a-z]+>/g, "[^/]+")}$`);
      return paths.some((path) => pattern.test(path));
    };
    assert.deepEqual(
      named.filter((token) => !exists(token)),
      [],
      "paths in docs/ARCHITECTURE.md that are not in the tree",
    );
  });

  it("README.md's layout names every folder of the core, the components and the platforms, and nothing else", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const start = readme.indexOf("```", readme.indexOf("## Layout"));
    const layout = readme.slice(start, readme.indexOf("```", start + 3));
    // The left column: a name at the margin, or a folder of it indented by two; wider indents continue a line.
    let parent = "";
    const named = new Set<string>();
    for (const [, indent = "", name = ""] of layout.matchAll(/^( *)(\S+)/gm)) {
      if (indent.length === 0 && /^[a-z][a-z.-]*(\/[a-z.-]*)*$/.test(name)) {
        parent = name.replace(/\/$/, "");
        named.add(parent);
      } else if (indent.length === 2 && name.endsWith("/")) {
        named.add(`${parent}/${name.slice(0, -1)}`);
      }
    }
    for (const path of named) assert.ok(existsSync(join(root, path)), `the layout names ${path}, which does not exist`);
    const folders = (folder: string) =>
      readdirSync(join(root, folder))
        .filter((entry) => statSync(join(root, folder, entry)).isDirectory())
        .map((entry) => `${folder}/${entry}`);
    for (const folder of folders("src")) assert.ok(named.has(folder), `the layout does not name ${folder}`);
    const text = layout.replace(/\s+/g, " ");
    for (const folder of [...folders("components"), ...folders("components/platforms")]) {
      const last = folder.split("/").pop() ?? "";
      assert.ok(text.includes(`${last}/`), `the layout does not name ${folder}`);
    }
  });
});
