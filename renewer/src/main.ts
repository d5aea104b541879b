/**
 * Entry point of the certificate renewer's image.
 *   node renewer.js [schedule]   looks at the served certificate every RENEWER_CHECK_SECONDS and
 *                                renews it when due, retrying a failure sooner, until stopped
 *   node renewer.js once         one look (and a renewal when due), then exit 0, or 1 when the
 *                                served certificate is not good (a scheduled task's way)
 *   node renewer.js --health     exit 1 when the last attempt failed, saying why (the health check)
 * Every outcome is one line on the standard output or error, starting "prosody-renewer:".
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ProblemError } from "../../common/problems";
import { issue } from "./certbot";
import { type RenewerConfig, readRenewerConfig } from "./config";
import {
  RENEWER_COMMANDS,
  RENEWER_HEALTH_FLAG,
  RENEWER_STATE_PATH,
  RENEWER_STATUS_FILE,
  RENEWER_VARIABLES,
} from "./contract";
import { decide, nextLook, servedCertificate } from "./decide";
import { pairStore, type PairStore } from "./store";

/** EX_CONFIG from sysexits.h: a configuration error, so orchestrators do not retry in a tight loop expecting a fix. */
const EXIT_CONFIG = 78;
const MAX_TIMER_MS = 2 ** 31 - 1;

const say = (line: string) => process.stdout.write(`prosody-renewer: ${line}\n`);
const complain = (line: string) => process.stderr.write(`prosody-renewer: ${line}\n`);

export interface Status {
  lastAttempt?: string;
  lastSuccess?: string;
  /** the latest renewal: when the served pair was last replaced */
  lastRenewal?: string;
  lastFailure?: { at: string; reason: string };
  failuresInARow: number;
  nextAttempt?: string;
  /** the served certificate's end, as last read */
  notAfter?: string;
}

const state = () => process.env[RENEWER_VARIABLES.state] ?? RENEWER_STATE_PATH;
const statusFile = () => join(state(), RENEWER_STATUS_FILE);

export function readStatus(): Status {
  try {
    return { failuresInARow: 0, ...(JSON.parse(readFileSync(statusFile(), "utf8")) as Partial<Status>) };
  } catch {
    return { failuresInARow: 0 };
  }
}

const writeStatus = (status: Status) => {
  mkdirSync(state(), { recursive: true, mode: 0o700 });
  // The status may be read by path (the watchdog, as nobody); certbot's folder inside stays root's alone.
  chmodSync(state(), 0o711);
  writeFileSync(statusFile(), JSON.stringify(status, null, 2));
  chmodSync(statusFile(), 0o644);
};

/** One look at the served certificate, renewing it when due; resolves with whether it is good now. */
export async function attempt(config: RenewerConfig, store: PairStore, now = new Date()): Promise<boolean> {
  const status = readStatus();
  status.lastAttempt = now.toISOString();
  try {
    const served = servedCertificate(await store.served());
    const decision = decide(served, config.domains, config.renewDaysBefore, now);
    if (decision.renew) {
      say(`renewing the certificate for ${config.domains.join(", ")}: ${decision.why}`);
      const pair = await issue(config, join(state(), "certbot"));
      await store.publish(pair);
      const renewed = servedCertificate(pair.chain);
      status.lastRenewal = now.toISOString();
      status.notAfter = renewed?.notAfter.toISOString();
      say(
        `renewed: ${renewed?.issuer ?? "a certificate"} until ${status.notAfter ?? "?"}, published to ${store.where}`,
      );
    } else {
      status.notAfter = served?.notAfter.toISOString();
      say(`nothing to do: ${decision.why}`);
    }
    status.lastSuccess = now.toISOString();
    status.failuresInARow = 0;
    delete status.lastFailure;
    return true;
  } catch (error) {
    const reason = (error as Error).message;
    status.failuresInARow += 1;
    status.lastFailure = { at: now.toISOString(), reason };
    complain(`renewal failed (${status.failuresInARow} in a row): ${reason}`);
    return false;
  } finally {
    status.nextAttempt = nextLook(status.failuresInARow, now, config.checkSeconds, config.retrySeconds).toISOString();
    writeStatus(status);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, MAX_TIMER_MS)));

async function keepLooking(config: RenewerConfig, store: PairStore): Promise<never> {
  let busy = false;
  let stopping = false;
  const stop = () => {
    stopping = true;
    // Mid-order, certbot finishes first (a half-published pair is worse than a late stop).
    if (!busy) process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  for (;;) {
    busy = true;
    await attempt(config, store);
    busy = false;
    if (stopping) process.exit(0);
    const next = new Date(readStatus().nextAttempt ?? Date.now() + config.checkSeconds * 1000);
    say(`next look at ${next.toISOString()}`);
    while (Date.now() < next.getTime()) await sleep(next.getTime() - Date.now());
  }
}

/** The health check: the last attempt's outcome, in one line. */
function health(): number {
  const status = readStatus();
  if (status.lastFailure) {
    complain(
      `unhealthy: the last attempt failed at ${status.lastFailure.at}: ${status.lastFailure.reason}; next try at ${status.nextAttempt ?? "?"}`,
    );
    return 1;
  }
  say(
    status.lastAttempt === undefined
      ? "starting: no attempt yet"
      : `healthy: certificate until ${status.notAfter ?? "?"}, last renewal ${status.lastRenewal ?? "none yet"}, next look at ${status.nextAttempt ?? "?"}`,
  );
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  if (argv.includes(RENEWER_HEALTH_FLAG)) return health();
  const [command = RENEWER_COMMANDS.schedule] = argv;
  let config: RenewerConfig;
  try {
    config = readRenewerConfig();
  } catch (error) {
    if (error instanceof ProblemError) {
      complain(error.message);
      return EXIT_CONFIG;
    }
    throw error;
  }
  const store = pairStore(config.store);
  if (command === RENEWER_COMMANDS.once) return (await attempt(config, store)) ? 0 : 1;
  if (command === RENEWER_COMMANDS.schedule) return keepLooking(config, store);
  complain(`unknown command ${command}: use ${Object.values(RENEWER_COMMANDS).join(", ")} or ${RENEWER_HEALTH_FLAG}`);
  return 2;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      complain(`internal error: ${(error as Error).stack ?? String(error)}`);
      process.exit(70);
    },
  );
}
