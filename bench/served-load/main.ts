/**
 * Served load: is the server we generate as lean as Debian's stock one?
 * Each configuration of configs.ts runs in our image's Prosody 13 (its own
 * container, the open-file limit raised), with the same accounts and the same
 * scenario (scenario.ts). Prints, per configuration: memory per session, login
 * latency p50/p99, the highest login rate sustained without errors, message
 * delivery p99, acks and errors, and each figure's ratio to the stock config.
 *
 *   npm run bench:served-load     (as root: buildah; bench/served-load/run.sh)
 *   SERVED_LOAD_SESSIONS=2000 SERVED_LOAD_RATE=50 SERVED_LOAD_ONLY=stock,personal-sqlite
 *   SERVED_LOAD_STATEMENTS=1   (PostgreSQL's statements per login and per message, by store)
 *   SERVED_LOAD_OPTIONS='{"sqlite_tune":"normal"}' SERVED_LOAD_REMOVE=mam,log_auth   (attribution)
 */
import { execFileSync, spawnSync } from "node:child_process";
import type { DeploymentSpecInput } from "../../src/schema";
import { type Postgres, startPostgres } from "../../test/e2e/harness/postgres";
import { IMAGE, imageRuntime, type Runtime, STORAGE } from "../../test/e2e/harness/prosody";
import { PORTS, processCpuMs, ServerUnderTest } from "../../test/e2e/harness/server";
import { perUnit, startStatementLog, statementsOf, stopStatementLog } from "./statements";
import { type BenchConfig, CONFIGS, DOMAIN, stockConfig } from "./configs";
import { type Account, closeAll, exchange, percentile, ramp, type Target } from "./scenario";

const SESSIONS = Number(process.env.SERVED_LOAD_SESSIONS ?? 2000);
const RAMP_PER_SECOND = Number(process.env.SERVED_LOAD_RATE ?? 50);
const IDLE_SECONDS = Number(process.env.SERVED_LOAD_IDLE ?? 10);
const MESSAGES_PER_SECOND = Number(process.env.SERVED_LOAD_MESSAGES_RATE ?? 200);
/** login rates tried, for STEP_SECONDS each, while the ramp's sessions stay online */
const RATE_STEPS = (process.env.SERVED_LOAD_STEPS ?? "50,100,200,400").split(",").map(Number);
const STEP_SECONDS = 3;
/** a rate is sustained when every login of its step succeeds and 99% take at most this long */
const SUSTAINED_P99_MS = 1000;
const ONLY = process.env.SERVED_LOAD_ONLY?.split(",");
/** to find where a cost goes: global options added to, and modules removed from, every tier's spec */
const EXTRA_OPTIONS = JSON.parse(process.env.SERVED_LOAD_OPTIONS ?? "{}") as Record<string, unknown>;
const REMOVED_MODULES = process.env.SERVED_LOAD_REMOVE?.split(",") ?? [];
const POSTGRES_PORT = 25432;
/** with PostgreSQL, log every statement of the ramp and the chats and print them per login and per message */
const STATEMENT_LOG = process.env.SERVED_LOAD_STATEMENTS === "1";
const TARGET: Target = { service: `xmpp://127.0.0.1:${PORTS.c2s}`, domain: DOMAIN };

interface Figures {
  config: string;
  online: number;
  kibPerSession: number;
  rssIdleMib: number;
  /** Prosody's CPU time during the ramp, per login: what the machine's noise touches least */
  cpuMsPerLogin: number;
  /** PostgreSQL's CPU time during the ramp, per login: the server side's cost beyond Prosody's own */
  databaseCpuMsPerLogin?: number;
  /** PostgreSQL transactions committed per login and per chat message (each waits for its commit) */
  commitsPerLogin?: number;
  commitsPerMessage?: number;
  /** the load client's own CPU time per login (TLS, SCRAM, XML): the machine's two cores are shared */
  clientCpuMsPerLogin: number;
  loginP50: number;
  loginP99: number;
  sustainedPerSecond: number;
  /** delivery of each user's first chat, and of the second round (caches warm) */
  firstDeliveryP99: number;
  deliveryP99: number;
  lost: number;
  acked: number;
  errors: number;
  errorKinds: string[];
}

const accounts = (prefix: string, count: number): Account[] =>
  Array.from({ length: count }, (_, index) => ({ username: `${prefix}${index}`, password: `pw-${prefix}${index}` }));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Debian's stock file, read from the image itself so it is the shipped one. */
function imageStockConfig(): string {
  const container = execFileSync("buildah", [...STORAGE, "from", IMAGE], { encoding: "utf8" }).trim();
  try {
    return execFileSync(
      "buildah",
      [...STORAGE, "run", "--isolation", "chroot", container, "--", "cat", "/etc/prosody/prosody.cfg.lua"],
      { encoding: "utf8" },
    );
  } finally {
    execFileSync("buildah", [...STORAGE, "rm", container], { stdio: "ignore" });
  }
}

