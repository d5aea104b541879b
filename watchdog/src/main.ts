/**
 * Entry point of the watchdog's image.
 *   node watchdog.js [watch]   checks the server every alerts.watchdog.everyMinutes, tells its
 *                              channels what went wrong and what recovered, and serves /metrics,
 *                              until stopped
 *   node watchdog.js once      one check, telling what changed since the last: exit 0 when all is
 *                              right, 1 when something is wrong (a scheduled task's way)
 *   node watchdog.js --health  exit 1 when the last check is overdue or could not run (the health check)
 * Every outcome is one line on the standard output or error, starting "prosody-watchdog:". The image runs
 * it through watchdog/entrypoint, which hands a CA given in WATCHDOG_CA to Node.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { checkServer } from "../../cli/check";
import type { CheckReport } from "../../cli/check/report";
import { ProblemError } from "../../common/problems";
import { type WatchdogConfig, readWatchdogConfig } from "./config";
import { WATCHDOG_COMMANDS, WATCHDOG_HEALTH_FLAG, WATCHDOG_STATE_FILE } from "./contract";
import { metricsText } from "./metrics";
import { type Channel, tell } from "./notify";
import { afterCheck, afterRunError, EMPTY_STATE, type Notice, type WatchState } from "./transitions";

/** EX_CONFIG from sysexits.h: a configuration error, so orchestrators do not retry in a tight loop expecting a fix. */
const EXIT_CONFIG = 78;

const say = (line: string) => process.stdout.write(`prosody-watchdog: ${line}\n`);
const complain = (line: string) => process.stderr.write(`prosody-watchdog: ${line}\n`);

const stateFile = (config: Pick<WatchdogConfig, "state">) => join(config.state, WATCHDOG_STATE_FILE);

export function readState(config: Pick<WatchdogConfig, "state">): WatchState {
  try {
    return { ...EMPTY_STATE, ...(JSON.parse(readFileSync(stateFile(config), "utf8")) as Partial<WatchState>) };
  } catch {
    return EMPTY_STATE;
  }
}

function writeState(config: WatchdogConfig, state: WatchState): void {
  mkdirSync(config.state, { recursive: true, mode: 0o700 });
  const temporary = `${stateFile(config)}.new`;
  writeFileSync(temporary, JSON.stringify(state, null, 2));
  renameSync(temporary, stateFile(config));
}

/** The channels for a notice: XMPP only where the check reached the server's client port. */
function channelsFor(config: WatchdogConfig, report: CheckReport | undefined): Channel[] {
  const { watchdog, plan } = config;
  const channels = [...config.channels];
  const address = report?.address;
  const c2sUp = report?.checks.some((check) => check.group === "login" && check.status === "pass");
  if (address && c2sUp && watchdog.channels.xmpp.length > 0) {
    const host = address.includes(":") ? `[${address}]` : address;
    channels.push({
      kind: "xmpp",
      service: `xmpp://${host}:${plan.spec.ports.c2s}`,
      jid: watchdog.account,
      password: config.password,
      to: watchdog.channels.xmpp,
    });
  }
  return channels;
}

/** Tells each notice; resolves false when a notice reached no channel at all (so the change is told again next run). */
async function tellAll(channels: readonly Channel[], notices: readonly Notice[]): Promise<boolean> {
  let delivered = true;
  for (const notice of notices) {
    const failures = await tell(channels, notice);
    for (const failure of failures) complain(`could not tell ${failure.channel}: ${failure.error}`);
    say(`${notice.kind}: ${notice.title} (told ${channels.length - failures.length} of ${channels.length} channels)`);
    if (channels.length > 0 && failures.length === channels.length) delivered = false;
  }
  return delivered;
}

export interface RunResult {
  report?: CheckReport;
  state: WatchState;
  notices: Notice[];
}

/** `prosody-stack check` as the watchdog runs it: logged in as the monitoring account, reading what it may. */
const checkAsWatchdog = (config: WatchdogConfig, now: Date): Promise<CheckReport> => {
  const { plan, watchdog } = config;
  return checkServer(plan, {
    ...(config.resolver ? { resolver: config.resolver } : {}),
    ...(config.ca ? { ca: config.ca } : {}),
    login: { jid: watchdog.account, password: config.password },
    ...(config.renewalFolder ? { renewal: config.renewalFolder } : {}),
    ...(config.image ? { image: config.image } : {}),
    backups: {
      ...(config.backupsFolder ? { folder: config.backupsFolder } : {}),
      ...(config.backupsBucket ? { bucket: config.backupsBucket } : {}),
    },
    ...(watchdog.peer ? { peer: watchdog.peer } : {}),
    now,
  });
};

