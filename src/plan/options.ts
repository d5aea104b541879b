/**
 * Options of the user's own (spec `options`): Prosody settings the spec does
 * not model. Those the plan writes itself are refused, naming the spec field
 * that owns each, so an option can never contradict the plan or the platform.
 */
import {
  DEPRECATED_OPTIONS,
  GLOBAL_ONLY_OPTIONS,
  GLOBAL_ONLY_PATTERN,
  HOST_ALLOWED,
  OBSOLETE_OPTIONS,
} from "../catalog/options";
import type { Problem } from "../../common/problems";
import type { DeploymentSpec } from "../schema/deployment-spec";
import type { PlannedComponent } from "./types";

/** Every option prosody.cfg.lua gets from the plan, and the spec field (or fact) behind it. */
export const OWNED_OPTIONS: Readonly<Record<string, string>> = {
  admins: "admins",
  modules_enabled: "tier, features and modules.add",
  modules_disabled: "modules.remove",
  authentication: "nothing: accounts always use internal_hashed (SCRAM)",
  allow_registration: "registration",
  registration_invite_only: "registration",
  c2s_require_encryption: "nothing: encryption is always required",
  s2s_require_encryption: "nothing: encryption is always required",
  s2s_secure_auth: "tls.s2sSecureAuth",
  ssl: "nothing: TLS 1.2 or newer is always required",
  certificates: "paths.certificates and tls.mode",
  interfaces: "interfaces",
  c2s_ports: "ports.c2s",
  c2s_direct_tls_ports: "ports.c2sDirectTls",
  s2s_ports: "ports.s2s",
  https_ports: "ports.https",
  https_interfaces: "interfaces",
  http_ports: "ports.http",
  http_interfaces: "interfaces",
  proxy65_ports: "ports.proxy65",
  proxy65_address: "hosts.proxy",
  http_default_host: "domain",
  http_external_url: "http.externalUrl",
  trusted_proxies: "http.trustedProxies",
  data_path: "paths.data",
  storage: "storage",
  sql: "storage and database",
  sqlite_tune: "storage (WAL with synchronous=NORMAL on Prosody 13)",
  blocklist_cache_size: "nothing: 10,000 users' blocklists are kept in memory",
  archive_expires_after: "archive.expiresAfter",
  muc_log_expires_after: "archive.expiresAfter",
  restrict_room_creation: "nothing: only local users create rooms",
  limits: "limits",
  contact_info: "contact",
  statistics: "metricsAllowCidr (every tier serves metrics)",
  statistics_interval: "metricsAllowCidr (collected at each scrape)",
  openmetrics_allow_cidr: "metricsAllowCidr",
  openmetrics_allow_ips: "metricsAllowCidr (the only addresses allowed)",
  turn_external_host: "turn.host",
  turn_external_port: "turn.port",
  turn_external_secret: "the stack secret turnSecret",
  http_file_share_size_limit: "upload.sizeLimit",
  http_file_share_daily_quota: "upload.dailyQuota",
  http_file_share_global_quota: "upload.totalQuota",
  http_file_share_expires_after: "upload.expiresAfter",
  http_file_share_base_url: "upload.gatewayUrl",
  http_file_share_secret: "the stack secret uploadSecret",
  http_files_dir: "web.client",
  http_paths: "nothing: the web client is at /chat/, and the other paths are Prosody's",
  log: "logLevel",
  // Prosody runs in the foreground under the platform: these would fight it.
  daemonize: "nothing: the platform runs Prosody in the foreground",
  pidfile: "nothing: the platform runs Prosody in the foreground",
  // A disabled host would leave the plan's host without a server.
  enabled: "nothing: every host of the plan is enabled",
};

const isGlobalOnly = (name: string): boolean =>
  !HOST_ALLOWED.has(name) && (GLOBAL_ONLY_OPTIONS.has(name) || GLOBAL_ONLY_PATTERN.test(name));

/** What Prosody's own check refuses in one section of options, or the plan owns. */
function sectionProblems(section: string, table: Readonly<Record<string, unknown>>, global: boolean): Problem[] {
  return Object.keys(table).flatMap((name): Problem[] => {
    const field = `options.${section}.${name}`;
    const owner = OWNED_OPTIONS[name];
    if (owner !== undefined) {
      return [
        {
          field,
          message: "ProsodyStack writes this option itself, from the plan",
          fix: owner.startsWith("nothing") ? `remove it (${owner.slice(9)})` : `set ${owner} instead, and remove it`,
        },
      ];
    }
    if (OBSOLETE_OPTIONS.has(name)) {
      return [{ field, message: "Prosody no longer has this option", fix: "remove it" }];
    }
    const replacement = DEPRECATED_OPTIONS[name];
    if (replacement !== undefined) {
      return [{ field, message: "Prosody has replaced this option", fix: `use ${replacement} instead` }];
    }
    if (!global && isGlobalOnly(name)) {
      return [
        {
          field,
          message: "Prosody reads this option from the global section only",
          fix: `move it to options.global.${name}`,
        },
      ];
    }
    return [];
  });
}

export function optionProblems(
  spec: DeploymentSpec,
  domains: readonly string[],
  components: readonly PlannedComponent[],
): Problem[] {
  const problems: Problem[] = [...sectionProblems("global", spec.options.global, true)];
  for (const [host, table] of Object.entries(spec.options.virtualHosts)) {
    if (!domains.includes(host)) {
      problems.push({
        field: `options.virtualHosts.${host}`,
        message: "not a virtual host of this plan",
        fix: `use the domain or one of extraDomains: ${domains.join(", ")}`,
      });
    }
    problems.push(...sectionProblems(`virtualHosts.${host}`, table, false));
  }
  for (const [kind, table] of Object.entries(spec.options.components)) {
    if (table === undefined) continue;
    if (!components.some((component) => component.kind === kind)) {
      problems.push({
        field: `options.components.${kind}`,
        message: "this plan has no such component",
        fix: `use one of ${components.map((component) => component.kind).join(", ")}, or load the component's module`,
      });
    }
    problems.push(...sectionProblems(`components.${kind}`, table, false));
  }
  return problems;
}
