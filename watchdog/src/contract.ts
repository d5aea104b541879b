/**
 * What the watchdog's image promises whoever runs it: the variables it reads,
 * its commands, its port and where it keeps its state (watchdog/Dockerfile).
 * Plain data: the watchdog reads its settings by these names, and the core's
 * container description (src/containers/watchdog.ts) writes them, so no name
 * is spelled twice.
 */

/** Every variable the watchdog reads (watchdog/README.md documents each one). */
export const WATCHDOG_VARIABLES = {
  /** the deployment spec, as JSON: the watchdog plans it itself and checks the server against that plan */
  spec: "WATCHDOG_SPEC",
  /** secret: the password of the stack's monitoring account (the plan's watchdog.account) */
  password: "WATCHDOG_PASSWORD",
  /** secret, with alerts.webhook: the URL notices are posted to (an ntfy topic's, a Slack incoming webhook's) */
  webhookUrl: "WATCHDOG_WEBHOOK_URL",
  /** secret, with alerts.smtp.username: that user's password */
  smtpPassword: "WATCHDOG_SMTP_PASSWORD",
  /** a DNS server as host:port to ask instead of the system's */
  resolver: "WATCHDOG_RESOLVER",
  /** PEM of CAs to trust besides the system's (a self-signed stack's CA): the entrypoint hands it to Node at start */
  ca: "WATCHDOG_CA",
  /** the certificate renewer's state folder, mounted read-only, where it notes each attempt */
  renewalFolder: "WATCHDOG_RENEWAL_FOLDER",
  /** the backups folder, mounted read-only, where the backup runner notes its latest success */
  backupsFolder: "WATCHDOG_BACKUPS_FOLDER",
  /** with backups to a bucket the stack created: its name */
  backupsBucket: "WATCHDOG_BACKUPS_BUCKET",
  /** the deployed Prosody image's reference: its tag names the period of its packages */
  image: "WATCHDOG_IMAGE",
  /** where it notes what it last found and told, kept across restarts when on a volume */
  state: "WATCHDOG_STATE",
  /** the port its metrics are served on (plain HTTP, private) */
  metricsPort: "WATCHDOG_METRICS_PORT",
} as const;

/** How the image runs the watchdog (its ENTRYPOINT, watchdog/entrypoint); the default command keeps watching. */
export const WATCHDOG_ENTRYPOINT = ["/usr/local/bin/prosody-watchdog"] as const;
/** The program the entrypoint becomes, as the process list names it. */
export const WATCHDOG_PROGRAM = "/opt/prosody-watchdog/watchdog.js";
export const WATCHDOG_COMMANDS = {
  /** checks every alerts.watchdog.everyMinutes and tells of each change, serving its metrics, until stopped */
  watch: "watch",
  /** one check, telling of what changed since the last one: exit 0 all good, 1 something is wrong */
  once: "once",
} as const;
/** The argument that makes the watchdog report its own last run: exit 1 when it could not run the check. */
export const WATCHDOG_HEALTH_FLAG = "--health";
/** Where the state is kept by default (a volume on platforms that keep one). */
export const WATCHDOG_STATE_PATH = "/var/lib/prosody-watchdog";
/** The state file in that folder. */
export const WATCHDOG_STATE_FILE = "state.json";
/** The port its metrics are served on by default, at /metrics. */
export const WATCHDOG_METRICS_PORT = 9465;
/**
 * The user the image runs as: nobody's. It reads only what others leave readable (the backups' note,
 * the renewer's status.json) and writes only its state.
 */
export const WATCHDOG_USER = { uid: 65534, gid: 65534 } as const;