/** One check and what it tells; the state is kept in the state folder between runs. */
export async function runOnce(config: WatchdogConfig, now = new Date(), check = checkAsWatchdog): Promise<RunResult> {
  const previous = readState(config);
  const { plan, watchdog } = config;
  let report: CheckReport | undefined;
  let outcome: { state: WatchState; notices: Notice[] };
  try {
    report = await check(config, now);
    outcome = afterCheck(previous, report, now, watchdog.allGood);
    const { pass, warn, fail, skip } = report.summary;
    say(`checked ${plan.spec.domain}: ${pass} passed, ${warn} warnings, ${fail} failed, ${skip} skipped`);
  } catch (error) {
    complain(`the check could not run: ${(error as Error).message}`);
    outcome = afterRunError(previous, plan.spec.domain, (error as Error).message, now);
  }
  const delivered = await tellAll(channelsFor(config, report), outcome.notices);
  // Told nowhere: keep what was known before, so the next run finds the same news and tries again.
  const state = delivered ? outcome.state : { ...previous, lastRun: now.toISOString() };
  writeState(config, state);
  return { ...(report ? { report } : {}), state, notices: outcome.notices };
}

/** The last check is overdue (missed twice, with time to run), or could not run: the health check's answer. */
export function unhealthy(config: WatchdogConfig, now = new Date()): string | undefined {
  const state = readState(config);
  if (state.runError !== undefined) return `the last check could not run: ${state.runError}`;
  if (state.lastRun === undefined) return "no check has finished yet";
  const limit = 2 * config.watchdog.everySeconds * 1000 + 300_000;
  const age = now.getTime() - new Date(state.lastRun).getTime();
  return age > limit ? `the last check finished ${Math.round(age / 60_000)} minutes ago` : undefined;
}

async function watch(config: WatchdogConfig): Promise<void> {
  const server = createServer((request, response) => {
    if (request.method === "GET" && request.url?.split("?")[0] === "/metrics") {
      response.writeHead(200, { "content-type": "application/openmetrics-text; version=1.0.0; charset=utf-8" });
      response.end(metricsText(config.plan.spec.domain, readState(config)));
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(config.metricsPort, resolve));
  say(
    `watching ${config.plan.spec.domain} every ${config.watchdog.everySeconds / 60} minutes; metrics on :${config.metricsPort}/metrics`,
  );
  let timer: NodeJS.Timeout | undefined;
  const stop = () => {
    if (timer) clearTimeout(timer);
    server.close();
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  const loop = async () => {
    await runOnce(config);
    if (server.listening) timer = setTimeout(() => void loop(), config.watchdog.everySeconds * 1000);
  };
  await loop();
}

async function main(argv: readonly string[]): Promise<number> {
  let config: WatchdogConfig;
  try {
    config = readWatchdogConfig();
  } catch (error) {
    if (error instanceof ProblemError) {
      complain(error.message);
      return EXIT_CONFIG;
    }
    throw error;
  }
  const [command = WATCHDOG_COMMANDS.watch] = argv;
  if (command === WATCHDOG_HEALTH_FLAG) {
    const why = unhealthy(config);
    if (why) complain(why);
    return why ? 1 : 0;
  }
  if (command === WATCHDOG_COMMANDS.once) {
    const result = await runOnce(config);
    return result.report && result.report.summary.fail === 0 && result.report.summary.warn === 0 ? 0 : 1;
  }
  if (command === WATCHDOG_COMMANDS.watch) {
    await watch(config);
    return 0;
  }
  complain(
    `unknown command ${JSON.stringify(command)}: use ${Object.values(WATCHDOG_COMMANDS).join(", ")} or ${WATCHDOG_HEALTH_FLAG}`,
  );
  return 2;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    // watch resolves once its first check is done; its server and timer keep the process until stopped.
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      complain(`internal error: ${(error as Error).stack ?? String(error)}`);
      process.exitCode = 1;
    },
  );
}
