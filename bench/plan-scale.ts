/**
 * How the plan and the rendered config grow with the number of virtual
 * hosts: 1, 100 and 1,000 (the domain plus extraDomains), each validated,
 * planned and rendered in this process RUNS times. Prints the median time,
 * the config's size, and each as a ratio to one host and per host.
 *
 *   npm run bench:plan-scale    (BENCH_RUNS=5)
 */
import { planDeployment } from "../src/plan";
import { renderArtifacts } from "../src/render";
import { parseDeploymentSpec } from "../src/schema";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const HOSTS = [1, 100, 1000];

function specWith(hosts: number): Record<string, unknown> {
  return {
    domain: "example.org",
    tier: "community",
    extraDomains: Array.from({ length: hosts - 1 }, (_, index) => `tenant${index + 1}.example.org`),
  };
}

function once(hosts: number): { ms: number; bytes: number } {
  const input = specWith(hosts);
  const start = process.hrtime.bigint();
  const plan = planDeployment(parseDeploymentSpec(input));
  const config = renderArtifacts(plan)["prosody.cfg.lua"] ?? "";
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, bytes: Buffer.byteLength(config) };
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

once(1); // warm the JIT and the catalog's caches before any measurement
const rows = HOSTS.map((hosts) => {
  const runs = Array.from({ length: RUNS }, () => once(hosts));
  return { hosts, ms: median(runs.map((run) => run.ms)), bytes: runs[0]?.bytes ?? 0 };
});
const [one] = rows;
if (!one) throw new Error("no rows");
console.log(`Plan and render by virtual hosts, ${RUNS} runs each, medians (${new Date().toISOString().slice(0, 10)})`);
console.log("hosts      time   vs 1 host   ms/host     config   vs 1 host   bytes/host");
for (const row of rows) {
  console.log(
    `${String(row.hosts).padStart(5)} ${row.ms.toFixed(1).padStart(8)} ms ${(row.ms / one.ms).toFixed(2).padStart(8)}x ${(row.ms / row.hosts).toFixed(3).padStart(9)} ${String(row.bytes).padStart(10)} B ${(row.bytes / one.bytes).toFixed(2).padStart(8)}x ${(row.bytes / row.hosts).toFixed(0).padStart(10)}`,
  );
}
