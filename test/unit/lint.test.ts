/**
 * `npm run lint` holds the house's rules: an import against the layers
 * (docs/ARCHITECTURE.md) is an error, and so is an import cycle, even one
 * closed only by type imports. Checked on code that breaks them, written
 * where it would sit, so that a rule that stops firing fails here.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ESLint } from "eslint";

const ROOT = join(__dirname, "..", "..");

/** The layer rule's messages for `code` as if it were the file at `path`. */
async function layerErrors(path: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: ROOT });
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, path) });
  return (result?.messages ?? [])
    .filter((message) => message.ruleId === "@typescript-eslint/no-restricted-imports")
    .map((message) => message.message);
}

describe("lint", function () {
  this.timeout(60000);

  it("refuses an import against the layers, and allows one along them", async () => {
    const refused: [string, string, RegExp][] = [
      ["src/plan/example.ts", 'import type { ProsodyStack } from "../../components/prosody-stack";', /components\//],
      ["src/plan/example.ts", 'import * as pulumi from "@pulumi/pulumi";', /no Pulumi SDK/],
      ["common/example.ts", 'import type { DeploymentPlan } from "../src/plan/types";', /common\/ imports nothing/],
      ["gateway/src/example.ts", 'import { planDeployment } from "../../src/plan";', /imports only common/],
      ["backup/src/example.ts", 'import { planDeployment } from "../../src/plan";', /imports only common/],
      ["components/example.ts", 'import { main } from "../cli/main";', /nothing below imports them/],
      ["components/example.ts", 'import { ProsodyStack } from "../index";', /nothing below imports them/],
      ["image/contract.ts", 'import type { Problem } from "../common/problems";', /imports nothing/],
    ];
    for (const [path, code, message] of refused) {
      const errors = await layerErrors(path, `${code}\nexport {};\n`);
      assert.ok(
        errors.some((error) => message.test(error)),
        `${path}: ${code} — ${errors.join("; ") || "no error"}`,
      );
    }
    assert.deepEqual(
      await layerErrors(
        "components/example.ts",
        'import type { DeploymentPlan } from "../src/plan/types";\nexport {};\n',
      ),
      [],
    );
  });

  it("refuses an import cycle, one closed by type imports included", () => {
    const folder = mkdtempSync(join(tmpdir(), "prosody-stack-cycle-"));
    try {
      writeFileSync(join(folder, "a.ts"), 'import type { B } from "./b";\nexport interface A { b?: B }\n');
      writeFileSync(join(folder, "b.ts"), 'import type { A } from "./a";\nexport interface B { a?: A }\n');
      writeFileSync(join(folder, "c.ts"), 'import type { A } from "./a";\nexport type C = A;\n');
      // The same madge and flags as `npm run lint:cycles`, on a folder of its own.
      const script = (
        JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }
      ).scripts["lint:cycles"];
      const words = (script ?? "").split(" ");
      // Its options: the words between "madge" and the first folder or file it reads.
      const options = words.slice(1, words.indexOf("index.ts"));
      assert.ok(options.includes("--circular"), script);
      const result = spawnSync(process.execPath, [require.resolve("madge/bin/cli.js"), ...options, folder], {
        cwd: ROOT,
        encoding: "utf8",
      });
      assert.notEqual(result.status, 0, result.stdout);
      assert.match(result.stdout, /a\.ts > b\.ts/);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
