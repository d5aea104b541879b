/**
 * The alert rules for a stack's server: what must never go unnoticed, as Prometheus alerting rules
 * over Prosody's own metrics (mod_http_openmetrics, names as Prosody 13 exports them) and the few
 * numbers Prosody cannot know, which the stack's watchdog exports (WATCHDOG_METRICS). Thresholds
 * that depend on the stack (the upload quota, the backup schedule) come from the plan; a rule whose
 * subject the stack does not have (no quota, no backups) is left out. Rendered by src/render/prometheus-rules.ts; each rule has
 * series that fire it and series that do not in test/truth/alert-rules.test.ts (promtool).
 */
import { nextRuns } from "../../common/backup-rules";
import type { DeploymentPlan } from "../plan/types";

/** The scrape job names the rules select: name your jobs so, or rewrite the `job` matchers. */
export const SCRAPE_JOBS = { prosody: "prosody", watchdog: "prosody-stack-watchdog" } as const;

/** What the watchdog exports, because Prosody exports no certificate expiry and knows nothing of backups. */
export const WATCHDOG_METRICS = {
  certificateExpiry: "prosody_stack_certificate_expiry_timestamp_seconds",
  lastGoodBackup: "prosody_stack_backup_last_success_timestamp_seconds",
} as const;

/** Days of certificate validity under which the owner hears of it (as `prosody-stack check` warns). */
export const CERTIFICATE_WARNING_DAYS = 14;

export interface AlertRule {
  /** the alert's name, CamelCase as Prometheus's own rules are */
  alert: string;
  /** PromQL: any result is a firing alert */
  expr: string;
  /** how long the expression must hold before the alert fires */
  for: string;
  severity: "critical" | "warning";
  summary: string;
  /** what to look at first */
  description: string;
}

/** The label matchers of the two scrape jobs, as the rules, the dashboard and their tests write them. */
export const JOB_MATCHERS = {
  prosody: `job="${SCRAPE_JOBS.prosody}"`,
  watchdog: `job="${SCRAPE_JOBS.watchdog}"`,
} as const;
const { prosody, watchdog } = JOB_MATCHERS;

/** Rules every server gets. */
const SERVER_RULES: readonly AlertRule[] = [
  {
    alert: "ProsodyDown",
    expr: `up{${prosody}} == 0`,
    for: "2m",
    severity: "critical",
    summary: "Prosody does not answer its metrics scrape",
    description:
      "{{ $labels.instance }} has not answered for 2 minutes: the server is down, restarting, or its private HTTP port is closed to the scraper (openmetrics_allow_cidr).",
  },
  {
    alert: "ProsodyNotScraped",
    expr: `absent(up{${prosody}})`,
    for: "10m",
    severity: "critical",
    summary: "No Prosody target is being scraped",
    description: `Prometheus has no target in the job "${SCRAPE_JOBS.prosody}": service discovery lost the server, or the scrape configuration changed.`,
  },
  {
    alert: "ProsodyClientsGone",
    // Zero now (or no series at all) after some connections within the hour: a cut, not a quiet server.
    expr: `(sum(prosody_mod_c2s__connections{${prosody}}) or vector(0)) == 0 and on() sum(max_over_time(prosody_mod_c2s__connections{${prosody}}[1h])) > 0`,
    for: "5m",
    severity: "warning",
    summary: "Every client connection is gone",
    description:
      "Clients were connected within the hour and none is now: check the client ports, the certificate and the DNS records (prosody-stack check).",
  },
  {
    alert: "ProsodyServerToServerFailing",
    // Closes with a stream error against all closes; ":local-choice" and ":remote-choice" are clean ones.
    expr: `sum(increase(prosody_mod_s2s__closed_total{${prosody},error!~":.*"}[15m])) >= 3 and sum(increase(prosody_mod_s2s__closed_total{${prosody},error!~":.*"}[15m])) > 0.5 * sum(increase(prosody_mod_s2s__closed_total{${prosody}}[15m]))`,
    for: "10m",
    severity: "warning",
    summary: "Most server-to-server connections end in an error",
    description:
      "More than half of the s2s connections closed in 15 minutes ended with a stream error: federation is failing (DNS, certificate, or a firewall on port 5269). The error label says which.",
  },
  {
    alert: "ProsodyServerCertificatesRefused",
    expr: `sum(increase(prosody_mod_s2s_auth_certs__checked_total{${prosody},chain="invalid"}[1h])) >= 3 and sum(increase(prosody_mod_s2s_auth_certs__checked_total{${prosody},chain="invalid"}[1h])) > 0.5 * sum(increase(prosody_mod_s2s_auth_certs__checked_total{${prosody}}[1h]))`,
    for: "0m",
    severity: "warning",
    summary: "Most remote servers' certificates fail validation",
    description:
      "More than half of the certificates remote servers presented in the last hour had an invalid chain: a broken trust store (ca-certificates) on this server is likelier than many broken peers.",
  },
  {
    alert: "ProsodyFileDescriptorsNearLimit",
    expr: `process_open_fds{${prosody}} / process_max_fds{${prosody}} > 0.8`,
    for: "5m",
    severity: "warning",
    summary: "Prosody uses most of its file descriptors",
    description:
      "Every session holds a descriptor: at the limit new connections fail. Raise the container's nofile limit or spread the load.",
  },
  {
    alert: "ProsodyCertificateExpiresSoon",
    expr: `${WATCHDOG_METRICS.certificateExpiry}{${watchdog}} - time() < ${CERTIFICATE_WARNING_DAYS} * 86400`,
    for: "0m",
    severity: "critical",
    summary: `The served certificate has fewer than ${CERTIFICATE_WARNING_DAYS} days left`,
    description:
      "{{ $labels.host }}'s certificate expires in {{ $value | humanizeDuration }}: the renewal is failing. Look at the certificate renewer's health and log.",
  },
];

