/**
 * The watchdog: whether the stack runs one, how often, which account it logs
 * in with, and whom it tells through which channel. A watchdog that could
 * tell nobody is refused, and so is mail with nowhere to go.
 */
import type { Problem } from "../../common/problems";
import type { DeploymentSpec } from "../schema/deployment-spec";
import type { WatchdogPlan } from "./types";

/** The monitoring account's local part on the primary domain: an account of the stack's own, never an admin. */
export const WATCHDOG_ACCOUNT = "watchdog";

export function planWatchdog(spec: DeploymentSpec, firstAccounts: readonly string[]): WatchdogPlan | undefined {
  const { alerts } = spec;
  if (!alerts.watchdog.enabled) return undefined;
  return {
    account: `${WATCHDOG_ACCOUNT}@${spec.domain}`,
    everySeconds: alerts.watchdog.everyMinutes * 60,
    allGood: alerts.watchdog.allGood,
    ...(alerts.watchdog.peer ? { peer: alerts.watchdog.peer } : {}),
    channels: {
      ...(alerts.webhook === "none" ? {} : { webhook: alerts.webhook }),
      ...(alerts.smtp && alerts.email.length > 0 ? { email: { ...alerts.smtp, to: [...alerts.email] } } : {}),
      // Only accounts of this server: the message goes out over c2s even when federation is broken.
      xmpp: alerts.xmpp ? [...firstAccounts] : [],
    },
  };
}

export function watchdogProblems(spec: DeploymentSpec, plan: WatchdogPlan | undefined): Problem[] {
  const { alerts } = spec;
  const problems: Problem[] = [];
  if (alerts.smtp && alerts.email.length === 0) {
    problems.push({
      field: "alerts.smtp",
      value: JSON.stringify(alerts.smtp.host),
      message: "is set, and alerts.email names nobody to write to",
      fix: "list the addresses in alerts.email, or remove alerts.smtp",
    });
  }
  if (!plan) return problems;
  if (alerts.email.length > 0 && !alerts.smtp) {
    problems.push({
      field: "alerts.smtp",
      message: "the watchdog would mail alerts.email, and no SMTP server is named to send through",
      fix: "give alerts.smtp (host, from and, with a login, username plus the secret alertsSmtpPassword), or empty alerts.email",
    });
  }
  const { channels } = plan;
  if (channels.webhook === undefined && channels.email === undefined && channels.xmpp.length === 0) {
    problems.push({
      field: "alerts.watchdog.enabled",
      value: "true",
      message: "the watchdog would have nobody to tell: no webhook, no mail, and no admin of this server to message",
      fix: 'set alerts.webhook ("ntfy" or "slack") with the secret alertsWebhookUrl, or alerts.email with alerts.smtp, or an admin on the stack\'s domain',
    });
  }
  if (spec.admins.includes(plan.account)) {
    problems.push({
      field: "admins",
      value: JSON.stringify(plan.account),
      message: "is the watchdog's monitoring account, which must not be an admin",
      fix: `name another admin, or set alerts.watchdog.enabled: false`,
    });
  }
  if (alerts.watchdog.peer !== undefined && [spec.domain, ...spec.extraDomains].includes(alerts.watchdog.peer)) {
    problems.push({
      field: "alerts.watchdog.peer",
      value: JSON.stringify(alerts.watchdog.peer),
      message: "is a domain of this server: no server-to-server connection is needed to reach it",
      fix: "name another server's domain, or remove the field",
    });
  }
  return problems;
}
