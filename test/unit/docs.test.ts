import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { catalogMarkdown, readmeWithMatrix } from "../../scripts/catalog-doc";
import { deploymentSpecSchema } from "../../src/schema/deployment-spec";
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

  it("README.md's spec table names every field of the schema, and no field the schema lacks", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const table = readme.slice(readme.indexOf("| field | type | default |"));
    const rows = table.slice(0, table.indexOf("\n\n")).split("\n").slice(2);
    // A cell names fields as `a.b` / `.c` (a sibling of the one before), `a.*`, `a.<name>` or `a.x` … `a.z` (every sibling).
    const named = new Set<string>();
    for (const row of rows) {
      const cell = row.split("|")[1] ?? "";
      let previous = "";
      for (const [token] of cell.matchAll(/`[^`]+`/g)) {
        const text = token.slice(1, -1);
        const path = text.startsWith(".") ? `${previous.slice(0, previous.lastIndexOf("."))}${text}` : text;
        named.add(path.replace(/\.(\*|<[a-z]+>)$/, ""));
        previous = path;
      }
      const range = cell.match(/`([^`]+)\.[^`.]+` … `/);
      if (range?.[1]) named.add(range[1]);
    }
    const fields = schemaFields(deploymentSpecSchema);
    const paths = new Set(fields.map((field) => field.path));
    const covered = (path: string): boolean =>
      named.has(path) || [...named].some((name) => path.startsWith(`${name}.`));
    const missing = fields.filter((field) => field.leaf && !covered(field.path)).map((field) => field.path);
    assert.deepEqual(missing, [], "fields the README's spec table does not name");
    const unknown = [...named].filter((name) => !paths.has(name));
    assert.deepEqual(unknown, [], "names in the README's spec table that are not fields");
  });
});
