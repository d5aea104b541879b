/**
 * prosody.cfg.lua from a plan. Every value goes through the Lua serializer;
 * secrets appear only as ENV_ references. Same plan in, same bytes out.
 */
import { WEB_CLIENT_FOLDER } from "../plan/web-client";
import type { ResolvedModule } from "../plan";
import { ENV } from "../plan/environment";
import type { DeploymentPlan, PlannedComponent } from "../plan/types";
import { env, luaAssignment, luaComment, luaString, type LuaValue } from "./lua";

const INSTALL_LABELS: Record<ResolvedModule["install"], string> = {
  prosody: "Prosody core",
  debian: "community, from Debian's prosody-modules",
  rocks: "community, from the rocks server (pinned)",
};
const STABILITY_ORDER: readonly ResolvedModule["stability"][] = ["stable", "beta", "alpha"];
const INSTALL_ORDER: readonly ResolvedModule["install"][] = ["prosody", "debian", "rocks"];

/**
 * `modules_enabled`, grouped and commented by where each module comes from and
 * how stable it is. Dependencies are not listed: the modules that need them load
 * them with module:depends (the catalog's dependencies are exactly those calls), and
 * listing them would make `prosodyctl check` see e.g. MUC's vcard next to the host's vcard_legacy.
 */
function modulesList(name: string, all: readonly ResolvedModule[], indent = ""): string[] {
  const modules = all.filter((module) => module.via !== "dependency");
  const dependencies = all
    .filter((module) => module.via === "dependency")
    .map((module) => module.name)
    .sort();
  if (modules.length === 0) return [];
  const lines = [`${indent}${name} = {`];
  for (const install of INSTALL_ORDER) {
    for (const stability of STABILITY_ORDER) {
      const group = modules
        .filter((module) => module.install === install && module.stability === stability)
        .sort((a, b) => a.name.localeCompare(b.name));
      if (group.length === 0) continue;
      lines.push(`${indent}\t${luaComment(`${INSTALL_LABELS[install]}, ${stability}`)}`);
      for (const module of group) {
        lines.push(`${indent}\t${luaString(module.name)}; ${luaComment(module.reason)}`);
      }
    }
  }
  if (dependencies.length > 0) {
    lines.push(`${indent}\t${luaComment(`loaded through module:depends: ${dependencies.join(", ")}`)}`);
  }
  lines.push(`${indent}}`);
  return lines;
}

function option(name: string, value: LuaValue | undefined, indent = ""): string[] {
  return value === undefined ? [] : [`${indent}${luaAssignment(name, value).replace(/\n/g, `\n${indent}`)}`];
}

function section(title: string, lines: readonly string[]): string[] {
  return lines.length === 0 ? [] : ["", luaComment(title), ...lines];
}

const has = (plan: DeploymentPlan, name: string) => plan.modules.some((module) => module.name === name);

function contactInfo(plan: DeploymentPlan): LuaValue | undefined {
  if (!has(plan, "server_contact_info")) return undefined;
  const { contact } = plan.spec;
  const admin = contact.admin.length > 0 ? contact.admin : plan.admins.map((jid) => `xmpp:${jid}`);
  const entries = { admin, abuse: contact.abuse, security: contact.security, support: contact.support };
  const present = Object.fromEntries(Object.entries(entries).filter(([, uris]) => uris.length > 0));
  return Object.keys(present).length > 0 ? present : undefined;
}

/** Users whose blocklists stay in memory: a few hundred bytes each. */
const BLOCKLIST_CACHE_SIZE = 10_000;

function storageOptions(plan: DeploymentPlan): string[] {
  const sql: LuaValue =
    plan.storage.kind === "sqlite"
      ? { driver: "SQLite3", database: plan.storage.file }
      : {
          driver: "PostgreSQL",
          database: plan.storage.database,
          username: plan.storage.user,
          password: env(ENV.databasePassword),
          host: env(ENV.databaseHost),
          port: plan.storage.port,
        };
  return [
    ...option("data_path", plan.spec.paths.data),
    ...option("storage", "sql"),
    ...option("sql", sql),
    // Prosody 13 leaves SQLite in rollback-journal mode with a full sync on every write, and a
    // login writes several times: bench/served-load measured logins 2.5x slower for it. WAL with
    // synchronous=NORMAL loses nothing when Prosody crashes (only the last commits on power loss).
    ...option(
      "sqlite_tune",
      plan.storage.kind === "sqlite" && plan.spec.prosodyVersion === "13" ? "normal" : undefined,
    ),
    // mod_blocklist keeps 256 users' lists (64 on 0.12); past that, every message reads two rows (blocklist
    // and the legacy privacy list) for a user who never blocked anyone: a message's 6
    // transactions became 4 at 2,000 users (bench/served-load).
    ...option("blocklist_cache_size", has(plan, "blocklist") ? BLOCKLIST_CACHE_SIZE : undefined),
  ];
}

