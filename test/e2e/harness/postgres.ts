/**
 * A throwaway PostgreSQL cluster from Debian's packages, on a loopback port,
 * with password authentication, owned by the suite and removed when done.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Postgres {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  /** the server's log file */
  logFile: string;
  /** runs SQL as the superuser and returns psql's unaligned output */
  query(sql: string): string;
  /** stops the server (fast shutdown: sessions are cut) and keeps its data, for up() */
  down(): void;
  /** starts it again on the same data and port */
  up(): void;
  stop(): void;
}

function binDir(): string {
  const versions = readdirSync("/usr/lib/postgresql").sort((a, b) => Number(b) - Number(a));
  if (versions.length === 0) throw new Error("PostgreSQL is not installed (scripts/install-e2e-deps.sh)");
  return `/usr/lib/postgresql/${versions[0]}/bin`;
}

const asPostgres = (command: string, args: string[]) =>
  execFileSync("runuser", ["-u", "postgres", "--", command, ...args], { stdio: "pipe", encoding: "utf8" });

export function startPostgres(port: number): Postgres {
  const bin = binDir();
  const dir = mkdtempSync(join(tmpdir(), "prosody-e2e-pg-"));
  chmodSync(dir, 0o755);
  execFileSync("chown", ["postgres:postgres", dir]);
  const data = join(dir, "data");
  asPostgres(join(bin, "initdb"), [
    "-D",
    data,
    "-U",
    "postgres",
    "--auth-local=trust",
    "--auth-host=scram-sha-256",
    "-E",
    "UTF8",
  ]);
  writeFileSync(join(data, "pg_hba.conf"), "local all all trust\nhost all all 127.0.0.1/32 scram-sha-256\n");
  const running = () =>
    spawnSync("runuser", ["-u", "postgres", "--", join(bin, "pg_ctl"), "-D", data, "status"], { stdio: "ignore" })
      .status === 0;
  const up = () => {
    if (running()) return;
    asPostgres(join(bin, "pg_ctl"), [
      "-D",
      data,
      "-l",
      join(dir, "log"),
      "-w",
      "-o",
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`,
      "start",
    ]);
  };
  up();
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  const psql = (database: string) => (sql: string) =>
    asPostgres("psql", [
      "-h",
      dir,
      "-p",
      String(port),
      "-U",
      "postgres",
      "-d",
      database,
      "-At",
      "-v",
      "ON_ERROR_STOP=1",
      "-c",
      sql,
    ]);
  psql("postgres")(`CREATE ROLE prosody LOGIN PASSWORD '${password}'`);
  psql("postgres")("CREATE DATABASE prosody OWNER prosody");
  return {
    host: "127.0.0.1",
    port,
    database: "prosody",
    user: "prosody",
    password,
    logFile: join(dir, "log"),
    query: psql("prosody"),
    down: () => asPostgres(join(bin, "pg_ctl"), ["-D", data, "-m", "fast", "-w", "stop"]),
    up,
    stop() {
      spawnSync("runuser", ["-u", "postgres", "--", join(bin, "pg_ctl"), "-D", data, "-m", "immediate", "stop"], {
        stdio: "ignore",
      });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
