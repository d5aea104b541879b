/**
 * docs/RELIABILITY.md, written from the figures the tests record (test/support/figures.ts).
 *   npm run reliability                          run npm test, test:truth and test:e2e (root), then write the file
 *   npm run reliability -- --from DIR            write it from figures already recorded in DIR
 *   npm run reliability -- --from DIR --check    exit 1 when the file differs from DIR's figures (.ci/run)
 * Dates and observed values change on every run, so --check compares everything else.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FigureValue, RecordedFigure } from "../test/support/figures";

export const RELIABILITY_FILE = join(__dirname, "..", "docs", "RELIABILITY.md");
const SUITES = ["test", "test:truth", "test:e2e"];
/** the document's order: bad input first (pure, then real Lua), then real Prosody */
const FOLDERS = ["test/unit/", "test/truth/", "test/e2e/"];
const folderRank = (test: string) => {
  const rank = FOLDERS.findIndex((folder) => test.startsWith(folder));
  return rank === -1 ? FOLDERS.length : rank;
};
/** lines of the document that change on every run */
const VARYING_LINE = /^- (Measured|Observed): /;

function readFigures(directory: string): RecordedFigure[] {
  return readdirSync(directory)
    .filter((file) => file.endsWith(".json"))
    .map((file) => JSON.parse(readFileSync(join(directory, file), "utf8")) as RecordedFigure)
    .sort(
      (a, b) => folderRank(a.test) - folderRank(b.test) || a.test.localeCompare(b.test) || a.name.localeCompare(b.name),
    );
}

const cell = (value: FigureValue): string => {
  const text =
    typeof value === "object" && !Array.isArray(value)
      ? Object.entries(value)
          .map(([key, entry]) => `${key}: ${entry}`)
          .join("; ")
      : Array.isArray(value)
        ? value.join(", ")
        : String(value);
  return text.replaceAll("|", "\\|").replaceAll("\n", " ");
};

const inline = (values: Record<string, FigureValue>): string =>
  Object.entries(values)
    .map(([key, value]) => `${key} ${cell(value)}`)
    .join("; ");

export function renderReliability(figures: readonly RecordedFigure[]): string {
  const lines = [
    "# Reliability",
    "",
    "What a generated server survives and refuses, as figures measured by tests anyone can rerun.",
    "Written by `npm run reliability` from the tests' own output: do not edit it by hand. `.ci/run`",
    "records the figures while it runs the suites and fails when this file no longer matches them",
    "(dates and observed values aside).",
    "",
  ];
  for (const figure of figures) {
    lines.push(`## ${figure.title}`, "", figure.done, "", "| figure | value |", "| --- | --- |");
    for (const [key, value] of Object.entries(figure.figures)) lines.push(`| ${cell(key)} | ${cell(value)} |`);
    lines.push("", `- Test: \`${figure.test}\` (figure \`${figure.name}\`)`);
    if (figure.observed) lines.push(`- Observed: ${inline(figure.observed)}`);
    lines.push(`- Measured: ${figure.measured.slice(0, 10)}`, "");
  }
  return lines.join("\n");
}

const comparable = (document: string): string[] => document.split("\n").filter((line) => !VARYING_LINE.test(line));

/** The lines of `current` that `expected` does not have, and the reverse, for a readable failure. */
export function staleLines(current: string, expected: string): string[] {
  const have = comparable(current);
  const want = comparable(expected);
  return [
    ...want.filter((line) => !have.includes(line)).map((line) => `+ ${line}`),
    ...have.filter((line) => !want.includes(line)).map((line) => `- ${line}`),
  ];
}

function recordAll(): string {
  const directory = mkdtempSync(join(tmpdir(), "reliability-"));
  for (const suite of SUITES) {
    console.error(`reliability: npm run ${suite}`);
    execFileSync("npm", ["run", "--silent", suite], {
      stdio: "inherit",
      env: { ...process.env, RELIABILITY_FIGURES: directory },
    });
  }
  return directory;
}

function main(argv: string[]): number {
  const from = argv.includes("--from") ? argv[argv.indexOf("--from") + 1] : undefined;
  const directory = from ?? recordAll();
  const document = renderReliability(readFigures(directory));
  if (!argv.includes("--check")) {
    writeFileSync(RELIABILITY_FILE, document);
    console.error(`reliability: wrote docs/RELIABILITY.md from ${directory}`);
    return 0;
  }
  const stale = staleLines(readFileSync(RELIABILITY_FILE, "utf8"), document);
  if (stale.length === 0) return 0;
  console.error(
    `docs/RELIABILITY.md is stale: the tests measured other figures. Run \`npm run reliability\` ` +
      `(or \`npm run reliability -- --from ${directory}\`) and commit it.\n${stale.join("\n")}`,
  );
  return 1;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