/** The longest gap between two runs of a cron schedule (UTC) over its next `runs` runs, in seconds. */
export function longestGapSeconds(schedule: string, runs = 32): number {
  // From a fixed day, so the rules of a stack are the same whenever they are rendered.
  const times = nextRuns(schedule, runs, new Date(Date.UTC(2026, 0, 1)));
  let longest = 0;
  for (let index = 1; index < times.length; index += 1) {
    longest = Math.max(longest, ((times[index]?.getTime() ?? 0) - (times[index - 1]?.getTime() ?? 0)) / 1000);
  }
  return longest;
}

/** Rules of what the plan has: an upload quota, backups. */
function planRules(plan: DeploymentPlan): AlertRule[] {
  const rules: AlertRule[] = [];
  const quota = plan.uploads?.totalQuota;
  if (quota !== undefined) {
    rules.push({
      alert: "ProsodyUploadStorageNearQuota",
      expr: `sum(prosody_mod_http_file_share__total_storage_bytes{${prosody}}) > 0.9 * ${quota}`,
      for: "15m",
      severity: "warning",
      summary: "Uploads take more than 90% of upload.totalQuota",
      description: `Shared files take {{ $value | humanize1024 }}B of ${quota} bytes: at the quota new uploads are refused. Raise upload.totalQuota (and the volume) or shorten upload.expiresAfter.`,
    });
  }
  if (!plan.backup) return rules;
  const limit = 2 * longestGapSeconds(plan.backup.schedule);
  return [
    ...rules,
    {
      alert: "ProsodyBackupStale",
      expr: `time() - ${WATCHDOG_METRICS.lastGoodBackup}{${watchdog}} > ${limit}`,
      for: "0m",
      severity: "critical",
      summary: "The last good backup is older than twice its schedule",
      description: `Backups run at least every ${limit / 2 / 3600} hours (backup.schedule), and the last good one is {{ $value | humanizeDuration }} old. Look at the backup runner's health and log.`,
    },
  ];
}

/** The alert rules for the plan's server. */
export const alertRules = (plan: DeploymentPlan): AlertRule[] => [...SERVER_RULES, ...planRules(plan)];
