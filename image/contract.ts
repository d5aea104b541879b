/**
 * What the Prosody image promises whoever runs it: the user it runs as, where
 * it reads its configuration, the variables its entrypoint and health command
 * read, and its commands (image/Dockerfile, image/prosody-entrypoint,
 * image/prosody-healthcheck). Plain data: the core's container description
 * (src/containers/prosody.ts) writes these names, so none is spelled twice.
 * Not part of the image's build context (image/.dockerignore).
 */

/** The `prosody` user of image/Dockerfile; the e2e suite checks the built image against it. */
export const PROSODY_USER = { uid: 100, gid: 102 } as const;
/** Where the image's entrypoint reads the configuration when it is mounted as a file. */
export const PROSODY_CONFIG_FILE = "/etc/prosody/prosody.cfg.lua";
/** The web client's settings; the image's page links to it (image/webclient/settings.js). */
export const WEB_CLIENT_SETTINGS_FILE = "/etc/prosody/webclient/settings.js";
/** image/prosody-entrypoint with "prepare": writes the files, checks the config and runs the storage step, then exits. */
export const PROSODY_PREPARE_COMMAND = ["/usr/local/bin/prosody-entrypoint", "prepare"] as const;
/** image/prosody-healthcheck: opens an XMPP stream on the client port and expects Prosody to answer. */
export const PROSODY_HEALTH_COMMAND = ["/usr/local/bin/prosody-healthcheck"] as const;

/** The variables the Prosody image reads (image/prosody-entrypoint and image/prosody-healthcheck document them). */
export const PROSODY_VARIABLES = {
  /** the client port the health command connects to */
  healthPort: "PROSODY_HEALTH_PORT",
  /** secret: "jid password" lines; the entrypoint creates each account that does not exist yet, and never resets one */
  adminAccounts: "PROSODY_ADMIN_ACCOUNTS",
  /** for platforms that cannot mount files: the entrypoint writes these to files before Prosody starts */
  configText: "PROSODY_CONFIG_TEXT",
  webClientSettings: "PROSODY_WEBCLIENT_TEXT",
  certificate: "PROSODY_TLS_CERTIFICATE",
  key: "PROSODY_TLS_KEY",
  fileStem: "PROSODY_TLS_NAME",
  certificatesFolder: "PROSODY_CERTIFICATES",
  /** seconds between looks at the certificates folder; when its files change, Prosody reloads them (SIGHUP) */
  certificateWatch: "PROSODY_CERTIFICATE_WATCH_SECONDS",
  /**
   * the host names of a certificate issued where the server runs (the first names its files): while it is
   * not there yet, the entrypoint makes a temporary self-signed pair so Prosody starts, and says so
   */
  temporaryCertificate: "PROSODY_TLS_TEMPORARY",
} as const;
