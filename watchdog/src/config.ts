/**
 * The watchdog's whole configuration comes from its environment
 * (watchdog/README.md documents every variable): the spec it plans itself,
 * where to read others' notes, and the secrets of its channels. A bad value
 * stops it at start with the variable, the value and the fix; a secret's
 * value never appears in an error.
 */
import { type Problem, ProblemError } from "../../common/problems";
import { planDeployment } from "../../src/plan/plan-deployment";
import type { DeploymentPlan, WatchdogPlan } from "../../src/plan/types";
import { parseDeploymentSpec } from "../../src/schema";
import { WATCHDOG_METRICS_PORT, WATCHDOG_STATE_PATH, WATCHDOG_VARIABLES as V } from "./contract";
import type { Channel } from "./notify";

export interface WatchdogConfig {
  plan: DeploymentPlan;
  watchdog: WatchdogPlan;
  password: string;
  /** the channels but XMPP's, which needs the address the check found */
  channels: Channel[];
  resolver?: string;
  ca?: string;
  renewalFolder?: string;
  backupsFolder?: string;
  backupsBucket?: string;
  image?: string;
  state: string;
  metricsPort: number;
}

type Environment = Readonly<Record<string, string | undefined>>;

const INVALID = "invalid watchdog environment";

function readPlan(environment: Environment): DeploymentPlan {
  const text = environment[V.spec];
  if (text === undefined || text === "") {
    throw new ProblemError(
      [{ field: V.spec, message: "is not set", fix: "set it to the deployment spec as JSON (the platform does)" }],
      INVALID,
    );
  }
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    throw new ProblemError(
      [
        {
          field: V.spec,
          message: `is not JSON (${(error as Error).message})`,
          fix: "give the spec as one JSON object",
        },
      ],
      INVALID,
    );
  }
  return planDeployment(parseDeploymentSpec(input, `${V.spec}.`));
}

export function readWatchdogConfig(environment: Environment = process.env): WatchdogConfig {
  const plan = readPlan(environment);
  const { watchdog } = plan;
  const problems: Problem[] = [];
  const needed = (name: string, why: string): string => {
    const value = environment[name];
    if (value === undefined || value === "") problems.push({ field: name, message: "is not set", fix: why });
    return value ?? "";
  };
  if (!watchdog) {
    throw new ProblemError(
      [
        {
          field: `${V.spec}.alerts.watchdog.enabled`,
          value: "false",
          message: "the spec runs no watchdog",
          fix: "set alerts.watchdog.enabled: true in the spec",
        },
      ],
      INVALID,
    );
  }
  const password = needed(V.password, "give the monitoring account's password (the stack's secret watchdogPassword)");
  const channels: Channel[] = [];
  if (watchdog.channels.webhook) {
    const url = needed(V.webhookUrl, "give the webhook's URL (the stack's secret alertsWebhookUrl)");
    if (url !== "" && !/^https?:\/\/[^\s/]+/.test(url)) {
      // The URL is a secret: its value is not repeated.
      problems.push({ field: V.webhookUrl, value: "[secret]", message: "is not an http(s) URL", fix: "give the URL" });
    }
    channels.push({ kind: "webhook", format: watchdog.channels.webhook, url });
  }
  const email = watchdog.channels.email;
  if (email) {
    const smtpPassword =
      email.username === undefined
        ? undefined
        : needed(V.smtpPassword, `give the password of ${email.username} (the stack's secret alertsSmtpPassword)`);
    channels.push({
      kind: "email",
      host: email.host,
      port: email.port,
      from: email.from,
      to: email.to,
      ...(email.username === undefined ? {} : { username: email.username, password: smtpPassword ?? "" }),
      ...(environment[V.ca] ? { ca: environment[V.ca] } : {}),
    });
  }
  const resolver = environment[V.resolver];
  if (
    resolver !== undefined &&
    resolver !== "" &&
    !/^[^\s:]+(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/i.test(resolver)
  ) {
    problems.push({
      field: V.resolver,
      value: JSON.stringify(resolver),
      message: "is not a DNS server",
      fix: "write host or host:port, e.g. 10.0.0.2:53",
    });
  }
  const ca = environment[V.ca];
  if (ca !== undefined && ca !== "" && !ca.includes("-----BEGIN CERTIFICATE-----")) {
    problems.push({ field: V.ca, message: "holds no PEM certificate", fix: "give the CA's PEM text" });
  }
  const port = Number(environment[V.metricsPort] ?? WATCHDOG_METRICS_PORT);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    problems.push({
      field: V.metricsPort,
      value: JSON.stringify(environment[V.metricsPort]),
      message: "is not a port",
      fix: "write a number from 1 to 65535",
    });
  }
  if (problems.length > 0) throw new ProblemError(problems, INVALID);
  const optional = (name: string) => {
    const value = environment[name];
    return value === undefined || value === "" ? undefined : value;
  };
  const set = <K extends string>(key: K, value: string | undefined) =>
    (value === undefined ? {} : { [key]: value }) as Partial<Record<K, string>>;
  return {
    plan,
    watchdog,
    password,
    channels,
    ...set("resolver", optional(V.resolver)),
    ...set("ca", optional(V.ca)),
    ...set("renewalFolder", optional(V.renewalFolder)),
    ...set("backupsFolder", optional(V.backupsFolder)),
    ...set("backupsBucket", optional(V.backupsBucket)),
    ...set("image", optional(V.image)),
    state: optional(V.state) ?? WATCHDOG_STATE_PATH,
    metricsPort: port,
  };
}
