/**
 * Where users wait on the CLI: each command, and the Pulumi program's start,
 * against the floor (`node -e "require('@pulumi/pulumi')"`: the SDK alone, which
 * `plan` and `pulumi up` cannot go below). Each is run RUNS times, interleaved
 * with the floor so that a noisy machine slows both alike; it prints each
 * command's median and its ratio to the floor's median.
 *
 *   npm run bench:cli           (BENCH_RUNS=5)
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(__dirname, "..");
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const BIN = join(ROOT, "bin", "prosody-stack");
const out = mkdtempSync(join(tmpdir(), "bench-cli-"));

const CASES: [label: string, args: string[]][] = [
  ["floor: require('@pulumi/pulumi')", ["-e", "require('@pulumi/pulumi')"]],
  ["prosody-stack --version", [BIN, "--version"]],
  ["prosody-stack modules --stack dev", [BIN, "modules", "--stack", "dev"]],
  ["prosody-stack explain muc", [BIN, "explain", "muc"]],
  ["prosody-stack compliance --stack prod", [BIN, "compliance", "--stack", "prod"]],
  ["prosody-stack render --stack prod", [BIN, "render", "--stack", "prod", "--out", out]],
  ["prosody-stack plan --stack dev", [BIN, "plan", "--stack", "dev"]],
  ["prosody-stack plan --stack prod", [BIN, "plan", "--stack", "prod"]],
  ["prosody-stack plan --stack k8s", [BIN, "plan", "--stack", "k8s"]],
  ["the Pulumi program's start (its require)", ["-e", "require('./bin/pulumi-program.js')"]],
];

function milliseconds(args: string[]): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
  const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${args.join(" ")} failed: ${result.stderr.toString()}`);
  return elapsed;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

// One run first, untimed: a stale checkout rebuilds dist/ here, never inside a measurement.
milliseconds([BIN, "--version"]);
const [floorCase, ...commands] = CASES;
if (!floorCase) throw new Error("no floor");
const floor: number[] = [];
const times = new Map<string, number[]>(commands.map(([label]) => [label, []]));
for (let run = 0; run < RUNS; run += 1) {
  for (const [label, args] of commands) {
    floor.push(milliseconds(floorCase[1]));
    times.get(label)?.push(milliseconds(args));
  }
}
rmSync(out, { recursive: true, force: true });
const floorMedian = median(floor);
console.log(
  `CLI start-up, ${RUNS} runs each, medians (${new Date().toISOString().slice(0, 10)}, Node ${process.version})`,
);
console.log(`${floorCase[0].padEnd(46)} ${floorMedian.toFixed(0).padStart(6)} ms   1.00x`);
for (const [label, values] of times) {
  const value = median(values);
  console.log(`${label.padEnd(46)} ${value.toFixed(0).padStart(6)} ms   ${(value / floorMedian).toFixed(2)}x`);
}