function globalSettings(plan: DeploymentPlan): string[] {
  const { spec } = plan;
  const port = (name: string) => plan.listeners.find((listener) => listener.name === name)?.port;
  const proxy65Port = port("proxy65");
  const limited = has(plan, "limits");
  return [
    ...section("Administrators: full rights on every host", option("admins", plan.admins)),
    ...section("Modules of every virtual host", [
      ...modulesList("modules_enabled", plan.modules),
      ...option("modules_disabled", plan.disabled.length > 0 ? [...plan.disabled].sort() : undefined),
    ]),
    ...section("Accounts", [
      ...option("authentication", "internal_hashed"),
      ...option("allow_registration", spec.registration !== "closed"),
      ...option(
        "registration_invite_only",
        spec.registration === "closed" ? undefined : spec.registration === "invite-only",
      ),
    ]),
    ...section("Encryption: TLS 1.2 or newer, required for clients and servers", [
      ...option("c2s_require_encryption", true),
      ...option("s2s_require_encryption", true),
      ...option("s2s_secure_auth", plan.s2sSecureAuth),
      ...option("ssl", { protocol: "tlsv1_2+" }),
      ...option("certificates", spec.paths.certificates),
    ]),
    ...section("Network", [
      ...option("interfaces", spec.interfaces),
      ...option("c2s_ports", [spec.ports.c2s]),
      ...option("c2s_direct_tls_ports", [spec.ports.c2sDirectTls]),
      ...option("s2s_ports", [spec.ports.s2s]),
      ...option("https_ports", [spec.ports.https]),
      ...option("https_interfaces", spec.interfaces),
      ...option("http_ports", [spec.ports.http]),
      ...option("http_interfaces", spec.interfaces),
      ...option("proxy65_ports", proxy65Port === undefined ? undefined : [proxy65Port]),
      ...option("http_default_host", spec.domain),
      ...option("http_external_url", spec.http.externalUrl),
      ...option("trusted_proxies", spec.http.trustedProxies.length > 0 ? spec.http.trustedProxies : undefined),
    ]),
    ...section("Storage", storageOptions(plan)),
    ...section("Message archives", [
      ...option("archive_expires_after", has(plan, "mam") ? spec.archive.expiresAfter : undefined),
    ]),
    ...section(
      "Bandwidth limits",
      limited
        ? option("limits", {
            c2s: { rate: spec.limits.c2s, burst: "2s" },
            s2sin: { rate: spec.limits.s2s, burst: "2s" },
          })
        : [],
    ),
    ...section("Contact addresses (XEP-0157)", option("contact_info", contactInfo(plan))),
    ...section(
      "Metrics on the private HTTP port",
      has(plan, "http_openmetrics")
        ? [
            ...option("statistics", "internal"),
            // Collected at each scrape, so a scrape sees the sessions of that moment, not of up to a minute ago.
            ...option("statistics_interval", "manual"),
            // No addresses besides the network: Prosody's default list lets loopback in whatever the CIDR says.
            ...option("openmetrics_allow_ips", []),
            ...option("openmetrics_allow_cidr", spec.metricsAllowCidr),
          ]
        : [],
    ),
    ...section(
      "TURN for audio and video calls",
      plan.turn
        ? [
            ...option("turn_external_host", plan.turn.host),
            ...option("turn_external_port", plan.turn.port),
            ...option("turn_external_secret", env(ENV.turnSecret)),
          ]
        : [],
    ),
    ...section(
      `The web client (Converse.js) at ${plan.webClient?.path ?? ""}/ on the HTTPS port`,
      plan.webClient
        ? [...option("http_files_dir", WEB_CLIENT_FOLDER), ...option("http_paths", { files: plan.webClient.path })]
        : [],
    ),
    ...section(
      "Logging to the console, for containers",
      option("log", [{ levels: { min: spec.logLevel }, to: "console" }]),
    ),
    ...section("Options of your own (spec options.global)", ownOptions(spec.options.global)),
  ];
}

/** The spec's own options of one section, in the order given (the plan refused any it writes itself). */
const ownOptions = (table: Readonly<Record<string, LuaValue>> | undefined, indent = ""): string[] =>
  Object.entries(table ?? {}).flatMap(([name, value]) => option(name, value, indent));

function componentSettings(plan: DeploymentPlan, component: PlannedComponent): string[] {
  const indent = "\t";
  const uploads = plan.uploads;
  switch (component.kind) {
    case "muc":
      return [
        ...option("restrict_room_creation", "local", indent),
        ...option(
          "muc_log_expires_after",
          component.modules.some((module) => module.name === "muc_mam") ? plan.spec.archive.expiresAfter : undefined,
          indent,
        ),
      ];
    case "upload":
      if (!uploads) return [];
      return [
        ...option("http_file_share_size_limit", uploads.sizeLimit, indent),
        ...option("http_file_share_daily_quota", uploads.dailyQuota, indent),
        ...option("http_file_share_global_quota", uploads.totalQuota, indent),
        ...option("http_file_share_expires_after", uploads.expiresAfter, indent),
        ...option("http_file_share_base_url", uploads.gateway?.url, indent),
        ...option("http_file_share_secret", uploads.mode === "s3" ? env(ENV.uploadSecret) : undefined, indent),
      ];
    case "proxy65":
      return option("proxy65_address", component.host, indent);
    case "pubsub":
      return [];
  }
}

export function renderProsodyConfig(plan: DeploymentPlan): string {
  const { spec } = plan;
  const lines = [
    luaComment(
      `prosody.cfg.lua for ${spec.domain}, generated by ProsodyStack. Do not edit: change the spec and render again.`,
    ),
    luaComment(`Tier ${spec.tier} on Prosody ${spec.prosodyVersion}. Secrets are read from the environment (ENV_*).`),
    ...globalSettings(plan),
  ];
  for (const domain of plan.domains) {
    lines.push("", `VirtualHost ${luaString(domain)}`, ...ownOptions(spec.options.virtualHosts[domain], "\t"));
  }
  for (const component of plan.components) {
    lines.push(
      "",
      `Component ${luaString(component.host)} ${luaString(component.module)}`,
      ...modulesList("modules_enabled", component.modules, "\t"),
      ...option("modules_disabled", component.disabled.length > 0 ? [...component.disabled].sort() : undefined, "\t"),
      ...componentSettings(plan, component),
      ...ownOptions(spec.options.components[component.kind], "\t"),
    );
  }
  return `${lines.join("\n")}\n`;
}
