/**
 * What the watchdog tells, from what it found and what it found last time:
 * a notice when something goes wrong that was not wrong before, or gets
 * worse, and a recovery notice when it is right again; nothing when nothing
 * changed, so a fault is told once, not every run. An "all good" notice, when
 * the owner asks for one, comes at most once a day or a week, and only on a
 * run with nothing to tell. Pure: the state goes in and comes out.
 */
import type { CheckReport, CheckResult } from "../../cli/check/report";

export type AllGood = "never" | "daily" | "weekly";

/** A check that was not right, as last seen. */
export interface OpenProblem {
  status: "warn" | "fail";
  detail: string;
  /** when it was first seen wrong */
  since: string;
}

export interface WatchState {
  /** "group: name" → the check that was not right at the last run */
  problems: Record<string, OpenProblem>;
  /** the last run that finished its check */
  lastRun?: string;
  /** the last notice of any kind: an "all good" is due a period after it */
  lastNotice?: string;
  /** why the last run could not check at all, told once like a failed check */
  runError?: string;
  /** "group: name" → the moment a check is about (a certificate's end, the latest backup's), as last read */
  moments?: Record<string, string>;
}

export interface Notice {
  kind: "problem" | "recovery" | "all-good";
  /** one line: the domain and what happened */
  title: string;
  /** the body, one check per line */
  lines: string[];
}

export const EMPTY_STATE: WatchState = { problems: {} };

const PERIOD_MS: Record<Exclude<AllGood, "never">, number> = { daily: 86_400_000, weekly: 7 * 86_400_000 };

const keyOf = (check: CheckResult): string => `${check.group}: ${check.name}`;
const line = (key: string, problem: { status: string; detail: string }) =>
  `${problem.status === "fail" ? "FAIL" : "WARN"} ${key}: ${problem.detail}`;

/** The checks that ran and were right: only these close an open problem (a check that did not run proves nothing). */
const rightNow = (report: CheckReport): Set<string> =>
  new Set(report.checks.filter((check) => check.status === "pass" || check.status === "skip").map(keyOf));

/** The next state and the notices of one finished check. */
export function afterCheck(
  previous: WatchState,
  report: CheckReport,
  now: Date,
  allGood: AllGood,
): { state: WatchState; notices: Notice[] } {
  const at = now.toISOString();
  const problems: Record<string, OpenProblem> = {};
  const fresh: string[] = [];
  for (const check of report.checks) {
    if (check.status !== "warn" && check.status !== "fail") continue;
    const key = keyOf(check);
    const before = previous.problems[key];
    problems[key] = { status: check.status, detail: check.detail, since: before?.since ?? at };
    // A warning turned failure is news; a failure eased to a warning is not.
    if (!before || (before.status === "warn" && check.status === "fail")) fresh.push(key);
  }
  const right = rightNow(report);
  const recovered: string[] = [];
  for (const [key, problem] of Object.entries(previous.problems)) {
    if (problems[key]) continue;
    if (right.has(key)) recovered.push(key);
    else problems[key] = problem;
  }
  const runRecovered = previous.runError !== undefined;
  const notices: Notice[] = [];
  const open = Object.keys(problems);
  if (fresh.length > 0) {
    notices.push({
      kind: "problem",
      title: `${report.domain}: ${fresh.length} new problem${fresh.length === 1 ? "" : "s"}${open.length > fresh.length ? ` (${open.length} in all)` : ""}`,
      lines: [
        ...fresh.map((key) => line(key, problems[key]!)),
        ...open.filter((key) => !fresh.includes(key)).map((key) => `still: ${line(key, problems[key]!)}`),
        ...recovered.map((key) => `recovered: ${key}`),
      ],
    });
  } else if (recovered.length > 0 || (runRecovered && open.length === 0)) {
    notices.push({
      kind: "recovery",
      title:
        open.length === 0
          ? `${report.domain}: recovered, all good again`
          : `${report.domain}: ${recovered.length} recovered, ${open.length} still wrong`,
      lines: [
        ...(runRecovered ? [`recovered: the watchdog checks again (it could not: ${previous.runError})`] : []),
        ...recovered.map((key) => `recovered: ${key}`),
        ...open.map((key) => `still: ${line(key, problems[key]!)}`),
      ],
    });
  } else if (allGood !== "never" && open.length === 0) {
    const last = previous.lastNotice ? new Date(previous.lastNotice).getTime() : 0;
    if (now.getTime() - last >= PERIOD_MS[allGood]) {
      notices.push({
        kind: "all-good",
        title: `${report.domain}: all good`,
        lines: [`${report.summary.pass} checks passed, ${report.summary.skip} skipped`],
      });
    }
  }
  const moments: Record<string, string> = { ...previous.moments };
  for (const check of report.checks) if (check.timestamp !== undefined) moments[keyOf(check)] = check.timestamp;
  const state: WatchState = { problems, lastRun: at, moments };
  const lastNotice = notices.length > 0 ? at : previous.lastNotice;
  if (lastNotice !== undefined) state.lastNotice = lastNotice;
  return { state, notices };
}

/** The next state and the notices of a run that could not check at all (a bad spec, a crash of the check). */
export function afterRunError(
  previous: WatchState,
  domain: string,
  error: string,
  now: Date,
): { state: WatchState; notices: Notice[] } {
  const state: WatchState = { ...previous, runError: error };
  if (previous.runError !== undefined) return { state, notices: [] };
  state.lastNotice = now.toISOString();
  return { state, notices: [{ kind: "problem", title: `${domain}: the watchdog cannot check`, lines: [error] }] };
}
