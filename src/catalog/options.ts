/**
 * What Prosody's own `prosodyctl check config` refuses in an option, as data
 * (util/prosodyctl/check.lua of Prosody 0.12 in Debian bookworm and 13 in
 * Debian trixie: the lists are the same but for where cross_domain_* went).
 * The plan refuses these in `options`, so a spec it accepts passes the check.
 */

/** Options Prosody reads only from the global section (`known_global_options`). */
export const GLOBAL_ONLY_OPTIONS: ReadonlySet<string> = new Set([
  "access_control_allow_credentials",
  "access_control_allow_headers",
  "access_control_allow_methods",
  "access_control_max_age",
  "admin_socket",
  "body_size_limit",
  "bosh_max_inactivity",
  "bosh_max_polling",
  "bosh_max_wait",
  "buffer_size_limit",
  "c2s_close_timeout",
  "c2s_stanza_size_limit",
  "c2s_tcp_keepalives",
  "c2s_timeout",
  "component_stanza_size_limit",
  "component_tcp_keepalives",
  "consider_bosh_secure",
  "consider_websocket_secure",
  "console_banner",
  "console_prettyprint_settings",
  "daemonize",
  "gc",
  "http_default_host",
  "http_errors_always_show",
  "http_errors_default_message",
  "http_errors_detailed",
  "http_errors_messages",
  "http_max_buffer_size",
  "http_max_content_size",
  "installer_plugin_path",
  "limits",
  "limits_resolution",
  "log",
  "multiplex_buffer_size",
  "network_backend",
  "network_default_read_size",
  "network_settings",
  "openmetrics_allow_cidr",
  "openmetrics_allow_ips",
  "pidfile",
  "plugin_paths",
  "plugin_server",
  "prosodyctl_timeout",
  "prosody_group",
  "prosody_user",
  "run_as_root",
  "s2s_close_timeout",
  "s2s_insecure_domains",
  "s2s_require_encryption",
  "s2s_secure_auth",
  "s2s_secure_domains",
  "s2s_stanza_size_limit",
  "s2s_tcp_keepalives",
  "s2s_timeout",
  "statistics",
  "statistics_config",
  "statistics_interval",
  "tcp_keepalives",
  "tls_profile",
  "trusted_proxies",
  "umask",
  "use_dane",
  "use_ipv4",
  "use_ipv6",
  "websocket_frame_buffer_limit",
  "websocket_frame_fragment_limit",
  "websocket_get_response_body",
  "websocket_get_response_text",
]);

/** Also global only: what these patterns match, except c2s_ssl, s2s_ssl and the two TURN/external service ports. */
export const GLOBAL_ONLY_PATTERN = /^interfaces?$|_ports?$|_interfaces?$|_ssl$/;
export const HOST_ALLOWED = new Set(["c2s_ssl", "s2s_ssl", "external_service_port", "turn_external_port"]);

/** Options Prosody has dropped: remove them. */
export const OBSOLETE_OPTIONS: ReadonlySet<string> = new Set([
  "archive_cleanup_interval",
  "dns_timeout",
  "muc_log_cleanup_interval",
  "s2s_dns_resolvers",
  "setgid",
  "setuid",
]);

/** Options Prosody still reads but has replaced, with what to use instead. */
export const DEPRECATED_OPTIONS: Readonly<Record<string, string>> = {
  anonymous_login: 'authentication = "anonymous" (not offered by ProsodyStack)',
  daemonize: "nothing: the platform runs Prosody in the foreground",
  no_daemonize: "nothing: the platform runs Prosody in the foreground",
  disallow_s2s: 'modules.remove: ["s2s"]',
  require_encryption: "nothing: ProsodyStack always requires encryption",
  vcard_compatibility: "the community module compat_vcard",
  use_libevent: 'network_backend = "event"',
  whitelist_registration_only: "allowlist_registration_only",
  registration_whitelist: "registration_allowlist",
  registration_blacklist: "registration_blocklist",
  blacklist_on_registration_throttle_overload: "blocklist_on_registration_throttle_overload",
  cross_domain_bosh: "http_cors_override",
  cross_domain_websocket: "http_cors_override",
  ...Object.fromEntries(
    ["port", "ports", "interface", "interfaces", "ssl"].flatMap((suffix) => {
      const plural = suffix === "port" || suffix === "interface" ? `${suffix}s` : suffix;
      return [
        [`bosh_${suffix}`, `http_${plural}`],
        [`legacy_ssl_${suffix}`, `c2s_direct_tls_${plural}`],
      ];
    }),
  ),
};
