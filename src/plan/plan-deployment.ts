/**
 * planDeployment: the resolved, deterministic picture of one Prosody server.
 * Hosts and components, the modules of each, storage, uploads, listeners,
 * certificate names, DNS records, the environment (secrets by name only),
 * the stability profile and the XEP-0479 report. Pure: same spec, same plan.
 */
import { type Problem, ProblemError } from "../../common/problems";
import type { DeploymentSpec } from "../schema/deployment-spec";
import { COMPONENT_HOSTS, planComponents } from "./xmpp-components";
import { planDns } from "./dns";
import { planCertificate } from "./certificates";
import { dialbackProblems } from "./federation";
import { planEnvironment } from "./environment";
import { LISTENER_FIELDS, planListeners } from "./listeners";
import { optionProblems } from "./options";
import { resolveModules } from "./resolve";
import type { Resolution } from "./resolve/types";
import type { DeploymentPlan, Listener, PlannedComponent, StoragePlan, UploadPlan } from "./types";
import { planBackup } from "./backup";
import { planUploads } from "./uploads";
import { planWatchdog, watchdogProblems } from "./watchdog";
import { planWebClient, webClientWanted } from "./web-client";

/** Tiers whose servers refuse federation with servers that lack a valid certificate. */
const SECURE_S2S_TIERS: ReadonlySet<DeploymentSpec["tier"]> = new Set(["enterprise"]);

export function planDeployment(spec: DeploymentSpec): DeploymentPlan {
  const domains = [spec.domain, ...spec.extraDomains];
  const resolution = resolveDeploymentModules(spec);
  const components = planComponents(spec, resolution);
  const listeners = planListeners(
    spec,
    components.some((component) => component.kind === "proxy65"),
  );
  const uploadComponent = components.find((component) => component.kind === "upload");
  const uploads = uploadComponent ? planUploads(spec, uploadComponent.host) : undefined;
  const hostSections = resolution.sections.filter((section) => section.id === "global" || section.id === "host");
  const hostModules = hostSections.flatMap((section) => section.modules);
  const web = planWebClient(spec, hostModules, components);
  const firstAccounts = spec.admins.filter((jid) =>
    domains.includes(jid.slice(jid.lastIndexOf("@") + 1).toLowerCase()),
  );
  const watchdog = planWatchdog(spec, firstAccounts);
  const problems = [
    ...watchdogProblems(spec, watchdog),
    ...web.problems,
    ...(spec.tls.mode === "acme"
      ? dialbackProblems(spec, hostModules, 'a Let\'s Encrypt certificate (tls.mode "acme")')
      : []),
    ...planProblems(spec, domains, components, listeners, uploads),
    ...optionProblems(spec, domains, components),
  ];
  if (problems.length > 0) throw new ProblemError(problems, "the deployment cannot be planned");

  const storage: StoragePlan =
    spec.storage === "postgresql"
      ? { kind: "postgresql", database: spec.database.name, user: spec.database.user, port: spec.database.port }
      : { kind: "sqlite", file: "prosody.sqlite" };
  return {
    spec,
    domains,
    admins: [...spec.admins],
    firstAccounts,
    modules: hostModules,
    disabled: hostSections.flatMap((section) => section.disabled),
    components,
    storage,
    uploads,
    backup: planBackup(spec, storage, uploads),
    ...(watchdog ? { watchdog } : {}),
    listeners,
    certificateNames: [...domains, ...components.map((component) => component.host)],
    certificate: planCertificate(spec),
    dns: planDns(spec, domains, components),
    environment: planEnvironment(spec),
    s2sSecureAuth: spec.tls.s2sSecureAuth ?? SECURE_S2S_TIERS.has(spec.tier),
    turn: spec.turn.host ? { host: spec.turn.host, port: spec.turn.port } : undefined,
    ...(web.webClient ? { webClient: web.webClient } : {}),
    resolution,
    warnings: [...resolution.warnings],
  };
}

/** The module set, with what the deployment's settings decide about it. */
const resolveDeploymentModules = (spec: DeploymentSpec): Resolution =>
  resolveModules(spec, {
    conditions: {
      openRegistration: spec.registration === "open",
      inviteOnlyRegistration: spec.registration === "invite-only",
      externalUploads: spec.uploads === "s3",
    },
    facts: { directTls: true, turn: spec.turn.host !== undefined },
    settingModules: [
      ...(spec.turn.host ? [{ name: "turn_external", reason: "turn.host is set" }] : []),
      ...(webClientWanted(spec) ? [{ name: "http_files", reason: "web.client serves Converse.js" }] : []),
    ],
  });

/** Host names and ports used twice, and uploads to S3 without an upload component. */
function planProblems(
  spec: DeploymentSpec,
  domains: readonly string[],
  components: readonly PlannedComponent[],
  listeners: readonly Listener[],
  uploads: UploadPlan | undefined,
): Problem[] {
  const problems: Problem[] = [];
  checkDistinct(
    [
      ...domains.map((name, index) => ({ field: index === 0 ? "domain" : `extraDomains[${index - 1}]`, value: name })),
      ...components.map((component) => ({
        field: `hosts.${COMPONENT_HOSTS[component.kind].field}`,
        value: component.host,
      })),
    ],
    "host name",
    "is already used by another host or component",
    problems,
  );
  checkDistinct(
    listeners.map((listener) => ({ field: `ports.${LISTENER_FIELDS[listener.name]}`, value: listener.port })),
    "port",
    "is already taken by another listener",
    problems,
  );
  const gatewayPort = uploads?.gateway?.port;
  const gatewayClash = listeners.find((listener) => listener.public && listener.port === gatewayPort);
  if (gatewayClash) {
    problems.push({
      field: "ports.uploadGateway",
      value: JSON.stringify(gatewayPort),
      message: `this port is already taken by a public listener (ports.${LISTENER_FIELDS[gatewayClash.name]})`,
      fix: "give ports.uploadGateway a port of its own",
    });
  }
  if (!uploads && spec.uploads === "s3") {
    problems.push({
      field: "uploads",
      value: JSON.stringify(spec.uploads),
      message: "uploads go to S3, but http_file_share is removed, so the plan has no upload component",
      fix: 'take http_file_share out of modules.remove, or set uploads to "volume"',
    });
  }
  const { totalQuota } = spec.upload;
  if (totalQuota !== undefined && (spec.uploads !== "volume" || spec.prosodyVersion !== "13")) {
    problems.push({
      field: "upload.totalQuota",
      value: JSON.stringify(totalQuota),
      message:
        spec.uploads !== "volume"
          ? "uploads go to S3, whose bucket Prosody does not measure: the quota would count nothing"
          : "Prosody 0.12's http_file_share has no quota for all uploads together",
      fix:
        spec.uploads !== "volume"
          ? "remove upload.totalQuota (the bucket's lifecycle rule bounds it), or set uploads: volume"
          : 'remove upload.totalQuota, or set prosodyVersion: "13"',
    });
  }
  return problems;
}

/** Reports every value that appears twice, naming the later field. */
function checkDistinct<T>(
  entries: readonly { field: string; value: T }[],
  what: string,
  clash: string,
  problems: Problem[],
): void {
  const seen = new Map<T, string>();
  for (const { field, value } of entries) {
    const earlier = seen.get(value);
    if (earlier === undefined) {
      seen.set(value, field);
      continue;
    }
    problems.push({
      field,
      value: JSON.stringify(value),
      message: `this ${what} ${clash} (${earlier})`,
      fix: `give ${field} a ${what} of its own`,
    });
  }
}
