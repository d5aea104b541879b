import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { catalogMarkdown, readmeWithMatrix } from "../../scripts/catalog-doc";

const root = join(__dirname, "..", "..");

describe("generated documentation (run npm run docs:catalog after changing the catalog)", () => {
  it("docs/catalog.md matches the catalog data", () => {
    assert.equal(readFileSync(join(root, "docs", "catalog.md"), "utf8"), catalogMarkdown());
  });

  it("README.md's tier matrix matches the resolver", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    assert.equal(readme, readmeWithMatrix(readme));
  });
});
