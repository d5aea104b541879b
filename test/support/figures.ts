/**
 * Figures the tests measure for docs/RELIABILITY.md: with RELIABILITY_FIGURES
 * set (by `npm run reliability`), each is written there as one JSON file, which
 * scripts/reliability.ts turns into the document. Without it nothing is written.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export function recordFigure(name: string, figure: Record<string, unknown>): void {
  const directory = process.env.RELIABILITY_FIGURES;
  if (!directory) return;
  mkdirSync(directory, { recursive: true });
  writeFileSync(
    join(directory, `${name}.json`),
    `${JSON.stringify({ ...figure, measured: new Date().toISOString() }, null, 2)}\n`,
  );
}
