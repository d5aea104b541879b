import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { GOLDEN_DIR, goldenFiles } from "../../scripts/golden";

describe("golden files (after an intended change, run npm run golden and review the diff)", () => {
  it("the rendered configs, zone files and stack plans are byte for byte the committed ones", async () => {
    const files = await goldenFiles();
    assert.ok(Object.keys(files).length >= 12);
    for (const [path, text] of Object.entries(files)) {
      assert.equal(text, readFileSync(join(GOLDEN_DIR, path), "utf8"), `test/golden/${path} is out of date`);
    }
  });
});
