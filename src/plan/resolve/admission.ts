/**
 * Step 3, admission: each request in turn, with its closure, is admitted into
 * the set, skipped (a tier or toggle asked for what this version, the
 * stability gates, Debian's packaging or a removal does not allow), or refused
 * (modules.add asked for it). A module admitted twice keeps its strongest reason.
 */
import type { ModuleRecord, Placement } from "../../catalog";
import { availability, gateOpen } from "../availability";
import { lookupModule } from "../module-lookup";
import { internal } from "./common";
import { closureOf } from "./closure";
import {
  type ClosureNode,
  type Findings,
  type Removals,
  type Request,
  type ResolvedModule,
  type Setting,
  type Via,
  VIAS,
} from "./types";

export interface Admission {
  /** `${section}:${name}` → the module */
  entries: Map<string, ResolvedModule>;
  /** module → the modules.add field that named it */
  explicitNames: Map<string, string>;
  /** removals that took effect (a request skipped, or a dependency refused) */
  usedRemovals: Set<string>;
  /** removed module → the modules that need it */
  removalConflicts: Map<string, Set<string>>;
}

function upsert(entries: Admission["entries"], node: ClosureNode, request: Request): void {
  const key = `${node.section}:${node.record.name}`;
  const via: Via = node.dependent === undefined ? request.via : "dependency";
  const reason = node.dependent === undefined ? request.reason : `dependency of ${node.dependent}`;
  const existing = entries.get(key);
  if (existing === undefined) {
    entries.set(key, {
      name: node.record.name,
      section: node.section,
      source: node.available.source,
      stability: node.available.stability,
      install: node.available.install,
      category: node.record.category,
      via,
      reason,
      requiredBy: node.dependent === undefined ? [] : [node.dependent],
    });
    return;
  }
  if (node.dependent !== undefined && !existing.requiredBy.includes(node.dependent)) {
    existing.requiredBy.push(node.dependent);
  }
  if (VIAS.indexOf(via) < VIAS.indexOf(existing.via)) {
    existing.via = via;
    existing.reason = reason;
  }
}

/** An explicit request names a module that may be added: not a provider, not also removed, not twice. */
function explicitRefusal(record: ModuleRecord, request: Request, removals: Removals): [string, string] | undefined {
  if (record.kind === "provider") {
    return [
      `${record.name} is a ${record.category} provider: it is chosen with a setting, never listed in modules_enabled`,
      record.category === "storage"
        ? `drop it from modules.add; the storage setting (SQLite by default, PostgreSQL when asked) selects storage_sql`
        : `drop it from modules.add; the authentication setting selects the auth provider (default internal_hashed)`,
    ];
  }
  if (removals.has(record.name)) {
    return [
      `${record.name} is both added and removed`,
      `keep it in only one of modules.add and ${removals.get(record.name)}`,
    ];
  }
  return undefined;
}

/** Why a tier or toggle's module waits for a gate or an explicit add; undefined when nothing stops it. */
function implicitHold(nodes: readonly ClosureNode[], setting: Setting): string | undefined {
  const gated = nodes.find((node) => !gateOpen(node.available.stability, setting.toggles));
  if (gated) {
    const what = `${gated.record.name} is ${gated.available.stability} on Prosody ${setting.version}`;
    return `${gated.dependent === undefined ? what : `needs ${what}`} and the ${gated.available.stability} toggle is off`;
  }
  const fromRocks = nodes.find((node) => node.available.install === "rocks");
  if (fromRocks) {
    const unpackaged = `not packaged by Debian for Prosody ${setting.version}`;
    const what =
      fromRocks.dependent === undefined
        ? `${fromRocks.record.name} is ${unpackaged}`
        : `needs ${fromRocks.record.name}, which is ${unpackaged}`;
    return `${what}; name it in modules.add to install it from the rocks server`;
  }
  return undefined;
}

