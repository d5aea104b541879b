/**
 * What Prosody asks of PostgreSQL, from the server's own statement log
 * (`log_statement = all`): the statements of one phase, grouped by verb and by
 * Prosody's store (the `store` parameter of mod_storage_sql's queries), so a
 * login's or a message's transactions can be put down to the module that owns
 * the store.
 */
import { readFileSync } from "node:fs";
import type { Postgres } from "../../test/e2e/harness/postgres";

const MARK = "served-load-mark";

export function startStatementLog(postgres: Postgres, phase: string): void {
  postgres.query("ALTER SYSTEM SET log_statement = 'all'");
  postgres.query("SELECT pg_reload_conf()");
  postgres.query(`SELECT '${MARK}:${phase}'`);
}

export function stopStatementLog(postgres: Postgres, phase: string): void {
  postgres.query(`SELECT '${MARK}:${phase}:end'`);
  postgres.query("ALTER SYSTEM RESET log_statement");
  postgres.query("SELECT pg_reload_conf()");
}

/** "VERB store" → how many, between a phase's marks; BEGIN and COMMIT are counted as such. */
export function statementsOf(postgres: Postgres, phase: string): Map<string, number> {
  const log = readFileSync(postgres.logFile, "utf8");
  const start = log.lastIndexOf(`'${MARK}:${phase}'`);
  const end = log.indexOf(`'${MARK}:${phase}:end'`, start);
  const counts = new Map<string, number>();
  if (start < 0 || end < 0) return counts;
  // One entry per log record: a record's statement may span lines; its parameters follow as DETAIL.
  const entries = log.slice(start, end).split(/\n(?=\d{4}-\d\d-\d\d )/);
  for (const [index, entry] of entries.entries()) {
    const statement = /LOG: {2}(?:statement|execute [^:]*): ([\s\S]*)$/.exec(entry)?.[1];
    if (!statement || statement.includes(MARK)) continue;
    const verb = (/^\s*(\w+)/.exec(statement)?.[1] ?? "?").toUpperCase();
    if (verb === "DEALLOCATE") continue; // LuaDBI's cleanup of each prepared statement
    const detail = entries[index + 1] ?? "";
    // mod_storage_sql's parameters: host, user, store (then key, …); the store is the third.
    const store = /DETAIL: {2}parameters: \$1 = '[^']*', \$2 = '[^']*', \$3 = '([^']*)'/.exec(detail)?.[1];
    const key = store ? `${verb} ${store}` : verb;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** The counts per login or message, largest first, as "VERB store 1.0". */
export const perUnit = (counts: Map<string, number>, units: number): string[] =>
  [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([key, count]) => `${key} ${(count / Math.max(1, units)).toFixed(1)}`);
