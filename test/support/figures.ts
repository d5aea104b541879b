/**
 * Figures the tests measure for docs/RELIABILITY.md: with RELIABILITY_FIGURES
 * set (by `npm run reliability`, and by .ci/run), each is written there as one
 * JSON file, which scripts/reliability.ts turns into the document. Without it
 * nothing is written.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

export type FigureValue = string | number | boolean | readonly string[] | Record<string, string | number>;

export interface Figure {
  /** the case, as a heading */
  title: string;
  /** what the test did, in one or two sentences */
  done: string;
  /** the test file that measured it: pass `__filename` */
  test: string;
  /** the outcome: the same on every run of the same code, so a changed value means the document is stale */
  figures: Record<string, FigureValue>;
  /** what varies from run to run (durations, counts in flight): shown, never compared */
  observed?: Record<string, FigureValue>;
}

export interface RecordedFigure extends Figure {
  name: string;
  /** ISO time of the measurement */
  measured: string;
}

const PROJECT = join(__dirname, "..", "..");

export function recordFigure(name: string, figure: Figure): void {
  const directory = process.env.RELIABILITY_FIGURES;
  if (!directory) return;
  mkdirSync(directory, { recursive: true });
  const recorded: RecordedFigure = {
    name,
    ...figure,
    test: relative(PROJECT, figure.test),
    measured: new Date().toISOString(),
  };
  writeFileSync(join(directory, `${name}.json`), `${JSON.stringify(recorded, null, 2)}\n`);
}
