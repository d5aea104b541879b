/** What `prosody-stack check` found: one line per check, as text for people and JSON for scripts. */

export type CheckGroup = "dns" | "ports" | "tls" | "features" | "login" | "backups" | "updates";
export type CheckStatus = "pass" | "warn" | "fail" | "skip";

export interface CheckResult {
  group: CheckGroup;
  /** what was checked, e.g. "SRV _xmpp-client._tcp.example.org" */
  name: string;
  status: CheckStatus;
  /** what was found, or why it fails and what to do */
  detail: string;
  /** the moment the check is about, where it has one: the certificate's end, the latest backup's making (ISO 8601) */
  timestamp?: string;
}

export interface CheckReport {
  domain: string;
  /** the address the ports were reached at */
  address?: string;
  checks: CheckResult[];
  summary: Record<CheckStatus, number>;
}

const GROUP_TITLES: Record<CheckGroup, string> = {
  dns: "DNS records",
  ports: "Public ports",
  tls: "TLS",
  features: "Stream features and disco#info",
  login: "Login, archive and upload",
  backups: "Backups",
  updates: "Updates",
};

const MARKS: Record<CheckStatus, string> = { pass: "ok  ", warn: "WARN", fail: "FAIL", skip: "skip" };

export function checkReport(domain: string, address: string | undefined, checks: CheckResult[]): CheckReport {
  const summary: Record<CheckStatus, number> = { pass: 0, warn: 0, fail: 0, skip: 0 };
  for (const check of checks) summary[check.status] += 1;
  return { domain, ...(address ? { address } : {}), checks, summary };
}

export function checkText(report: CheckReport): string {
  const lines = [`prosody-stack check: ${report.domain}${report.address ? ` at ${report.address}` : ""}`];
  for (const group of Object.keys(GROUP_TITLES) as CheckGroup[]) {
    const checks = report.checks.filter((check) => check.group === group);
    if (checks.length === 0) continue;
    lines.push("", GROUP_TITLES[group]);
    for (const check of checks) lines.push(`  ${MARKS[check.status]}  ${check.name}: ${check.detail}`);
  }
  const { pass, warn, fail, skip } = report.summary;
  lines.push("", `${pass} passed, ${warn} warnings, ${fail} failed, ${skip} skipped`);
  return lines.join("\n");
}
