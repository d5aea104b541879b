/**
 * Tiers and toggles, as data. A tier is a set of toggle defaults plus a few
 * modules of its own; a toggle is a named set of modules. What reaches a
 * server is decided by the resolver (src/plan/resolve/), which also skips,
 * with a reason, anything a toggle names that the version, the stability gates
 * or Debian's packaging do not allow.
 *
 * Toggle defaults follow the stage labels of prosody-modules (each module's
 * README, as https://modules.prosody.im/ shows it: Stable, Beta, Alpha):
 * personal and community take beta modules, enterprise stays conservative and
 * takes none. Each tier's compliance claims are tested (test/unit/resolve.test.ts).
 */

export const TIERS = ["personal", "community", "enterprise"] as const;
export type Tier = (typeof TIERS)[number];

export const TOGGLES = ["security", "modern", "http", "admin", "beta", "alpha"] as const;
export type Toggle = (typeof TOGGLES)[number];
export type Toggles = Record<Toggle, boolean>;

/** Toggles that add modules; `beta` and `alpha` only open the stability gates. */
export const MODULE_TOGGLES = ["security", "modern", "http", "admin"] as const;
export type ModuleToggle = (typeof MODULE_TOGGLES)[number];

export const TOGGLE_DOCS: Record<Toggle, string> = {
  security:
    "anti-abuse: bandwidth limits, reserved names of deleted accounts, failed-login logging, spam reports, moderation",
  modern: "what current clients expect: history, carbons, stream management, CSI, bookmarks, push, SASL2/FAST",
  http: "web clients: BOSH, WebSocket and their discovery",
  admin: "operators: announcements, contact addresses",
  beta: "allow community modules labelled Beta",
  alpha: "allow community modules labelled Alpha or unlabelled",
};

/** On every tier; `roster`, `saslauth`, `tls`, `disco` and the autoloaded modules cannot be removed. */
export const BASELINE: readonly string[] = [
  "roster",
  "saslauth",
  "tls",
  "disco",
  "dialback",
  "private",
  "pep",
  "vcard4",
  "vcard_legacy",
  "blocklist",
  "version",
  "uptime",
  "time",
  "ping",
  "register",
  "invites",
  "invites_adhoc",
  "invites_register",
  "account_activity",
  "admin_adhoc",
  "admin_shell",
  "muc",
  "http_file_share",
  // Every server's metrics, on the private HTTP port only (openmetrics_allow_cidr: metricsAllowCidr).
  "http_openmetrics",
];

export const TOGGLE_MODULES: Record<ModuleToggle, readonly string[]> = {
  security: ["limits", "tombstones", "mimicking", "log_auth", "spam_reporting", "watch_spam_reports", "muc_moderation"],
  modern: [
    "carbons",
    "mam",
    "smacks",
    "csi_simple",
    "bookmarks",
    "cloud_notify",
    "muc_mam",
    "sasl2",
    "sasl2_bind2",
    "sasl2_fast",
    "sasl2_sm",
  ],
  http: ["bosh", "websocket", "http_altconnect"],
  admin: ["announce", "server_contact_info"],
};

/** The module toggles whose set names `module`. */
export const togglesBringing = (module: string): ModuleToggle[] =>
  MODULE_TOGGLES.filter((toggle) => TOGGLE_MODULES[toggle].includes(module));

export interface TierDefinition {
  summary: string;
  toggles: Toggles;
  /** modules this tier adds beyond the baseline and its toggles */
  modules: readonly string[];
  /** compliance levels the tier promises on every supported Prosody version (tested) */
  claims: readonly { suite: string; level: "server" | "advanced" }[];
  why: string;
}

export const TIER_DEFINITIONS: Record<Tier, TierDefinition> = {
  personal: {
    summary: "one person or a family on one machine: small, current, nothing web-facing",
    toggles: { security: true, modern: true, http: false, admin: false, beta: true, alpha: false },
    modules: [],
    claims: [
      { suite: "core", level: "advanced" },
      { suite: "im", level: "advanced" },
      { suite: "mobile", level: "advanced" },
    ],
    why: "a MUC component (groups.) with history and an upload component (share.), with carbons, blocking, history, stream management, CSI and push, meet Core, IM and Mobile up to Advanced; no web transports, so not Web",
  },
  community: {
    summary: "a public server for a community: web clients, federation extras, moderation, metrics",
    toggles: { security: true, modern: true, http: true, admin: true, beta: true, alpha: false },
    modules: ["s2s_bidi", "proxy65"],
    claims: [
      { suite: "core", level: "advanced" },
      { suite: "im", level: "advanced" },
      { suite: "mobile", level: "advanced" },
      { suite: "web", level: "advanced" },
    ],
    why: "adds BOSH/WebSocket (Web), history for rooms, blocking and push (Advanced IM and Mobile), and direct TLS (Advanced Core)",
  },
  enterprise: {
    summary: "an organisation's server on managed infrastructure: conservative module set, no beta or alpha code",
    toggles: { security: true, modern: true, http: true, admin: true, beta: false, alpha: false },
    modules: ["s2s_bidi", "proxy65", "s2s_idle_timeout"],
    claims: [
      { suite: "core", level: "advanced" },
      { suite: "im", level: "advanced" },
      { suite: "mobile", level: "server" },
      { suite: "web", level: "advanced" },
    ],
    why: "the community set without beta modules; push is core on Prosody 13 (Mobile Advanced there) but a beta community module on 0.12",
  },
};