/** What an explicit add of a gated or unpackaged module warns about. */
function explicitWarnings(field: string, nodes: readonly ClosureNode[], setting: Setting): string[] {
  const { version, toggles } = setting;
  return [
    ...nodes
      .filter((node) => !gateOpen(node.available.stability, toggles))
      .map((node) => {
        const stability = node.available.stability;
        return node.dependent === undefined
          ? `${field}: ${node.record.name} is ${stability} on Prosody ${version} and the ${stability} toggle is off; it loads only because modules.add names it`
          : `${field}: ${node.record.name} (${stability}) arrives as a dependency of ${node.dependent}`;
      }),
    ...nodes
      .filter((node) => node.available.install === "rocks")
      .map(
        (node) =>
          `${field}: ${node.record.name} is not packaged by Debian for Prosody ${version}; the image installs it from the rocks server, pinned`,
      ),
  ];
}

export function admitRequests(
  requests: readonly Request[],
  setting: Setting,
  removals: Removals,
  findings: Findings,
): Admission {
  const admission: Admission = {
    entries: new Map(),
    explicitNames: new Map(),
    usedRemovals: new Set(),
    removalConflicts: new Map(),
  };
  for (const request of requests) admit(request, setting, removals, findings, admission);
  return admission;
}

function admit(request: Request, setting: Setting, removals: Removals, findings: Findings, admission: Admission): void {
  const explicit = request.field !== undefined;
  const field = request.field ?? request.reason;
  const value = JSON.stringify(request.placement ? `${request.name}@${request.placement}` : request.name);
  const problem = (message: string, fix: string): void => void findings.problems.push({ field, value, message, fix });
  const skip = (reason: string): void =>
    void findings.skipped.push({ name: request.name, requestedBy: request.reason, reason });

  const found = lookupModule(request.name, field);
  if ("problem" in found) {
    return void (explicit ? findings.problems.push(found.problem) : internal(found.problem.message));
  }
  const record = found.record;

  if (explicit) {
    const earlier = admission.explicitNames.get(request.name);
    if (earlier) return void findings.warnings.push(`${field}: "${request.name}" is already added by ${earlier}`);
    admission.explicitNames.set(request.name, field);
    const refusal = explicitRefusal(record, request, removals);
    if (refusal) return problem(...refusal);
  } else if (removals.has(record.name)) {
    admission.usedRemovals.add(record.name);
    return skip(`removed by ${removals.get(record.name)}`);
  }

  const section: Placement = request.placement ?? record.placement[0] ?? internal(`${record.name} has no placement`);
  if (!record.placement.includes(section)) {
    return problem(
      `${record.name} cannot load on the ${section} section`,
      `write "${record.name}" without @${section}, or with @${record.placement.join(" or @")}`,
    );
  }

  const rootAvailability = availability(record, setting.version);
  if (rootAvailability.ok && rootAvailability.autoload) {
    if (explicit)
      findings.warnings.push(`${field}: ${record.name} is loaded automatically on every host; nothing to add`);
    return;
  }

  const { nodes, failure } = closureOf(record, section, setting);
  if (failure) {
    const message =
      failure.dependent === undefined ? failure.why : `${record.name} needs ${failure.node}, but ${failure.why}`;
    return explicit ? problem(message, failure.fix) : skip(message);
  }

  if (!explicit) {
    const hold = implicitHold(nodes, setting);
    if (hold) return skip(hold);
  } else {
    findings.warnings.push(...explicitWarnings(field, nodes, setting));
  }

  if (blockedByRemoval(nodes, record, request, removals, admission)) return;
  for (const node of nodes) {
    if (!node.available.autoload) upsert(admission.entries, node, request);
  }
}

/** A dependency the spec removed: the request cannot be had, and the removal becomes a problem later. */
function blockedByRemoval(
  nodes: readonly ClosureNode[],
  record: ModuleRecord,
  request: Request,
  removals: Removals,
  admission: Admission,
): boolean {
  let blocked = false;
  for (const node of nodes) {
    if (node.dependent === undefined || !removals.has(node.record.name)) continue;
    admission.usedRemovals.add(node.record.name);
    const dependents = admission.removalConflicts.get(node.record.name) ?? new Set<string>();
    dependents.add(
      node.dependent === record.name
        ? `${node.dependent} [${request.reason}]`
        : `${node.dependent} [via ${record.name}, ${request.reason}]`,
    );
    admission.removalConflicts.set(node.record.name, dependents);
    blocked = true;
  }
  return blocked;
}
