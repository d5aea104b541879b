/**
 * Community modules (prosody-modules). Coverage: every module Debian's
 * `prosody-modules` ships for bookworm (0.12) or trixie (13), and the few
 * others that aliases or the seeds point at.
 *
 * Stability per version is the Stage label in the README Debian ships for that
 * release (bookworm 0.0~hg20230223, trixie 0.0~hg20250402): Stable → stable,
 * Beta → beta, Alpha, Experimental, no label or no README → alpha; Obsolete,
 * Deprecated, Merged, Broken → excluded. Where Debian does not ship a module
 * for a version, the label comes from shared/reference/prosody-modules.md
 * (Appendix A) and the image installs it from the rocks server, pinned.
 * Dependencies are the modules' own `module:depends()` calls in those packages.
 * test/truth checks all of this against the real packages.
 */
import { absent, community, defineModule, excluded, only13 } from "./build";
import type { ModuleRecord } from "./types";

const UNVERIFIED_ON_13 =
  "not shipped by Debian trixie; whether the rocks server serves a copy that works on Prosody 13 is unverified";

/** Shipped by Debian's prosody-modules for at least one of bookworm and trixie. */
const DEBIAN_PACKAGED: readonly ModuleRecord[] = [
  defineModule({
    name: "adhoc_blacklist",
    summary: "Block remote servers via ad-hoc command",
    category: "security",
    versions: {
      "0.12": community("alpha", "debian"),
      "13": community("alpha", "debian"),
    },
    depends: ["adhoc"],
  }),
  defineModule({
    name: "adhoc_oauth2_client",
    summary: "Create OAuth2 clients via ad-hoc command",
    category: "auth",
    versions: {
      "0.12": community("alpha", "rocks"),
      "13": community("alpha", "debian"),
    },
    depends: ["http_oauth2"],
  }),
  defineModule({
    name: "admin_web",
    summary: "Web administration interface",
    category: "admin",
    versions: {
      "0.12": community("beta", "rocks"),
      "13": excluded(
        community("beta", "debian"),
        "broken on Prosody 13 (labelled Broken upstream in 2025; Debian still ships the 2025-04 copy labelled Beta)",
      ),
    },
    depends: ["admin_adhoc", "bosh", "http", "http_files"],
  }),
  defineModule({
    name: "anti_spam",
    summary: "Spam filtering",
    category: "security",
    versions: {
      "0.12": community("alpha", "rocks"),
      "13": community("alpha", "debian"),
    },
    depends: ["pubsub_subscription"],
  }),
  defineModule({
    name: "atom",
    summary: "Serves a user's PEP posts as an Atom feed over HTTP",
    category: "http",
    versions: {
      "0.12": community("alpha", "debian"),
      "13": community("alpha", "debian"),
    },
    depends: ["http", "pep"],
  }),
  defineModule({
    name: "auth_ccert",
    summary: "Client Certificate authentication module",
    category: "auth",
    kind: "provider",
    xeps: ["XEP-0178"],
    versions: {
      "0.12": community("alpha", "debian"),
      "13": community("alpha", "debian"),
    },
  }),
  defineModule({
    name: "auth_cyrus",
    summary: 'Passwords checked through Cyrus SASL (authentication = "cyrus")',
    category: "auth",
    kind: "provider",
    versions: {
      "0.12": community("alpha", "debian"),
      "13": community("alpha", "debian"),
    },
  }),
  defineModule({
    name: "auth_dovecot",
    summary: "Dovecot authentication module",
    category: "auth",
    kind: "provider",
    versions: {
      "0.12": community("alpha", "debian"),
      "13": community("alpha", "debian"),
    },
  }),
  defineModule({
    name: "auth_ha1",
    summary: 'Passwords checked against HTTP digest (HA1) hashes (authentication = "ha1")',
    category: "auth",
    kind: "provider",
    versions: {
      "0.12": community("beta", "debian"),
      "13": community("beta", "debian"),
    },
  }),
  defineModule({
    name: "auth_ldap2",
    summary: "Another take on LDAP authentication",
    category: "auth",
    kind: "provider",
    versions: {
      "0.12": community("alpha", "debian"),
      "13": community("alpha", "debian"),
    },
  }),
  defineModule({
    name: "auth_oauthbearer",
    summary: "OAuth authentication",
    category: "auth",
    kind: "provider",
    versions: {
      "0.12": community("alpha", "debian"),
      "13": community("alpha", "debian"),
    },
  }),
  defineModule({
    name: "auth_sql",
    summary: "SQL Database authentication module",
    category: "auth",
    kind: "provider",
    versions: {
      "0.12": community("stable", "debian"),
      "13": community("stable", "debian"),
    },
  }),
  defineModule({
    name: "block_strangers",
    summary: "Drops messages from senders not in the user's roster",
    category: "security",
    versions: {
      "0.12": community("alpha", "debian"),
      "13": community("alpha", "debian"),
    },
  }),
  defineModule({
    name: "blocking",
    summary: "XEP-0191: Simple Communications Blocking support",
    category: "im",
    xeps: ["XEP-0191"],
    versions: {
      "0.12": excluded(
        community("alpha", "debian"),
        "Prosody's core blocklist implements the same protocol",
        "blocklist",
      ),
      "13": excluded(
        community("alpha", "debian"),
        "Prosody's core blocklist implements the same protocol",
        "blocklist",
      ),
    },
  }),
  defineModule({
    name: "bob",
    summary: "Cache Bits of Binary on MUC services",
    category: "muc",
    xeps: ["XEP-0231"],
    versions: {
      "0.12": community("alpha", "debian"),
      "13": community("alpha", "debian"),
    },
    placement: ["muc"],
    depends: ["cache_c2s_caps"],
  }),
  defineModule({
    name: "broadcast",
    summary: "Broadcast a message to online users",
    category: "admin",
    versions: {
      "0.12": community("stable", "debian"),
      "13": community("stable", "debian"),
    },
  }),
  defineModule({
    name: "c2s_conn_throttle",
    summary: "c2s connections throttling module",
    category: "security",
    versions: {
      "0.12": community("stable", "debian"),
      "13": community("stable", "debian"),
    },
  }),
  defineModule({
    name: "carbons_adhoc",
    summary: "Ad-hoc command to switch message carbons on and off",
    category: "modern",
    xeps: ["XEP-0280"],
    versions: {
      "0.12": community("alpha", "debian"),
      "13": community("alpha", "debian"),
    },
  }),
  defineModule({
    name: "carbons_copies",
    summary: "Sends carbon copies to clients that do not ask for them",
    category: "modern",
    xeps: ["XEP-0280"],
    versions: {
      "0.12": community("alpha", "debian"),
      "13": community("alpha", "debian"),
    },
  }),
  defineModule({
    name: "client_certs",
    summary: "Client-side certificate management for Prosody",
    category: "auth",
    xeps: ["XEP-0257"],
    versions: {
      "0.12": community("alpha", "debian"),
      "13": community("alpha", "debian"),
    },
  }),
  defineModule({
    name: "cloud_notify_encrypted",
    summary: "Support for encrypted payloads in push notifications",
    category: "mobile",
    xeps: ["XEP-0357"],
    versions: {
      "0.12": community("alpha", "rocks"),
      "13": community("alpha", "debian"),
    },
    depends: ["cloud_notify"],
  }),
  defineModule({
    name: "cloud_notify_extensions",
    summary: "Tigase custom push extensions for iOS",
    category: "mobile",
    xeps: ["XEP-0357"],
    versions: {
      "0.12": community("beta", "rocks"),
      "13": community("beta", "debian"),
    },
    depends: ["cloud_notify_encrypted", "cloud_notify_filters", "cloud_notify_priority_tag"],
  }),
  defineModule({
    name: "cloud_notify_filters",
    summary: "Support for push notification filtering rules",
    category: "mobile",
    xeps: ["XEP-0357"],
    versions: {
      "0.12": community("alpha", "rocks"),
      "13": community("alpha", "debian"),
    },
  }),
  defineModule({
    name: "cloud_notify_priority_tag",
    summary: "Support for indicating importance to push notification servers",
    category: "mobile",
    xeps: ["XEP-0357"],
    versions: {
      "0.12": community("alpha", "rocks"),
      "13": community("alpha", "debian"),
    },
  }),
  defineModule({
    name: "csi_battery_saver",
    summary: "Queues unimportant stanzas for inactive mobile clients (an alternative to csi_simple)",
    category: "mobile",
    xeps: ["XEP-0352"],
    versions: {
      "0.12": community("alpha", "debian"),
      "13": community("alpha", "debian"),
    },
    depends: ["csi"],
    softDepends: [
      {
        module: "track_muc_joins",
        note: "only with csi_battery_saver_filter_muc",
      },
    ],
  }),
  defineModule({
    name: "default_bookmarks",
    summary: "Default bookmarked chatrooms",
    category: "im",
    xeps: ["XEP-0402"],
    versions: {
      "0.12": community("alpha", "debian"),
      "13": community("alpha", "debian"),
    },
    depends: ["pep"],
  }),
  defineModule({
    name: "delegation",
    summary: "XEP-0355 (Namespace Delegation) implementation",
    category: "integration",
    xeps: ["XEP-0355"],
    versions: {
      "0.12": community("beta", "debian"),
      "13": community("beta", "debian"),
    },
  }),
  defineModule({
    name: "dnsbl",
    summary: "Flag accounts registered by IPs matching blocklists",
    category: "security",
    versions: {
      "0.12": community("alpha", "rocks"),
      "13": community("alpha", "debian"),
    },
    depends: ["flags"],
  }),
  defineModule({
    name: "filter_chatstates",
    summary: "Drop chat states from messages to inactive sessions",
    category: "mobile",
    xeps: ["XEP-0085"],
    versions: {
      "0.12": community("alpha", "debian"),
      "13": community("alpha", "debian"),
    },
    depends: ["csi"],
  }),
  defineModule({
    name: "firewall",
    summary: "A rule-based stanza filtering module",
    category: "security",
    versions: {
      "0.12": community("alpha", "debian"),
      "13": community("alpha", "debian"),
    },
    softDepends: [
      {
        module: "groups",
        note: "only when firewall scripts use GROUP or pubsub lists",
      },
      {
        module: "pubsub_subscription",
        note: "only when firewall scripts use GROUP or pubsub lists",
      },
    ],
    options: [
      {
        name: "firewall_scripts",
        doc: "the rule files to load",
        required: true,
      },
    ],
  }),
  defineModule({
    name: "host_guard",
    summary: "Granular remote host blacklisting plugin",
    category: "security",
    versions: {
      "0.12": community("stable", "debian"),
      "13": community("stable", "debian"),
    },
    placement: ["global"],
  }),
  defineModule({
    name: "http_libjs",
    summary: "Serve common Javascript libraries",
    category: "http",
    versions: {
      "0.12": community("stable", "debian"),
      "13": community("stable", "debian"),
    },
    depends: ["http_files"],
  }),
  defineModule({
    name: "http_muc_log",
    summary: "Web interface to stored group chat history",
    category: "muc",
    versions: {
      "0.12": community("beta", "debian"),
      "13": community("beta", "debian"),
    },
    placement: ["muc"],
    depends: ["http", "http_files", "muc"],
  }),
  defineModule({
    name: "http_oauth2",
    summary: "OAuth 2.0 Authorization Server API",
    category: "auth",
    versions: {
      "0.12": community("alpha", "rocks"),
      "13": community("alpha", "debian"),
    },
    depends: ["http", "tokenauth"],
  }),
  defineModule({
    name: "http_pep_avatar",
    summary: "Serve PEP avatars from HTTP",
    category: "http",
    versions: {
      "0.12": community("alpha", "debian"),
      "13": community("alpha", "debian"),
    },
    depends: ["http", "pep"],
  }),
  defineModule({
    name: "http_upload",
    summary: "Old HTTP file upload implementation",
    category: "upload",
    xeps: ["XEP-0363"],
    versions: {
      "0.12": excluded(community("alpha", "debian"), "obsolete; core http_file_share replaces it", "http_file_share"),
      "13": absent("deleted upstream; Debian trixie ships only its README. Use http_file_share"),
    },
    placement: ["upload"],
    depends: [
      { module: "disco", versions: ["0.12"] },
      { module: "http", versions: ["0.12"] },
      { module: "http_files", versions: ["0.12"] },
    ],
  }),
  defineModule({
    name: "http_upload_external",
    summary: "HTTP file upload served by an external service, signed with HMAC",
    category: "upload",
    xeps: ["XEP-0363"],
    versions: {
      "0.12": community("alpha", "debian"),
      "13": community("beta", "debian"),
    },
    placement: ["upload"],
    definesComponent: "upload",
    depends: ["disco"],
    options: [
      {
        name: "http_upload_external_base_url",
        doc: "URL of the external upload service",
        required: true,
      },
      {
        name: "http_upload_external_secret",
        doc: "secret shared with the service",
        required: true,
      },
    ],
  }),
  defineModule({
    name: "invites_api",
    summary: "Authenticated HTTP API to create invites",
    category: "registration",
    xeps: ["XEP-0401"],
    versions: {
      "0.12": community("beta", "debian"),
      "13": community("beta", "debian"),
    },
    depends: ["http", "invites"],
  }),
  defineModule({
    name: "invites_page",
    summary: "Generate friendly web page for invitations",
    category: "registration",
    xeps: ["XEP-0401"],
    versions: {
      "0.12": community("beta", "debian"),
      "13": community("beta", "debian"),
    },
    depends: ["http", "http_files", "invites", "register_apps"],
  }),
  defineModule({
    name: "invites_register_web",
    summary: "Register accounts via the web using invite tokens",
    category: "registration",
    xeps: ["XEP-0401"],
    versions: {
      "0.12": community("beta", "debian"),
      "13": community("beta", "debian"),
    },
    depends: ["http", "invites", "invites_page", "password_policy", "register_apps"],
    softDepends: [
      {
        module: "conversejs",
        note: "only when conversejs is loaded on the host",
      },
    ],
  }),
  defineModule({
    name: "invites_tracking",
    summary: "Store who created the invite to create a user account",
    category: "registration",
    versions: {
      "0.12": community("alpha", "rocks"),
      "13": community("alpha", "debian"),
    },
  }),
  defineModule({
    name: "ipcheck",
    summary: "XEP-0279: Server IP Check",
    category: "core",
    xeps: ["XEP-0279"],
    versions: {
      "0.12": community("stable", "debian"),
      "13": community("stable", "debian"),
    },
  }),
  defineModule({
    name: "lastlog",
    summary: "Log last login time",
    category: "admin",
    versions: {
      "0.12": community("beta", "debian"),
      "13": community("beta", "debian"),
    },
  }),
  defineModule({
    name: "lastlog2",
    summary: "Record last timestamp of events",
    category: "admin",
    versions: {
      "0.12": community("beta", "debian"),
      "13": community("beta", "debian"),
    },
  }),
  defineModule({
    name: "list_inactive",
    summary: "prosodyctl command that lists inactive accounts",
    category: "admin",
    versions: {
      "0.12": community("alpha", "debian"),
      "13": community("alpha", "debian"),
    },
  }),
  defineModule({
    name: "log_auth",
    summary: "Log failed authentication attempts with their IP address",
    category: "security",
    versions: {
      "0.12": community("stable", "debian"),
      "13": community("stable", "debian"),
    },
  }),
  defineModule({
    name: "mam_adhoc",
    summary: "Ad-hoc interface to Message Archive Management Settings",
    category: "modern",
    xeps: ["XEP-0313", "XEP-0050"],
    versions: {
      "0.12": community("alpha", "debian"),
      "13": community("alpha", "debian"),
    },
    depends: ["adhoc"],
  }),
  defineModule({
    name: "measure_active_users",
    summary: "Measure number of daily, weekly and monthly active users",
    category: "monitoring",
    versions: {
      "0.12": community("alpha", "debian"),
      "13": community("alpha", "debian"),
    },
    depends: [{ module: "lastlog2", versions: ["13"] }],
  }),
  defineModule({
    name: "migrate_http_upload",
    summary: "mod_http_upload to mod_http_file_share migrator",
    category: "upload",
    versions: {
      "0.12": community("alpha", "debian"),
      "13": community("alpha", "debian"),
    },
  }),
  defineModule({
    name: "muc_activity",
    summary: "XEP-0502 (MUC Activity Indicator) implementation",
    category: "muc",
    xeps: ["XEP-0502"],
    versions: {
      "0.12": community("alpha", "rocks"),
      "13": community("alpha", "debian"),
    },
    placement: ["muc"],
  }),
  defineModule({
    name: "muc_limits",
    summary: "Impose rate-limits on a MUC",
    category: "muc",
    versions: {
      "0.12": community("beta", "rocks"),
      "13": community("beta", "debian"),
    },
    placement: ["muc"],
    depends: ["muc"],
  }),
  defineModule({
    name: "muc_log",
    summary: "Log chatroom messages to disk",
    category: "muc",
    versions: {
      "0.12": community("beta", "debian"),
      "13": community("beta", "rocks"),
    },
    placement: ["muc"],
    uncertain: UNVERIFIED_ON_13,
  }),
  defineModule({
    name: "muc_log_http",
    summary: "Provides a web interface to stored chatroom logs",
    category: "muc",
    versions: {
      "0.12": community("beta", "debian"),
      "13": community("beta", "rocks"),
    },
    placement: ["muc"],
    uncertain: UNVERIFIED_ON_13,
    depends: ["http"],
  }),
  defineModule({
    name: "muc_moderation",
    summary: "Let moderators remove spam and abuse messages",
    category: "muc",
    xeps: ["XEP-0425"],
    versions: {
      "0.12": community("alpha", "debian"),
      "13": community("beta", "debian"),
    },
    placement: ["muc"],
    depends: ["muc"],
  }),
  defineModule({
    name: "muc_restrict_avatars",
    summary: "Restricts avatars shown in group chats",
    category: "muc",
    versions: {
      "0.12": community("alpha", "rocks"),
      "13": community("alpha", "debian"),
    },
    placement: ["muc"],
    depends: ["muc"],
  }),
  defineModule({
    name: "muc_restrict_media",
    summary: "Hides media in group chats from non-members",
    category: "muc",
    versions: {
      "0.12": community("alpha", "debian"),
      "13": community("alpha", "debian"),
    },
    placement: ["muc"],
    depends: ["muc"],
  }),
  defineModule({
    name: "muc_restrict_nick",
    summary: "Require MUC occupant nicknames to match a specific pattern",
    category: "muc",
    versions: {
      "0.12": community("alpha", "rocks"),
      "13": community("alpha", "debian"),
    },
    placement: ["muc"],
  }),
  defineModule({
    name: "muc_restrict_rooms",
    summary: "Regexp based room restriction module",
    category: "muc",
    versions: {
      "0.12": community("alpha", "rocks"),
      "13": community("alpha", "debian"),
    },
    placement: ["muc"],
  }),
  defineModule({
    name: "muc_rtbl",
    summary: "Blocks known spammers from group chats with a real-time blocklist",
    category: "muc",
    versions: {
      "0.12": community("alpha", "debian"),
      "13": community("alpha", "debian"),
    },
    placement: ["muc"],
    depends: ["pubsub_subscription"],
    options: [
      {
        name: "muc_rtbl_jid",
        doc: "the pubsub service publishing the blocklist",
        required: true,
      },
    ],
  }),
  defineModule({
    name: "muc_search",
    summary: "Searches public group chats",
    category: "muc",
    xeps: ["XEP-0433"],
    versions: {
      "0.12": community("alpha", "rocks"),
      "13": community("alpha", "debian"),
    },
    placement: ["muc"],
    depends: ["muc"],
  }),
  defineModule({
    name: "net_dovecotauth",
    summary: "Dovecot authentication protocol server backed by Prosody accounts",
    category: "auth",
    versions: {
      "0.12": community("alpha", "debian"),
      "13": community("alpha", "debian"),
    },
    placement: ["global"],
  }),
  defineModule({
    name: "net_proxy",
    summary: "Implementation of PROXY protocol versions 1 and 2",
    category: "core",
    versions: {
      "0.12": community("alpha", "rocks"),
      "13": community("alpha", "debian"),
    },
    placement: ["global"],
  }),
  defineModule({
    name: "onions",
    summary: "s2s to Tor hidden services",
    category: "federation",
    versions: {
      "0.12": community("alpha", "debian"),
      "13": community("alpha", "debian"),
    },
    depends: ["s2s"],
  }),
  defineModule({
    name: "password_policy",
    summary: "Minimum password strength for registrations and changes",
    category: "security",
    versions: {
      "0.12": community("alpha", "rocks"),
      "13": community("alpha", "debian"),
    },
  }),
  defineModule({
    name: "password_reset",
    summary: "Enables users to reset their password via a link",
    category: "registration",
    versions: {
      "0.12": community("alpha", "rocks"),
      "13": community("alpha", "debian"),
    },
    depends: ["adhoc", "http", "http_files", "password_policy"],
  }),
  defineModule({
    name: "pastebin",
    summary: "Redirect long messages to built-in pastebin",
    category: "muc",
    versions: {
      "0.12": community("stable", "debian"),
      "13": community("stable", "debian"),
    },
    placement: ["muc"],
    depends: ["http", "muc"],
  }),
  defineModule({
    name: "ping_muc",
    summary: "Yet another MUC reliability module",
    category: "muc",
    versions: {
      "0.12": community("alpha", "debian"),
      "13": community("alpha", "debian"),
    },
    depends: ["track_muc_joins"],
  }),
  defineModule({
    name: "privacy_lists",
    summary: "Privacy lists (XEP-0016) support",
    category: "im",
    xeps: ["XEP-0016"],
    versions: {
      "0.12": community("beta", "debian"),
      "13": excluded(community("alpha", "debian"), "deprecated upstream", "blocklist"),
    },
  }),
  defineModule({
    name: "private_adhoc",
    summary: "Retrieve private XML data via adhoc command",
    category: "im",
    xeps: ["XEP-0049"],
    versions: {
      "0.12": community("alpha", "debian"),
      "13": community("alpha", "debian"),
    },
    depends: ["adhoc"],
  }),
  defineModule({
    name: "privilege",
    summary: "XEP-0356 (Privileged Entity) implementation",
    category: "integration",
    xeps: ["XEP-0356"],
    versions: {
      "0.12": community("beta", "debian"),
      "13": community("beta", "debian"),
    },
  }),
  defineModule({
    name: "proctitle",
    summary: "Set process name to prosody",
    category: "admin",
    versions: {
      "0.12": community("alpha", "rocks"),
      "13": community("alpha", "debian"),
    },
    placement: ["global"],
  }),
  defineModule({
    name: "pubsub_feeds",
    summary: "Subscribe to Atom and RSS feeds over pubsub",
    category: "pubsub",
    versions: {
      "0.12": community("alpha", "debian"),
      "13": community("alpha", "debian"),
    },
    placement: ["pubsub"],
    depends: ["http", "pubsub"],
  }),
  defineModule({
    name: "pubsub_forgejo",
    summary: "Turn forgejo/github/gitlab webhooks into atom-in-pubsub",
    category: "pubsub",
    versions: {
      "0.12": community("alpha", "rocks"),
      "13": community("beta", "debian"),
    },
    placement: ["pubsub"],
    depends: ["http", "pubsub"],
  }),
  defineModule({
    name: "pubsub_mqtt",
    summary: "MQTT interface to Prosody's pubsub",
    category: "pubsub",
    versions: {
      "0.12": community("beta", "debian"),
      "13": community("beta", "debian"),
    },
    placement: ["pubsub"],
    depends: ["pubsub"],
  }),
  defineModule({
    name: "pubsub_serverinfo",
    summary: "Publishes which servers this server federates with",
    category: "federation",
    xeps: ["XEP-0485"],
    versions: {
      "0.12": community("alpha", "rocks"),
      "13": community("alpha", "debian"),
    },
    depends: ["server_info"],
    softDepends: [
      {
        module: "measure_active_users",
        note: "only with pubsub_serverinfo_publish_user_count",
      },
    ],
  }),
  defineModule({
    name: "pubsub_subscription",
    summary: "Subscribes modules to pubsub nodes (helper for RTBLs)",
    category: "pubsub",
    kind: "library",
    placement: ["host", "muc"],
    versions: {
      "0.12": community("alpha", "debian"),
      "13": community("alpha", "debian"),
    },
  }),
  defineModule({
    name: "pubsub_text_interface",
    summary: "Text commands for pubsub nodes",
    category: "pubsub",
    versions: {
      "0.12": community("alpha", "debian"),
      "13": community("alpha", "debian"),
    },
    placement: ["pubsub"],
    depends: ["pubsub"],
  }),
  defineModule({
    name: "register_apps",
    summary: "Manage list of compatible client apps",
    category: "registration",
    versions: {
      "0.12": community("beta", "debian"),
      "13": community("beta", "debian"),
    },
    depends: ["http", "http_files"],
  }),
  defineModule({
    name: "register_json",
    summary: "Token-based JSON registration and verification endpoint",
    category: "registration",
    versions: {
      "0.12": community("stable", "debian"),
      "13": community("stable", "debian"),
    },
    depends: ["http"],
  }),
  defineModule({
    name: "register_redirect",
    summary: "Redirects in-band registration to a web page",
    category: "registration",
    xeps: ["XEP-0077"],
    versions: {
      "0.12": community("stable", "debian"),
      "13": community("stable", "debian"),
    },
  }),
  defineModule({
    name: "register_web",
    summary: "A web interface to register user accounts",
    category: "registration",
    versions: {
      "0.12": community("alpha", "debian"),
      "13": community("alpha", "debian"),
    },
    depends: ["http", "register_limits"],
  }),
  defineModule({
    name: "reload_modules",
    summary: "Automatically reload modules with the config",
    category: "admin",
    versions: {
      "0.12": community("stable", "debian"),
      "13": community("stable", "debian"),
    },
    placement: ["global"],
  }),
  defineModule({
    name: "report_forward",
    summary: "Forward spam/abuse reports to a JID",
    category: "security",
    xeps: ["XEP-0377"],
    versions: {
      "0.12": community("beta", "rocks"),
      "13": community("beta", "debian"),
    },
    depends: ["spam_reporting"],
  }),
  defineModule({
    name: "require_otr",
    summary: "Enforce a policy for OTR-encrypted messages",
    category: "security",
    versions: {
      "0.12": community("stable", "debian"),
      "13": community("stable", "rocks"),
    },
    uncertain: UNVERIFIED_ON_13,
  }),
  defineModule({
    name: "rest",
    summary: "RESTful XMPP API",
    category: "integration",
    versions: {
      "0.12": community("alpha", "rocks"),
      "13": community("alpha", "debian"),
    },
    depends: ["http", "tokenauth"],
  }),
  defineModule({
    name: "s2s_idle_timeout",
    summary: "Close idle server-to-server connections",
    category: "federation",
    versions: {
      "0.12": community("stable", "debian"),
      "13": community("stable", "debian"),
    },
  }),
  defineModule({
    name: "s2s_smacks_timeout",
    summary: "Closes server connections whose acknowledgements time out",
    category: "federation",
    versions: {
      "0.12": excluded(community("alpha", "debian"), "obsolete; core smacks handles server connections", "smacks"),
      "13": excluded(community("alpha", "debian"), "obsolete; core smacks handles server connections", "smacks"),
    },
    depends: ["smacks"],
  }),
  defineModule({
    name: "sasl2",
    summary: "XEP-0388: Extensible SASL Profile",
    category: "modern",
    xeps: ["XEP-0388"],
    versions: {
      "0.12": excluded(community("beta", "debian"), "works only on Prosody 13"),
      "13": community("beta", "debian"),
    },
  }),
  defineModule({
    name: "sasl2_bind2",
    summary: "Bind 2 integration with SASL2",
    category: "modern",
    xeps: ["XEP-0386"],
    versions: {
      "0.12": excluded(community("beta", "debian"), "works only on Prosody 13"),
      "13": community("beta", "debian"),
    },
    depends: ["sasl2"],
  }),
  defineModule({
    name: "sasl2_fast",
    summary: "Fast Authentication Streamlining Tokens",
    category: "modern",
    xeps: ["XEP-0484"],
    versions: {
      "0.12": excluded(community("beta", "debian"), "works only on Prosody 13"),
      "13": community("beta", "debian"),
    },
    depends: ["sasl2"],
  }),
  defineModule({
    name: "sasl2_sm",
    summary: "XEP-0198 integration with SASL2",
    category: "modern",
    xeps: ["XEP-0198", "XEP-0388"],
    versions: {
      "0.12": excluded(community("beta", "debian"), "works only on Prosody 13"),
      "13": community("beta", "debian"),
    },
    depends: ["sasl2", { module: "sasl2_bind2", versions: ["13"] }, "smacks"],
  }),
  defineModule({
    name: "sasl_oauthbearer",
    summary: "SASL OAuthBearer Mechanism",
    category: "auth",
    xeps: ["RFC 7628"],
    versions: {
      "0.12": community("alpha", "debian"),
      "13": community("alpha", "debian"),
    },
  }),
  defineModule({
    name: "sasl_ssdp",
    summary: "XEP-0474: SASL SCRAM Downgrade Protection",
    category: "security",
    xeps: ["XEP-0474"],
    versions: {
      "0.12": excluded(community("alpha", "rocks"), "works only on Prosody 13"),
      "13": community("alpha", "debian"),
    },
  }),
  defineModule({
    name: "seclabels",
    summary: "Security Labels",
    category: "security",
    xeps: ["XEP-0258"],
    versions: {
      "0.12": community("alpha", "debian"),
      "13": community("alpha", "debian"),
    },
  }),
  defineModule({
    name: "server_status",
    summary: "Server status plugin",
    category: "monitoring",
    versions: {
      "0.12": community("stable", "debian"),
      "13": community("stable", "debian"),
    },
    depends: ["http"],
  }),
  defineModule({
    name: "spam_reporting",
    summary: "XEP-0377: Spam Reporting",
    category: "security",
    xeps: ["XEP-0377"],
    versions: {
      "0.12": community("beta", "rocks"),
      "13": community("beta", "debian"),
    },
    depends: ["blocklist"],
  }),
  defineModule({
    name: "stanza_counter",
    summary: "Simple incoming and outgoing stanza counter",
    category: "monitoring",
    versions: {
      "0.12": community("stable", "debian"),
      "13": community("stable", "debian"),
    },
    depends: ["http"],
  }),
  defineModule({
    name: "storage_ldap",
    summary: "LDAP storage for rosters, groups, and vcards",
    category: "storage",
    kind: "provider",
    versions: {
      "0.12": community("alpha", "debian"),
      "13": community("alpha", "debian"),
    },
  }),
  defineModule({
    name: "support_contact",
    summary: "Add a support contact to new registrations",
    category: "registration",
    versions: {
      "0.12": community("stable", "debian"),
      "13": community("stable", "debian"),
    },
  }),
  defineModule({
    name: "throttle_presence",
    summary: "Limit presence stanzas to save traffic",
    category: "mobile",
    versions: {
      "0.12": community("beta", "debian"),
      "13": community("beta", "debian"),
    },
    depends: ["csi"],
  }),
  defineModule({
    name: "track_muc_joins",
    summary: "Keep track of joined chat rooms",
    category: "muc",
    kind: "library",
    versions: {
      "0.12": community("alpha", "debian"),
      "13": community("alpha", "debian"),
    },
  }),
  defineModule({
    name: "turncredentials",
    summary: "Implement XEP-0215",
    category: "modern",
    xeps: ["XEP-0215"],
    versions: {
      "0.12": excluded(community("alpha", "debian"), "obsolete; core turn_external replaces it", "turn_external"),
      "13": excluded(community("alpha", "debian"), "obsolete; core turn_external replaces it", "turn_external"),
    },
  }),
  defineModule({
    name: "unified_push",
    summary: "Unified Push provider",
    category: "mobile",
    versions: {
      "0.12": community("alpha", "debian"),
      "13": community("alpha", "debian"),
    },
    depends: ["disco", "http"],
  }),
  defineModule({
    name: "vcard_muc",
    summary: "Support for MUC vCards and avatars",
    category: "muc",
    xeps: ["XEP-0054"],
    versions: {
      "0.12": community("alpha", "debian"),
      "13": excluded(
        community("alpha", "rocks"),
        "built into Prosody 13's muc (room avatars); the community module refuses to load",
        "muc",
      ),
    },
    placement: ["muc"],
    depends: ["muc"],
  }),
  defineModule({
    name: "vjud",
    summary: "XEP-0055: Jabber Search",
    category: "im",
    xeps: ["XEP-0055"],
    versions: {
      "0.12": community("alpha", "debian"),
      "13": community("alpha", "debian"),
    },
    depends: ["adhoc", "disco"],
  }),
  defineModule({
    name: "watch_spam_reports",
    summary: "Notify admins about incoming XEP-0377 spam reports",
    category: "security",
    xeps: ["XEP-0377"],
    versions: {
      "0.12": community("beta", "debian"),
      "13": community("beta", "debian"),
    },
    depends: ["spam_reporting"],
  }),
  defineModule({
    name: "webpresence",
    summary: "Display your online status in web pages",
    category: "http",
    versions: {
      "0.12": community("stable", "debian"),
      "13": community("stable", "debian"),
    },
    depends: ["http"],
  }),
];

