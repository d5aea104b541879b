/**
 * docs/RELIABILITY.md is written from the tests' figures: a changed figure makes
 * it stale, a new date or observed value does not, and every figure a test
 * records has its section in the committed file.
 */
import { strict as assert } from "node:assert";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { RELIABILITY_FILE, renderReliability, staleLines } from "../../scripts/reliability";
import type { RecordedFigure } from "../support/figures";

const figure = (figures: RecordedFigure["figures"], extra: Partial<RecordedFigure> = {}): RecordedFigure => ({
  name: "crash-under-load",
  title: "SIGKILL while a client sends",
  done: "Prosody gets SIGKILL.",
  test: "test/e2e/faults.test.ts",
  figures,
  measured: "2026-12-03T10:00:00.000Z",
  ...extra,
});

function testFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? testFiles(join(folder, entry.name))
      : entry.name.endsWith(".ts")
        ? [join(folder, entry.name)]
        : [],
  );
}

describe("docs/RELIABILITY.md", () => {
  it("is stale when a figure changes, and not when only the date or an observed value does", () => {
    const committed = renderReliability([figure({ lost: 0 }, { observed: { sent: 1200 } })]);
    const rerun = renderReliability([
      figure({ lost: 0 }, { observed: { sent: 1350 }, measured: "2026-12-24T10:00:00.000Z" }),
    ]);
    assert.deepEqual(staleLines(committed, rerun), []);
    const changed = renderReliability([figure({ lost: 3 })]);
    assert.deepEqual(staleLines(committed, changed), ["+ | lost | 3 |", "- | lost | 0 |"]);
    const more = renderReliability([figure({ lost: 0 }), figure({ ciphers: ["TLSv1.3 A"] }, { name: "tls-scan" })]);
    assert.ok(staleLines(committed, more).includes("+ - Test: `test/e2e/faults.test.ts` (figure `tls-scan`)"));
  });

  it("escapes what would break its tables", () => {
    const text = renderReliability([figure({ "a | b": "line\nbreak", list: ["x|y"], map: { k: 1 } })]);
    assert.match(text, /^\| a \\\| b \| line break \|$/m);
    assert.match(text, /^\| list \| x\\\|y \|$/m);
    assert.match(text, /^\| map \| k: 1 \|$/m);
  });

  it("has a section for every figure the tests record", () => {
    const document = readFileSync(RELIABILITY_FILE, "utf8");
    const root = join(__dirname, "..");
    const names = testFiles(root).flatMap((file) =>
      [...readFileSync(file, "utf8").matchAll(/recordFigure\(\s*"([^"]+)"/g)].map((match) => match[1]),
    );
    assert.ok(names.length >= 6, names.join());
    const missing = names.filter((name) => !document.includes(`(figure \`${name}\`)`));
    assert.deepEqual(missing, [], "run `npm run reliability` (needs root for the e2e suite) and commit the file");
  });
});
