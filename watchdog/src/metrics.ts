/**
 * What the watchdog exports for Prometheus (OpenMetrics text): the two
 * numbers Prosody cannot know, which the stack's alert rules read
 * (WATCHDOG_METRICS in src/monitoring/alerts.ts), and its own last run, so a
 * silent watchdog is noticed too.
 */
import { WATCHDOG_METRICS } from "../../src/monitoring/alerts";
import type { WatchState } from "./transitions";

export const WATCHDOG_OWN_METRICS = {
  lastRun: "prosody_stack_watchdog_last_run_timestamp_seconds",
  problems: "prosody_stack_watchdog_problems",
} as const;

/** The checks ("group: name") whose moment (CheckResult.timestamp) each exported time is. */
const TIMED_CHECKS: Record<keyof typeof WATCHDOG_METRICS, string> = {
  certificateExpiry: "tls: certificate expiry",
  lastGoodBackup: "backups: latest backup",
};

const HELP: Record<keyof typeof WATCHDOG_METRICS, string> = {
  certificateExpiry: "When the served certificate ends, as the watchdog last read it (Unix seconds).",
  lastGoodBackup: "When the latest good backup was made, as the backup runner noted it (Unix seconds).",
};

const label = (value: string) => value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
const seconds = (iso: string) => Math.floor(new Date(iso).getTime() / 1000);

/** The exposition, from the kept state (whichever run read it last): a time is left out until it was read once. */
export function metricsText(domain: string, state: WatchState): string {
  const labels = `{domain="${label(domain)}"}`;
  const lines: string[] = [];
  const gauge = (name: string, help: string, value: number | undefined) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`);
    if (value !== undefined && Number.isFinite(value)) lines.push(`${name}${labels} ${value}`);
  };
  for (const key of Object.keys(WATCHDOG_METRICS) as (keyof typeof WATCHDOG_METRICS)[]) {
    const timestamp = state.moments?.[TIMED_CHECKS[key]];
    gauge(WATCHDOG_METRICS[key], HELP[key], timestamp === undefined ? undefined : seconds(timestamp));
  }
  gauge(
    WATCHDOG_OWN_METRICS.lastRun,
    "When the watchdog last finished a check (Unix seconds).",
    state.lastRun === undefined ? undefined : seconds(state.lastRun),
  );
  gauge(WATCHDOG_OWN_METRICS.problems, "Checks wrong at the last run.", Object.keys(state.problems).length);
  lines.push("# EOF");
  return `${lines.join("\n")}\n`;
}