/** CPU time of every PostgreSQL process now running (Prosody's backend stays for the whole run). */
function postgresCpuMs(postgres: Postgres | undefined): number {
  if (!postgres) return 0;
  const pids = spawnSync("pgrep", ["-u", "postgres"], { encoding: "utf8" }).stdout.split("\n").filter(Boolean);
  return pids.reduce((sum, pid) => {
    try {
      return sum + processCpuMs(Number(pid));
    } catch {
      return sum; // it exited meanwhile
    }
  }, 0);
}

/** Transactions committed in Prosody's database so far (pg_stat_database). */
const commits = (postgres: Postgres | undefined): number =>
  postgres ? Number(postgres.query("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")) : 0;

/** The same, once PostgreSQL has flushed its statistics (at most every second). */
async function settledCommits(postgres: Postgres | undefined): Promise<number> {
  if (!postgres) return 0;
  await sleep(1500);
  return commits(postgres);
}

function serverFor(runtime: Runtime, config: BenchConfig, postgres: Postgres | undefined): ServerUnderTest {
  if (config.kind === "stock") {
    const stock = stockConfig(imageStockConfig(), PORTS);
    return new ServerUnderTest(runtime, { domain: DOMAIN }, undefined, () => stock);
  }
  return new ServerUnderTest(
    runtime,
    {
      domain: DOMAIN,
      tier: config.tier,
      storage: config.storage,
      ...(Object.keys(EXTRA_OPTIONS).length > 0 ? { options: { global: EXTRA_OPTIONS } } : {}),
      ...(REMOVED_MODULES.length > 0 ? { modules: { remove: REMOVED_MODULES } } : {}),
    } as DeploymentSpecInput,
    postgres,
  );
}

async function measure(runtime: Runtime, config: BenchConfig): Promise<Figures> {
  const postgres = config.kind === "tier" && config.storage === "postgresql" ? startPostgres(POSTGRES_PORT) : undefined;
  const server = serverFor(runtime, config, postgres);
  const main = accounts("u", SESSIONS);
  const steps = RATE_STEPS.map((rate) => accounts(`r${rate}-`, rate * STEP_SECONDS));
  const statementLog = STATEMENT_LOG ? postgres : undefined;
  const say = (text: string) => process.stderr.write(`served-load ${config.name}: ${text}\n`);
  try {
    say(`creating ${main.length + steps.flat().length} accounts`);
    server.registerMany([...main, ...steps.flat()]);
    await server.start();
    await sleep(3000);
    const before = server.usage();

    say(`${SESSIONS} logins at ${RAMP_PER_SECOND}/s`);
    const commitsBefore = commits(postgres);
    const databaseCpuBefore = postgresCpuMs(postgres);
    if (statementLog) startStatementLog(statementLog, "ramp");
    const clientBefore = process.cpuUsage();
    const loaded = await ramp(TARGET, main, RAMP_PER_SECOND);
    const afterRamp = server.usage();
    const client = process.cpuUsage(clientBefore);
    const databaseCpuMs = postgresCpuMs(postgres) - databaseCpuBefore;
    if (statementLog) stopStatementLog(statementLog, "ramp");
    const commitsAfterRamp = await settledCommits(postgres);
    await sleep(IDLE_SECONDS * 1000);
    const idle = server.usage();

    say(`two rounds of one chat from each of ${loaded.online.length} sessions at ${MESSAGES_PER_SECOND}/s`);
    // The first chat of each user fills Prosody's per-user caches; the second round is the steady state.
    const firstChats = await exchange(loaded.online, MESSAGES_PER_SECOND, 1);
    const commitsBeforeChats = commits(postgres);
    if (statementLog) startStatementLog(statementLog, "chats");
    const chats = await exchange(loaded.online, MESSAGES_PER_SECOND, 2);
    if (statementLog) {
      stopStatementLog(statementLog, "chats");
      say(`statements per login: ${perUnit(statementsOf(statementLog, "ramp"), loaded.online.length).join(", ")}`);
      say(`statements per message: ${perUnit(statementsOf(statementLog, "chats"), chats.sent).join(", ")}`);
    }
    const commitsAfterChats = await settledCommits(postgres);

    let sustainedPerSecond = 0;
    const stepErrors = new Map<string, number>();
    for (const [index, rate] of RATE_STEPS.entries()) {
      const step = await ramp(TARGET, steps[index] ?? [], rate);
      await closeAll(step.online);
      const clean = step.errors.size === 0 && percentile(step.latenciesMs, 99) <= SUSTAINED_P99_MS;
      say(
        `step ${rate}/s: ${step.online.length} online, ${step.achievedPerSecond.toFixed(0)}/s achieved, p99 ${percentile(step.latenciesMs, 99).toFixed(0)} ms, ${[...step.errors.values()].reduce((a, b) => a + b, 0)} errors`,
      );
      for (const [message, count] of step.errors) stepErrors.set(message, (stepErrors.get(message) ?? 0) + count);
      if (!clean) break;
      sustainedPerSecond = rate;
    }
    await closeAll(loaded.online);

    const loginErrors = [...loaded.errors.values()].reduce((a, b) => a + b, 0);
    const sessionErrors = loaded.online.reduce((sum, session) => sum + session.errors.length, 0);
    const errorKinds = [
      ...new Set([
        ...loaded.errors.keys(),
        ...loaded.online.flatMap((session) => session.errors),
        ...stepErrors.keys(),
      ]),
    ];
    return {
      config: config.name,
      online: loaded.online.length,
      kibPerSession: (idle.residentKib - before.residentKib) / Math.max(1, loaded.online.length),
      rssIdleMib: idle.residentKib / 1024,
      cpuMsPerLogin: (afterRamp.cpuMs - before.cpuMs) / Math.max(1, loaded.online.length),
      databaseCpuMsPerLogin: postgres ? databaseCpuMs / Math.max(1, loaded.online.length) : undefined,
      commitsPerLogin: postgres ? (commitsAfterRamp - commitsBefore) / Math.max(1, loaded.online.length) : undefined,
      commitsPerMessage: postgres ? (commitsAfterChats - commitsBeforeChats) / Math.max(1, chats.sent) : undefined,
      clientCpuMsPerLogin: (client.user + client.system) / 1000 / Math.max(1, loaded.online.length),
      loginP50: percentile(loaded.latenciesMs, 50),
      loginP99: percentile(loaded.latenciesMs, 99),
      sustainedPerSecond,
      firstDeliveryP99: percentile(firstChats.deliveryMs, 99),
      deliveryP99: percentile(chats.deliveryMs, 99),
      lost: firstChats.sent - firstChats.delivered + chats.sent - chats.delivered,
      acked: firstChats.acked + chats.acked,
      errors: loginErrors + sessionErrors,
      errorKinds: errorKinds.slice(0, 5),
    };
  } catch (error) {
    process.stderr.write(`served-load ${config.name}: failed; Prosody's last output:\n${server.log().slice(-3000)}\n`);
    throw error;
  } finally {
    await server.dispose();
    postgres?.stop();
  }
}