/** Not in either Debian package: installed from the rocks server only when a spec names them. */
const ROCKS_ONLY: readonly ModuleRecord[] = [
  defineModule({
    name: "cache_c2s_caps",
    summary: "Caches client capabilities on sessions (helper for bob)",
    category: "im",
    kind: "library",
    placement: ["host", "muc"],
    versions: {
      "0.12": community("alpha", "rocks"),
      "13": community("alpha", "rocks"),
    },
  }),
  defineModule({
    name: "conversejs",
    summary: "Serves the Converse.js web client configured for the host",
    category: "http",
    versions: {
      "0.12": community("alpha", "rocks"),
      "13": community("alpha", "rocks"),
    },
    depends: ["http"],
    softDepends: [
      {
        module: "bosh",
        note: "one of bosh or websocket is needed for the client to connect",
      },
      {
        module: "websocket",
        note: "one of bosh or websocket is needed for the client to connect",
      },
      "bookmarks",
    ],
  }),
  defineModule({
    name: "log_json",
    summary: 'JSON log sink, configured with log = { { to = "json" } }',
    category: "monitoring",
    placement: ["global"],
    versions: {
      "0.12": community("alpha", "rocks"),
      "13": community("alpha", "rocks"),
    },
  }),
  defineModule({
    name: "measure_message_e2ee",
    summary: "Counts messages by end-to-end encryption method",
    category: "monitoring",
    versions: {
      "0.12": community("alpha", "rocks"),
      "13": community("alpha", "rocks"),
    },
  }),
  defineModule({
    name: "measure_cpu",
    summary: "Reports CPU usage to the statistics system",
    category: "monitoring",
    placement: ["global"],
    versions: {
      "0.12": community("alpha", "rocks"),
      "13": community("alpha", "rocks"),
    },
    uncertain: "written for the 0.10 statistics API; core http_openmetrics already reports process CPU",
  }),
  defineModule({
    name: "measure_memory",
    summary: "Reports memory usage to the statistics system",
    category: "monitoring",
    placement: ["global"],
    versions: {
      "0.12": community("alpha", "rocks"),
      "13": community("alpha", "rocks"),
    },
    uncertain: "written for the 0.10 statistics API; core http_openmetrics already reports process memory",
  }),
  defineModule({
    name: "admin_blocklist",
    summary: "Blocks server-to-server connections from domains an admin has blocked",
    category: "security",
    versions: {
      "0.12": community("beta", "rocks"),
      "13": community("beta", "rocks"),
    },
    depends: ["blocklist"],
  }),
  defineModule({
    name: "block_registrations",
    summary: "Reserves usernames (admin, root, …) from registration",
    category: "registration",
    versions: {
      "0.12": community("alpha", "rocks"),
      "13": community("alpha", "rocks"),
    },
  }),
  defineModule({
    name: "compliance_2023",
    summary: "Self-test against the XMPP Compliance Suites 2023 (prosodyctl check)",
    category: "admin",
    versions: {
      "0.12": community("beta", "rocks"),
      "13": community("beta", "rocks"),
    },
    uncertain: "new upstream after 2024-01; which Prosody versions it supports is unverified",
  }),
  defineModule({
    name: "compliance_latest",
    summary: "Loads the newest compliance self-test (compliance_2023)",
    category: "admin",
    versions: {
      "0.12": community("beta", "rocks"),
      "13": community("beta", "rocks"),
    },
    depends: ["compliance_2023"],
    uncertain: "new upstream after 2024-01; which Prosody versions it supports is unverified",
  }),
  defineModule({
    name: "audit",
    summary: "Audit log store for security-relevant events",
    category: "admin",
    versions: only13(community("alpha", "rocks"), "does not work on Prosody 0.12 (upstream README)"),
  }),
  defineModule({
    name: "audit_auth",
    summary: "Records authentication events in the audit log",
    category: "admin",
    versions: only13(community("alpha", "rocks"), "needs audit, which does not work on Prosody 0.12"),
    depends: ["audit"],
  }),
  defineModule({
    name: "isr",
    summary: "Instant stream resumption",
    category: "mobile",
    xeps: ["XEP-0397"],
    versions: {
      "0.12": community("alpha", "rocks"),
      "13": community("alpha", "rocks"),
    },
    depends: ["smacks"],
  }),
  defineModule({
    name: "munin",
    summary: "Munin node protocol for statistics",
    category: "monitoring",
    placement: ["global"],
    versions: {
      "0.12": community("beta", "rocks"),
      "13": community("beta", "rocks"),
    },
  }),
  defineModule({
    name: "http_status",
    summary: "HTTP endpoint reporting module status",
    category: "monitoring",
    placement: ["global"],
    versions: {
      "0.12": community("alpha", "rocks"),
      "13": community("alpha", "rocks"),
    },
  }),
  defineModule({
    name: "debug_traceback",
    summary: "Writes a traceback of all coroutines on a signal",
    category: "developer",
    placement: ["global"],
    versions: {
      "0.12": community("alpha", "rocks"),
      "13": community("alpha", "rocks"),
    },
  }),
  defineModule({
    name: "omemo_all_access",
    summary: "Opens OMEMO PEP nodes to everyone (for clients that need it)",
    category: "im",
    versions: {
      "0.12": community("alpha", "rocks"),
      "13": community("alpha", "rocks"),
    },
  }),
  defineModule({
    name: "service_outage_status",
    summary: "Announces planned and current outages",
    category: "admin",
    xeps: ["XEP-0455"],
    versions: {
      "0.12": community("alpha", "rocks"),
      "13": community("alpha", "rocks"),
    },
  }),
  defineModule({
    name: "auth_http",
    summary: 'Passwords checked against an HTTP API (authentication = "http")',
    category: "auth",
    kind: "provider",
    versions: {
      "0.12": community("alpha", "rocks"),
      "13": community("alpha", "rocks"),
    },
  }),
];

export const COMMUNITY_MODULES: readonly ModuleRecord[] = [...DEBIAN_PACKAGED, ...ROCKS_ONLY];
