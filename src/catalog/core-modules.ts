/**
 * Modules shipped with Prosody itself, 0.12 (Debian bookworm 0.12.3) and 13
 * (Debian trixie 13.0.1). Sources: Prosody's repository
 * (https://hg.prosody.im/prosody, tags 0.12.5 and 13.0.1): `plugins/` for the
 * module list, `core/modulemanager.lua` for the autoloaded ones, `CHANGES` for
 * what 13 imported from prosody-modules; dependencies are the modules' own
 * `module:depends()` calls. test/truth checks the list and every dependency
 * against the files Debian's `prosody` packages ship.
 * Modules that are core on 13 but community on 0.12 live here too, with their
 * 0.12 entry saying so.
 */
import { absent, autoloaded, community, core, defineModule, excluded, onBoth, only13 } from "./build";
import type { ModuleRecord } from "./types";

const DEV_ONLY = "a development and test helper, not for a deployed server";
const ANY_HOST_OR_COMPONENT = ["host", "muc", "upload", "proxy65", "pubsub"] as const;

export const CORE_MODULES: readonly ModuleRecord[] = [
  // --- autoloaded on every host ------------------------------------------------
  defineModule({
    name: "c2s",
    summary: "Client-to-server connections (listener on 5222 and the direct TLS port)",
    category: "core",
    xeps: ["RFC 6120", "XEP-0368"],
    versions: onBoth(autoloaded()),
    placement: ["global"],
    essential: true,
    options: [
      {
        name: "c2s_require_encryption",
        doc: "refuse clients that do not use TLS",
      },
      {
        name: "c2s_direct_tls_ports",
        doc: "ports for direct TLS (XEP-0368), e.g. { 5223 }",
      },
    ],
  }),
  defineModule({
    name: "s2s",
    summary: "Server-to-server connections (federation, port 5269)",
    category: "federation",
    xeps: ["RFC 6120"],
    versions: onBoth(autoloaded()),
    placement: ["global"],
    depends: [{ module: "s2s_auth_dane_in", versions: ["13"], when: "dane" }],
    options: [
      {
        name: "s2s_require_encryption",
        doc: "refuse unencrypted server-to-server connections",
      },
      {
        name: "s2s_secure_auth",
        doc: "require valid certificates from remote servers",
      },
    ],
  }),
  defineModule({
    name: "s2s_auth_certs",
    summary: "Authenticates remote servers by their certificates",
    category: "federation",
    versions: onBoth(autoloaded()),
    placement: ["global"],
  }),
  defineModule({
    name: "presence",
    summary: "Presence routing and subscriptions",
    category: "core",
    xeps: ["RFC 6121"],
    versions: onBoth(autoloaded()),
    essential: true,
  }),
  defineModule({
    name: "message",
    summary: "Message routing",
    category: "core",
    xeps: ["RFC 6121"],
    versions: onBoth(autoloaded()),
    essential: true,
  }),
  defineModule({
    name: "iq",
    summary: "IQ routing",
    category: "core",
    xeps: ["RFC 6120"],
    versions: onBoth(autoloaded()),
    placement: ANY_HOST_OR_COMPONENT,
    essential: true,
  }),
  defineModule({
    name: "offline",
    summary: "Stores messages for users who are offline",
    category: "im",
    xeps: ["XEP-0160"],
    versions: onBoth(autoloaded()),
  }),
  defineModule({
    name: "posix",
    summary: "POSIX platform support: daemonising, pidfile, syslog",
    category: "core",
    versions: {
      "0.12": autoloaded(),
      "13": excluded(core(), "an empty stub in Prosody 13: its work moved into Prosody's startup code"),
    },
    placement: ["global"],
  }),

  // --- essentials and the upstream default set ------------------------------------
  defineModule({
    name: "roster",
    summary: "Contact lists (rosters) with versioning",
    category: "core",
    xeps: ["RFC 6121", "XEP-0237"],
    versions: onBoth(core()),
    essential: true,
  }),
  defineModule({
    name: "saslauth",
    summary: "SASL authentication (SCRAM) for clients",
    category: "core",
    xeps: ["RFC 6120"],
    versions: onBoth(core()),
    essential: true,
  }),
  defineModule({
    name: "tls",
    summary: "STARTTLS for client and server connections",
    category: "core",
    xeps: ["RFC 6120", "RFC 7590"],
    versions: onBoth(core()),
    essential: true,
  }),
  defineModule({
    name: "disco",
    summary: "Service discovery and entity capabilities",
    category: "core",
    xeps: ["XEP-0030", "XEP-0115"],
    versions: onBoth(core()),
    placement: ANY_HOST_OR_COMPONENT,
    essential: true,
    options: [
      {
        name: "disco_items",
        doc: "extra items to list in the host's disco#items",
      },
    ],
  }),
  defineModule({
    name: "dialback",
    summary: "Server dialback for federation with servers whose certificates cannot be verified",
    category: "federation",
    xeps: ["XEP-0220"],
    versions: onBoth(core()),
  }),
  defineModule({
    name: "private",
    summary: "Private XML storage (legacy client settings)",
    category: "im",
    xeps: ["XEP-0049"],
    versions: onBoth(core()),
  }),
  defineModule({
    name: "pep",
    summary: "Personal eventing: avatars, nicknames, OMEMO keys, bookmarks",
    category: "im",
    xeps: ["XEP-0163", "XEP-0223"],
    versions: onBoth(core()),
  }),
  defineModule({
    name: "vcard",
    summary: "vcard-temp profiles stored as-is (superseded by vcard_legacy on user hosts)",
    category: "im",
    xeps: ["XEP-0054"],
    versions: onBoth(core()),
    placement: ["host", "muc"],
  }),
  defineModule({
    name: "vcard4",
    summary: "vCard4 profiles over PEP",
    category: "im",
    xeps: ["XEP-0292"],
    versions: onBoth(core()),
    depends: ["pep"],
  }),
  defineModule({
    name: "vcard_legacy",
    summary: "vcard-temp and avatar compatibility mapped onto PEP",
    category: "im",
    xeps: ["XEP-0054", "XEP-0153", "XEP-0398"],
    versions: onBoth(core()),
    depends: ["pep"],
  }),
  defineModule({
    name: "version",
    summary: "Answers software version queries",
    category: "core",
    xeps: ["XEP-0092"],
    versions: onBoth(core()),
  }),
  defineModule({
    name: "uptime",
    summary: "Reports server uptime",
    category: "core",
    xeps: ["XEP-0012"],
    versions: onBoth(core()),
    depends: ["adhoc"],
  }),
  defineModule({
    name: "time",
    summary: "Answers entity time queries",
    category: "core",
    xeps: ["XEP-0202"],
    versions: onBoth(core()),
  }),
  defineModule({
    name: "ping",
    summary: "Answers XMPP pings",
    category: "core",
    xeps: ["XEP-0199"],
    versions: onBoth(core()),
  }),
  defineModule({
    name: "blocklist",
    summary: "Lets users block contacts",
    category: "im",
    xeps: ["XEP-0191"],
    versions: onBoth(core()),
  }),
  defineModule({
    name: "bookmarks",
    summary: "Group chat bookmarks synchronised between old and new formats",
    category: "im",
    xeps: ["XEP-0402", "XEP-0048"],
    versions: onBoth(core()),
    depends: ["pep"],
  }),
  defineModule({
    name: "carbons",
    summary: "Copies messages to all of a user's devices",
    category: "modern",
    xeps: ["XEP-0280"],
    versions: onBoth(core()),
  }),
  defineModule({
    name: "mam",
    summary: "Server-side message history",
    category: "modern",
    xeps: ["XEP-0313"],
    versions: onBoth(core()),
    options: [
      {
        name: "archive_expires_after",
        doc: 'how long messages are kept, e.g. "1w", "1y" or "never"',
      },
      {
        name: "default_archive_policy",
        doc: 'archive for users who never chose (true, false or "roster")',
      },
    ],
  }),
  defineModule({
    name: "smacks",
    summary: "Stream management: acknowledgements and fast reconnects",
    category: "mobile",
    xeps: ["XEP-0198"],
    versions: onBoth(core()),
    options: [
      {
        name: "smacks_hibernation_time",
        doc: "seconds a lost session is kept for resumption",
      },
    ],
  }),
  defineModule({
    name: "csi",
    summary: "Tracks whether a client is active or inactive",
    category: "mobile",
    xeps: ["XEP-0352"],
    versions: onBoth(core()),
    kind: "library",
  }),
  defineModule({
    name: "csi_simple",
    summary: "Holds back unimportant traffic while a mobile client is inactive",
    category: "mobile",
    xeps: ["XEP-0352"],
    versions: onBoth(core()),
    depends: ["csi"],
  }),
  defineModule({
    name: "cloud_notify",
    summary: "Push notifications to mobile apps through their push services",
    category: "mobile",
    xeps: ["XEP-0357"],
    versions: { "0.12": community("beta", "debian"), "13": core() },
  }),
  defineModule({
    name: "account_activity",
    summary: "Records when accounts last logged in and out",
    category: "admin",
    versions: only13(core()),
  }),
  defineModule({
    name: "register",
    summary: "In-band registration and password changes",
    category: "registration",
    xeps: ["XEP-0077"],
    versions: onBoth(core()),
    depends: [
      "user_account_management",
      { module: "register_ibr", when: "openRegistration" },
      { module: "watchregistrations", when: "openRegistration" },
    ],
    options: [
      {
        name: "allow_registration",
        doc: "let anyone create an account (default false)",
      },
    ],
  }),
  defineModule({
    name: "register_ibr",
    summary: "The in-band registration protocol, loaded by register and invites_register",
    category: "registration",
    xeps: ["XEP-0077"],
    versions: onBoth(core()),
    kind: "library",
    depends: [
      {
        module: "register_limits",
        note: "optional in Prosody (pcall), always present in the package",
      },
    ],
  }),
  defineModule({
    name: "register_limits",
    summary: "Throttles registrations and applies registration block and allow lists",
    category: "registration",
    versions: onBoth(core()),
    kind: "library",
    options: [
      {
        name: "registration_blocklist",
        doc: "IP addresses that may not register",
      },
    ],
  }),
  defineModule({
    name: "user_account_management",
    summary: "Password changes and account deletion",
    category: "registration",
    versions: onBoth(core()),
    kind: "library",
  }),
  defineModule({
    name: "invites",
    summary: "Invitation tokens for onboarding new users and contacts",
    category: "registration",
    xeps: ["XEP-0401", "XEP-0379"],
    versions: onBoth(core()),
  }),
  defineModule({
    name: "invites_adhoc",
    summary: "Create invitations from an XMPP client",
    category: "registration",
    xeps: ["XEP-0050"],
    versions: onBoth(core()),
    depends: ["invites", "adhoc"],
  }),
  defineModule({
    name: "invites_register",
    summary: "Account registration with an invitation",
    category: "registration",
    xeps: ["XEP-0401", "XEP-0445"],
    versions: onBoth(core()),
    depends: ["invites", { module: "register_ibr", when: "inviteOnlyRegistration" }],
    options: [
      {
        name: "registration_invite_only",
        doc: "registration needs an invite (default true)",
      },
    ],
  }),
  defineModule({
    name: "adhoc",
    summary: "Ad-hoc commands framework",
    category: "core",
    xeps: ["XEP-0050"],
    versions: onBoth(core()),
    placement: ["host", "muc"],
    kind: "library",
  }),
  defineModule({
    name: "lastactivity",
    summary: "Tells contacts when a user was last online",
    category: "im",
    xeps: ["XEP-0012"],
    versions: onBoth(core()),
  }),
  defineModule({
    name: "tokenauth",
    summary: "Token storage used by authentication (FAST, invites, OAuth)",
    category: "auth",
    versions: onBoth(core()),
    kind: "library",
  }),

  // --- security ---------------------------------------------------------------------
  defineModule({
    name: "limits",
    summary: "Bandwidth limits per connection type",
    category: "security",
    versions: onBoth(core()),
    placement: ["global"],
    options: [
      {
        name: "limits",
        doc: 'per connection type, e.g. { c2s = { rate = "10kb/s" } }',
      },
    ],
  }),
  defineModule({
    name: "tombstones",
    summary: "Stops a deleted account's name from being registered again",
    category: "security",
    versions: onBoth(core()),
    options: [
      {
        name: "user_tombstone_expiry",
        doc: "how long a deleted name stays reserved",
      },
    ],
  }),
  defineModule({
    name: "mimicking",
    summary: "Refuses new usernames that look like existing ones (confusable characters)",
    category: "security",
    versions: onBoth(core()),
    uncertain:
      "needs Prosody built with ICU; Debian's build is expected to have it but this is proven only by the e2e suite",
  }),
  defineModule({
    name: "watchregistrations",
    summary: "Tells admins about new registrations",
    category: "admin",
    versions: onBoth(core()),
  }),

  // --- federation and external services -------------------------------------------------
  defineModule({
    name: "s2s_bidi",
    summary: "Bidirectional server-to-server connections",
    category: "federation",
    xeps: ["XEP-0288"],
    versions: onBoth(core()),
  }),
  defineModule({
    name: "s2s_auth_dane_in",
    summary: "DANE for incoming server connections, loaded by s2s when use_dane is set",
    category: "federation",
    versions: only13(core()),
    placement: ["global"],
    kind: "library",
  }),
  defineModule({
    name: "external_services",
    summary: "Advertises external services such as STUN and TURN servers",
    category: "modern",
    xeps: ["XEP-0215"],
    versions: onBoth(core()),
    options: [
      {
        name: "external_services",
        doc: "the list of services to advertise",
        required: true,
      },
    ],
  }),
  defineModule({
    name: "turn_external",
    summary: "Advertises an external TURN server with time-limited credentials",
    category: "modern",
    xeps: ["XEP-0215"],
    versions: onBoth(core()),
    depends: ["external_services"],
    options: [
      {
        name: "turn_external_host",
        doc: "the TURN server's host name",
        required: true,
      },
      {
        name: "turn_external_secret",
        doc: "the secret shared with the TURN server",
        required: true,
      },
      { name: "turn_external_port", doc: "the TURN port (default 3478)" },
    ],
  }),
  defineModule({
    name: "component",
    summary: "External components protocol, used for Components that set component_secret",
    category: "core",
    xeps: ["XEP-0114"],
    versions: onBoth(core()),
    kind: "library",
  }),

  // --- administration and monitoring -------------------------------------------------------
  defineModule({
    name: "admin_adhoc",
    summary: "Server administration commands from an XMPP client",
    category: "admin",
    xeps: ["XEP-0133"],
    versions: onBoth(core()),
    depends: ["adhoc"],
  }),
  defineModule({
    name: "admin_shell",
    summary: "The admin console used by prosodyctl shell",
    category: "admin",
    versions: onBoth(core()),
    placement: ["global"],
    depends: ["admin_socket"],
  }),
  defineModule({
    name: "admin_socket",
    summary: "Unix socket for the admin console",
    category: "admin",
    versions: onBoth(core()),
    placement: ["global"],
    kind: "library",
  }),
  defineModule({
    name: "admin_telnet",
    summary: "Legacy telnet admin console",
    category: "admin",
    versions: onBoth(excluded(core(), "a legacy console on an unencrypted port", "admin_shell")),
    placement: ["global"],
    depends: ["admin_shell"],
  }),
  defineModule({
    name: "announce",
    summary: "Broadcasts announcements to users",
    category: "admin",
    xeps: ["XEP-0133"],
    versions: onBoth(core()),
    depends: ["adhoc"],
  }),
  defineModule({
    name: "motd",
    summary: "Message of the day sent to users when they log in",
    category: "admin",
    versions: onBoth(core()),
    options: [{ name: "motd_text", doc: "the message", required: true }],
  }),
  defineModule({
    name: "welcome",
    summary: "Welcome message sent to newly registered users",
    category: "admin",
    versions: onBoth(core()),
    options: [{ name: "welcome_message", doc: "the message" }],
  }),
  defineModule({
    name: "groups",
    summary: "Shared roster groups from a file",
    category: "admin",
    versions: onBoth(core()),
    options: [{ name: "groups_file", doc: "path to the groups file", required: true }],
  }),
  defineModule({
    name: "server_contact_info",
    summary: "Publishes the server's contact addresses",
    category: "admin",
    xeps: ["XEP-0157"],
    versions: onBoth(core()),
    depends: [{ module: "server_info", versions: ["13"] }],
    options: [
      {
        name: "contact_info",
        doc: "addresses by role: admin, abuse, support, security",
      },
    ],
  }),
  defineModule({
    name: "server_info",
    summary: "Extended service discovery information",
    category: "admin",
    xeps: ["XEP-0128"],
    versions: { "0.12": community("alpha", "rocks"), "13": core() },
  }),
  defineModule({
    name: "flags",
    summary: "Account flags managed from the shell",
    category: "admin",
    versions: { "0.12": community("alpha", "rocks"), "13": core() },
    uncertain:
      "the community copy for 0.12 is labelled Merged upstream; whether the rocks server serves it is unverified",
  }),
  defineModule({
    name: "http_openmetrics",
    summary: "OpenMetrics (Prometheus) endpoint at /metrics",
    category: "monitoring",
    versions: onBoth(core()),
    placement: ["global"],
    depends: ["http"],
    options: [
      {
        name: "statistics",
        doc: 'must be "internal" or the endpoint answers 404',
        required: true,
      },
      {
        name: "openmetrics_allow_cidr",
        doc: "network allowed to scrape /metrics",
      },
    ],
  }),

  // --- HTTP ------------------------------------------------------------------------------
  defineModule({
    name: "http",
    summary: "Prosody's HTTP server (5280 on loopback, 5281 with TLS)",
    category: "http",
    versions: onBoth(core()),
    placement: ["global"],
    depends: ["http_errors"],
    options: [
      {
        name: "http_external_url",
        doc: "the public URL when behind a reverse proxy",
      },
      {
        name: "trusted_proxies",
        doc: "reverse proxies whose X-Forwarded-For is believed",
      },
    ],
  }),
  defineModule({
    name: "http_errors",
    summary: "Error pages for the HTTP server",
    category: "http",
    versions: onBoth(core()),
    placement: ["global"],
    kind: "library",
  }),
  defineModule({
    name: "http_files",
    summary: "Serves static files over HTTP",
    category: "http",
    placement: ["host", "muc", "upload"],
    versions: onBoth(core()),
    depends: ["http"],
    options: [{ name: "http_files_dir", doc: "the folder to serve", required: true }],
  }),
  defineModule({
    name: "bosh",
    summary: "XMPP over HTTP long-polling for web clients (/http-bind)",
    category: "http",
    xeps: ["XEP-0124", "XEP-0206"],
    versions: onBoth(core()),
    depends: ["http", { module: "c2s", versions: ["13"] }],
    softDepends: [{ module: "http_altconnect", versions: ["13"] }],
  }),
  defineModule({
    name: "websocket",
    summary: "XMPP over WebSocket for web clients (/xmpp-websocket)",
    category: "http",
    xeps: ["RFC 7395"],
    versions: onBoth(core()),
    depends: ["c2s", "http"],
    softDepends: [{ module: "http_altconnect", versions: ["13"] }],
  }),
  defineModule({
    name: "http_altconnect",
    summary: "Lets web clients discover the BOSH and WebSocket endpoints (host-meta)",
    category: "http",
    xeps: ["XEP-0156"],
    versions: { "0.12": community("alpha", "rocks"), "13": core() },
    depends: ["http"],
  }),

  // --- components --------------------------------------------------------------------------
  defineModule({
    name: "muc",
    summary: "Group chat rooms",
    category: "muc",
    xeps: ["XEP-0045", "XEP-0410"],
    versions: onBoth(core()),
    placement: ["muc"],
    definesComponent: "muc",
    depends: ["disco", "muc_unique", "adhoc", { module: "vcard", versions: ["13"], note: "room avatars" }],
    options: [
      {
        name: "restrict_room_creation",
        doc: 'who may create rooms: false, true (admins) or "local"',
      },
      { name: "muc_room_default_public", doc: "new rooms are listed publicly" },
    ],
  }),
  defineModule({
    name: "muc_unique",
    summary: "Generates unique room names",
    category: "muc",
    versions: onBoth(core()),
    placement: ["muc"],
    kind: "library",
  }),
  defineModule({
    name: "muc_mam",
    summary: "Message history for group chats",
    category: "muc",
    xeps: ["XEP-0313"],
    versions: onBoth(core()),
    placement: ["muc"],
    depends: ["muc"],
    options: [{ name: "muc_log_expires_after", doc: "how long room history is kept" }],
  }),
  defineModule({
    name: "http_file_share",
    summary: "HTTP file upload for sharing files and media",
    category: "upload",
    xeps: ["XEP-0363"],
    versions: onBoth(core()),
    placement: ["upload"],
    definesComponent: "upload",
    depends: ["disco", { module: "http", unless: "externalUploads" }],
    options: [
      {
        name: "http_file_share_size_limit",
        doc: "largest file in bytes (default 10 MiB)",
      },
      {
        name: "http_file_share_expires_after",
        doc: "how long files are kept (default 1 week)",
      },
      {
        name: "http_file_share_daily_quota",
        doc: "bytes a user may upload per day",
      },
      {
        name: "http_file_share_base_url",
        doc: "URL of an external upload service (external mode)",
      },
      {
        name: "http_file_share_secret",
        doc: "secret shared with the external upload service",
      },
    ],
  }),
  defineModule({
    name: "proxy65",
    summary: "SOCKS5 relay for peer-to-peer file transfers",
    category: "modern",
    xeps: ["XEP-0065"],
    versions: onBoth(core()),
    placement: ["proxy65"],
    definesComponent: "proxy65",
    depends: ["disco"],
    options: [
      { name: "proxy65_address", doc: "the address clients connect to" },
      { name: "proxy65_ports", doc: "listening ports (default 5000)" },
    ],
  }),
  defineModule({
    name: "pubsub",
    summary: "Publish-subscribe service",
    category: "pubsub",
    xeps: ["XEP-0060"],
    versions: onBoth(core()),
    placement: ["pubsub"],
    definesComponent: "pubsub",
    depends: ["disco"],
  }),

  // --- providers: chosen with a setting, never in modules_enabled ------------------------------
  ...(
    [
      ["auth_internal_hashed", 'Passwords stored as SCRAM hashes (authentication = "internal_hashed")'],
      ["auth_internal_plain", 'Passwords stored in plain text (authentication = "internal_plain")'],
      ["auth_anonymous", 'Anonymous logins (authentication = "anonymous")'],
      ["auth_ldap", 'Passwords checked against LDAP (authentication = "ldap")'],
    ] as const
  ).map(([name, summary]) =>
    defineModule({
      name,
      summary,
      category: "auth",
      kind: "provider",
      versions: onBoth(core()),
      depends: name === "auth_internal_hashed" ? [{ module: "tokenauth", versions: ["13"] }] : [],
      ...(name === "auth_ldap" ? { systemPackages: ["lua-ldap"] } : {}),
    }),
  ),
  defineModule({
    name: "auth_insecure",
    summary: "Accepts any password",
    category: "auth",
    kind: "provider",
    versions: onBoth(excluded(core(), DEV_ONLY, "auth_internal_hashed")),
  }),
  defineModule({
    name: "authz_internal",
    summary: 'Roles and permissions (authorization = "internal", the default)',
    category: "auth",
    kind: "provider",
    versions: onBoth(core()),
  }),
  ...(
    [
      ["storage_internal", 'Files in the data folder (storage = "internal")'],
      ["storage_sql", 'SQLite, PostgreSQL or MySQL through LuaDBI (storage = "sql")'],
      ["storage_xep0227", 'XEP-0227 XML files, for migrations (storage = "xep0227")'],
      ["storage_memory", 'Memory only, lost on restart (storage = "memory"), for tests'],
      ["storage_none", 'Stores nothing (storage = "none")'],
    ] as const
  ).map(([name, summary]) =>
    defineModule({
      name,
      summary,
      category: "storage",
      kind: "provider",
      versions: onBoth(core()),
      ...(name === "storage_sql" ? { systemPackages: ["lua-dbi-sqlite3", "lua-dbi-postgresql"] } : {}),
    }),
  ),
  defineModule({
    name: "cron",
    summary: "Periodic task scheduler, loaded by modules that need it",
    category: "core",
    kind: "provider",
    versions: onBoth(core()),
    placement: ["global"],
  }),

  // --- kept out of deployments ------------------------------------------------------------------
  defineModule({
    name: "legacyauth",
    summary: "Non-SASL authentication for very old clients",
    category: "auth",
    xeps: ["XEP-0078"],
    versions: onBoth(excluded(core(), "obsolete protocol (XEP-0078); every current client uses SASL", "saslauth")),
  }),
  defineModule({
    name: "pep_plus",
    summary: "Old name of pep",
    category: "im",
    versions: onBoth(excluded(core(), "renamed; it only loads pep and logs an error", "pep")),
    depends: ["pep"],
  }),
  defineModule({
    name: "pep_simple",
    summary: "Old minimal PEP implementation",
    category: "im",
    versions: onBoth(excluded(core(), "legacy implementation", "pep")),
  }),
  defineModule({
    name: "net_multiplex",
    summary: "Serves several protocols on one port",
    category: "core",
    versions: onBoth(core()),
    placement: ["global"],
  }),
  ...(
    [
      ["debug_sql", "Logs every SQL query"],
      ["stanza_debug", "Logs every stanza in full"],
      ["scansion_record", "Records sessions as scansion test scripts"],
    ] as const
  ).map(([name, summary]) =>
    defineModule({
      name,
      summary,
      category: "developer",
      versions: onBoth(excluded(core(), DEV_ONLY)),
      placement: name === "debug_sql" ? ["global"] : ["host"],
    }),
  ),
  defineModule({
    name: "debug_reset",
    summary: "Resets the server when the last client disconnects (test helper)",
    category: "developer",
    versions: {
      "0.12": absent("new in Prosody 13"),
      "13": excluded(core(), DEV_ONLY),
    },
    placement: ["global"],
  }),
];