function table(figures: readonly Figures[]): string {
  const stock = figures.find((figure) => figure.config === "stock");
  const ratio = (value: number, base: number | undefined) =>
    base === undefined || figures[0]?.config !== "stock" ? "" : ` (${(value / base).toFixed(2)}×)`;
  const rows = figures.map((f) =>
    [
      f.config,
      `${f.online}`,
      `${f.rssIdleMib.toFixed(1)}`,
      `${f.kibPerSession.toFixed(1)}${ratio(f.kibPerSession, stock?.kibPerSession)}`,
      `${f.cpuMsPerLogin.toFixed(1)}${ratio(f.cpuMsPerLogin, stock?.cpuMsPerLogin)}`,
      f.databaseCpuMsPerLogin === undefined ? "" : f.databaseCpuMsPerLogin.toFixed(1),
      `${f.clientCpuMsPerLogin.toFixed(1)}`,
      `${f.loginP50.toFixed(0)}${ratio(f.loginP50, stock?.loginP50)}`,
      `${f.loginP99.toFixed(0)}${ratio(f.loginP99, stock?.loginP99)}`,
      `${f.sustainedPerSecond}`,
      f.commitsPerLogin === undefined
        ? ""
        : `${f.commitsPerLogin.toFixed(1)} / ${(f.commitsPerMessage ?? 0).toFixed(1)}`,
      `${f.firstDeliveryP99.toFixed(0)} / ${f.deliveryP99.toFixed(0)}`,
      `${f.lost}`,
      `${f.acked}`,
      `${f.errors}`,
    ].join(" | "),
  );
  return [
    "config | online | RSS idle MiB | KiB/session | CPU ms/login | PostgreSQL CPU ms/login | client CPU ms/login | login p50 ms | login p99 ms | sustained logins/s | PostgreSQL commits per login / message | delivery p99 ms first / again | lost | acked | errors",
    "--- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | ---",
    ...rows,
  ]
    .map((row) => `| ${row} |`)
    .join("\n");
}

async function main(): Promise<void> {
  const openFiles = Number(execFileSync("sh", ["-c", "ulimit -Hn"], { encoding: "utf8" }).trim());
  const runtime = imageRuntime({ openFiles });
  const chosen = CONFIGS.filter((config) => !ONLY || ONLY.includes(config.name));
  const figures: Figures[] = [];
  for (const config of chosen) {
    const result = await measure(runtime, config);
    figures.push(result);
    process.stderr.write(`served-load ${config.name}: ${JSON.stringify(result)}\n`);
  }
  console.log(
    `Served load, ${new Date().toISOString().slice(0, 10)}: Prosody 13 (our image), ${SESSIONS} sessions over STARTTLS + SCRAM-SHA-1 + XEP-0198,`,
  );
  console.log(
    `logins at ${RAMP_PER_SECOND}/s, ${IDLE_SECONDS} s idle, two rounds of one chat each at ${MESSAGES_PER_SECOND}/s; rate steps ${RATE_STEPS.join(", ")}/s for ${STEP_SECONDS} s. Ratios are to the stock config.`,
  );
  console.log(table(figures));
  for (const f of figures) if (f.errorKinds.length > 0) console.log(`${f.config} errors: ${f.errorKinds.join("; ")}`);
  console.log(`open-file limit in the container: ${openFiles}; PostgreSQL's own memory is not in Prosody's RSS.`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
