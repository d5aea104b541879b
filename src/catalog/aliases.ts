/**
 * Names people ask for that are not modules: misspellings, renamed or merged
 * modules, settings mistaken for modules, and modules that never existed.
 * Sources: the READMEs of prosody-modules (https://modules.prosody.im/, whose
 * Stage-Merged and Stage-Obsolete labels and `superseded_by` name the
 * replacement) and Prosody's `CHANGES` for the modules 0.10 to 13 took in.
 */
import type { Alias } from "./types";

export const ALIASES: readonly Alias[] = [
  { name: "push", replacement: "cloud_notify", explanation: "there is no mod_push; XEP-0357 push is cloud_notify" },
  { name: "prometheus", replacement: "http_openmetrics", explanation: "merged into Prosody 0.12 as http_openmetrics" },
  { name: "fast", replacement: "sasl2_fast", explanation: "the FAST module is sasl2_fast" },
  { name: "json_logs", replacement: "log_json", explanation: "the JSON log sink is log_json" },
  { name: "measure_message_e2e", replacement: "measure_message_e2ee", explanation: "misspelled" },
  { name: "bookmarks2", replacement: "bookmarks", explanation: "merged into Prosody 0.12 as bookmarks" },
  { name: "mam_muc", replacement: "muc_mam", explanation: "merged into Prosody 0.11 as muc_mam" },
  { name: "muc_ping", replacement: "muc", explanation: "self-ping is built into Prosody's muc" },
  { name: "extdisco", replacement: "external_services", explanation: "obsolete; core external_services replaces it" },
  { name: "profile", replacement: "vcard_legacy", explanation: "obsolete; core vcard4 and vcard_legacy replace it" },
  { name: "pep_vcard_avatar", replacement: "vcard_legacy", explanation: "merged into core vcard_legacy" },
  { name: "smacks_offline", replacement: "smacks", explanation: "deprecated; use core smacks" },
  { name: "smacks_noerror", replacement: "smacks", explanation: "deprecated; use core smacks" },
  { name: "invite", replacement: "invites", explanation: "deprecated; core invites replaces it" },
  { name: "easy_invite", replacement: "invites", explanation: "deprecated; core invites replaces it" },
  {
    name: "file_management",
    replacement: "http_file_share",
    explanation: "it depends on the deleted http_upload; http_file_share expires files itself",
  },
  {
    name: "register_web_template",
    replacement: "register_web",
    explanation: "register_web_template is an option of register_web, not a module",
  },
  {
    name: "statistics",
    replacement: "http_openmetrics",
    explanation: 'statistics = "internal" is a setting; http_openmetrics serves the numbers',
  },
  {
    name: "sql",
    explanation:
      'not a module: storage = "sql" with an sql = { … } table selects SQL storage (the spec\'s storage field)',
  },
  {
    name: "auth_external",
    explanation:
      "renamed auth_external_insecure and deprecated; use the default internal_hashed authentication or LDAP",
  },
  { name: "jingle_stats", explanation: "no such module exists in Prosody or prosody-modules" },
  {
    name: "compliance_policy",
    explanation:
      "no module enforces a compliance policy; compliance_latest (community, beta) is a self-test, and `prosody-stack compliance` reports what a spec meets",
  },
  {
    name: "http_api",
    explanation:
      "no such module; http_admin_api (community, Snikket's admin API) or rest (community, alpha) come closest",
  },
  { name: "watchdog", explanation: "no such module; util.watchdog is an internal library" },
  {
    name: "blacklist",
    explanation:
      "no such module; host_guard or admin_blocklist block servers, and the registration_blocklist setting blocks IPs",
  },
  {
    name: "whitelist",
    explanation: "no such module; the registration_allowlist setting (register_limits) allows IPs",
  },
  {
    name: "reputation",
    explanation: "no such module; anti_spam, muc_rtbl, spam_reporting and firewall cover abuse",
  },
  { name: "listusers", explanation: "obsolete; `prosodyctl shell user list` lists users" },
  { name: "auth_any", explanation: "merged into core as auth_insecure, which is for tests only" },
];
