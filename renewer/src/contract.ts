/**
 * What the certificate renewer's image promises whoever runs it: the
 * variables it reads, its commands, and where it keeps its state
 * (renewer/Dockerfile). Plain data: the renewer reads its settings by these
 * names, and the core's container description (src/containers/renewer.ts)
 * writes them, so no name is spelled twice.
 */

/** Every variable the renewer reads (renewer/README.md documents each one). */
export const RENEWER_VARIABLES = {
  /** the host names the certificate must name, separated by spaces; the first is its common name */
  domains: "RENEWER_DOMAINS",
  /** the ACME directory's URL (Let's Encrypt's production or staging directory) */
  directory: "RENEWER_DIRECTORY",
  /** "route53" or "cloudflare": where the DNS-01 challenge's TXT record is published */
  dnsProvider: "RENEWER_DNS_PROVIDER",
  /** renew when the served certificate has fewer days left than this */
  renewDaysBefore: "RENEWER_RENEW_DAYS_BEFORE",
  /** seconds between two looks at the served certificate */
  checkSeconds: "RENEWER_CHECK_SECONDS",
  /** seconds before the first retry of a failed attempt; each further failure doubles it, up to checkSeconds */
  retrySeconds: "RENEWER_RETRY_SECONDS",
  /** "folders" (files other containers mount) or "aws-secret" (the TLS secret ECS tasks read) */
  store: "RENEWER_STORE",
  /**
   * with folders: where the pair goes, "path:uid:gid:name" separated by spaces, as <name>.crt and
   * <name>.key owned by uid:gid; the first is where the served pair is read back
   */
  folders: "RENEWER_FOLDERS",
  /** with aws-secret: the TLS secret's ARN, whose JSON holds "certificate" and "privateKey" (not named *SECRET*: it is no secret) */
  secretId: "RENEWER_TLS_ARN",
  /** with aws-secret: the ECS services that serve the pair, "cluster-arn service-name" pairs separated by commas */
  services: "RENEWER_SERVICES",
  /** where certbot's folders and the status are kept; default RENEWER_STATE_PATH */
  state: "RENEWER_STATE",
  /** secret, with dns provider cloudflare: an API token allowed to edit DNS in the zone */
  cloudflareToken: "CLOUDFLARE_API_TOKEN",
  /** read by certbot's Route53 plugin (the AWS SDK), where no role gives it an identity: an access key */
  accessKeyId: "AWS_ACCESS_KEY_ID",
  secretAccessKey: "AWS_SECRET_ACCESS_KEY",
} as const;

/** How the image runs the renewer (its ENTRYPOINT); the default command keeps looking. */
export const RENEWER_ENTRYPOINT = ["node", "/opt/prosody-renewer/renewer.js"] as const;
export const RENEWER_COMMANDS = {
  /** looks at the served certificate every checkSeconds, and renews when due, until stopped */
  schedule: "schedule",
  /** one look, renewing when due, then exit: 0 the served certificate is good, 1 it is not */
  once: "once",
} as const;
/** The argument that makes the renewer report its last attempt: exit 0 unless it failed. */
export const RENEWER_HEALTH_FLAG = "--health";
/** certbot's folders (its ACME account, its working copies) and the renewer's status, kept across restarts. */
export const RENEWER_STATE_PATH = "/var/lib/prosody-renewer";
/** With the aws-secret store: the TLS secret's JSON keys, which the AWS platform's task definitions read too. */
export const RENEWER_SECRET_KEYS = { certificate: "certificate", key: "privateKey" } as const;
/** The status the renewer notes after each attempt, which its health check and logs read. */
export const RENEWER_STATUS_FILE = "status.json";
