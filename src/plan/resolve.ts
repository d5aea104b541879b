/**
 * The resolver: from a tier, toggles and add/remove lists to the exact modules
 * of every section (global, virtual hosts, components) for one Prosody version.
 * Pure and deterministic. Every module carries the reason it is there; every
 * module a tier or toggle names but cannot have is reported as skipped, with why.
 */
import {
  type ConditionName,
  type Dependency,
  EXCLUSION_GROUPS,
  CAUTIONS,
  findModule,
  type ModuleRecord,
  type Placement,
  PLACEMENTS,
  type ProsodyVersion,
} from "../catalog";
import type { DeploymentFact } from "../catalog/compliance-suites";
import { BASELINE, MODULE_TOGGLES, TIER_DEFINITIONS, TOGGLE_MODULES, type Tier, type Toggles } from "../catalog/tiers";
import { type Problem, ProblemError } from "../common/problems";
import type { ModulesSpec } from "../schema/modules-spec";
import { type Availability, availability, gateOpen } from "./availability";
import { checkCompliance, type ComplianceReport } from "./compliance";
import { lookupModule } from "./module-lookup";
import { stabilityProfile, type StabilityProfile } from "./profile";

export const DEFAULT_CONDITIONS: Readonly<Record<ConditionName, boolean>> = {
  openRegistration: false,
  inviteOnlyRegistration: true,
  externalUploads: false,
  dane: false,
};

/** ProsodyStack always opens direct TLS on 5223; TURN needs a TURN server the spec names. */
export const DEFAULT_FACTS: Readonly<Record<DeploymentFact, boolean>> = { directTls: true, turn: false };

export interface ResolveContext {
  conditions?: Partial<Record<ConditionName, boolean>>;
  facts?: Partial<Record<DeploymentFact, boolean>>;
  /** modules a deployment setting needs (e.g. turn_external when a TURN host is given) */
  settingModules?: readonly { name: string; reason: string }[];
}

/** How a module came to be in the set, strongest first. */
export const VIAS = ["explicit", "essential", "setting", "baseline", "tier", "toggle", "dependency"] as const;
export type Via = (typeof VIAS)[number];

export interface ResolvedModule {
  name: string;
  section: Placement;
  source: "core" | "community";
  stability: "stable" | "beta" | "alpha";
  install: "prosody" | "debian" | "rocks";
  category: ModuleRecord["category"];
  via: Via;
  /** e.g. "toggle modern", "dependency of muc" */
  reason: string;
  /** modules in the same section that depend on this one */
  requiredBy: string[];
}

export interface ResolvedSection {
  id: Placement;
  modules: ResolvedModule[];
  /** autoloaded modules switched off with modules_disabled */
  disabled: string[];
}

export interface SkippedModule {
  name: string;
  /** what asked for it, e.g. "toggle modern" */
  requestedBy: string;
  reason: string;
}

export interface SoftDependencyNote {
  module: string;
  wants: string;
  note?: string;
}

export interface Resolution {
  prosodyVersion: ProsodyVersion;
  tier: Tier;
  toggles: Toggles;
  sections: ResolvedSection[];
  skipped: SkippedModule[];
  warnings: string[];
  softDependencies: SoftDependencyNote[];
  profile: StabilityProfile;
  compliance: ComplianceReport;
}

interface Request {
  name: string;
  via: Exclude<Via, "dependency">;
  reason: string;
  /** set for modules.add entries */
  field?: string;
  placement?: Placement;
}

interface Node {
  record: ModuleRecord;
  section: Placement;
  dependent?: string;
  available: Extract<Availability, { ok: true }>;
}

const internal = (message: string): never => {
  throw new Error(`catalog inconsistency: ${message}`);
};
const recordOf = (name: string): ModuleRecord => findModule(name) ?? internal(`unknown module ${name}`);

export function effectiveToggles(spec: ModulesSpec): Toggles {
  const overrides = Object.fromEntries(Object.entries(spec.features).filter(([, value]) => value !== undefined));
  return { ...TIER_DEFINITIONS[spec.tier].toggles, ...overrides };
}

function requestsFor(spec: ModulesSpec, toggles: Toggles, context: ResolveContext): Request[] {
  const requests: Request[] = BASELINE.map((name) =>
    recordOf(name).essential
      ? { name, via: "essential", reason: "essential" }
      : { name, via: "baseline", reason: "baseline of every tier" },
  );
  for (const { name, reason } of context.settingModules ?? []) requests.push({ name, via: "setting", reason });
  for (const name of TIER_DEFINITIONS[spec.tier].modules) {
    requests.push({ name, via: "tier", reason: `tier ${spec.tier}` });
  }
  for (const toggle of MODULE_TOGGLES) {
    if (!toggles[toggle]) continue;
    for (const name of TOGGLE_MODULES[toggle]) requests.push({ name, via: "toggle", reason: `toggle ${toggle}` });
  }
  spec.modules.add.forEach((reference, index) => {
    const [name, placement] = reference.split("@") as [string, Placement | undefined];
    requests.push({ name, via: "explicit", reason: "modules.add", field: `modules.add[${index}]`, placement });
  });
  return requests;
}

export function resolveModules(spec: ModulesSpec, context: ResolveContext = {}): Resolution {
  const version = spec.prosodyVersion;
  const toggles = effectiveToggles(spec);
  const conditions = { ...DEFAULT_CONDITIONS, ...context.conditions };
  const problems: Problem[] = [];
  const warnings: string[] = [];
  const skipped: SkippedModule[] = [];
  const entries = new Map<string, ResolvedModule>();
  const disabled = new Map<Placement, Set<string>>();
  /** removed module → the field that removed it */
  const removals = new Map<string, string>();
  const usedRemovals = new Set<string>();
  /** removed module → modules that need it */
  const removalConflicts = new Map<string, Set<string>>();

  spec.modules.remove.forEach((name, index) => {
    const field = `modules.remove[${index}]`;
    const found = lookupModule(name, field);
    if ("problem" in found) return void problems.push(found.problem);
    const value = JSON.stringify(name);
    if (found.record.essential) {
      problems.push({
        field,
        value,
        message: `${name} is essential: Prosody is not a working XMPP server without it`,
        fix: `take "${name}" out of modules.remove`,
      });
    } else if (found.record.kind === "provider") {
      problems.push({
        field,
        value,
        message: `${name} is a ${found.record.category} provider, chosen by a setting and never listed in modules_enabled`,
        fix: `take "${name}" out of modules.remove`,
      });
    } else if (removals.has(name)) {
      warnings.push(`${field}: "${name}" is removed twice; the second entry changes nothing`);
    } else {
      removals.set(name, field);
    }
  });

  const applicableDependencies = (record: ModuleRecord): Dependency[] =>
    record.depends.filter(
      (dependency) =>
        (dependency.versions === undefined || dependency.versions.includes(version)) &&
        (dependency.when === undefined || conditions[dependency.when]) &&
        (dependency.unless === undefined || !conditions[dependency.unless]),
    );

  /** A dependency loads beside its dependent when it can, else in the global section. */
  const sectionForDependency = (dependency: ModuleRecord, section: Placement): Placement =>
    dependency.placement.includes(section)
      ? section
      : dependency.placement.includes("global")
        ? "global"
        : internal(`${dependency.name} cannot load on ${section}, where a dependent needs it`);

  function expand(
    root: ModuleRecord,
    section: Placement,
  ): { nodes: Node[]; failure?: { node: string; dependent?: string; why: string; fix: string } } {
    const nodes: Node[] = [];
    const seen = new Set<string>();
    const visit = (record: ModuleRecord, at: Placement, dependent?: string): ReturnType<typeof expand>["failure"] => {
      const key = `${at}:${record.name}`;
      if (seen.has(key)) return undefined;
      seen.add(key);
      const available = availability(record, version);
      if (!available.ok) return { node: record.name, dependent, why: available.why, fix: available.fix };
      nodes.push({ record, section: at, dependent, available });
      for (const dependency of applicableDependencies(record)) {
        const dependencyRecord = recordOf(dependency.module);
        if (dependencyRecord.kind === "provider") continue;
        const failure = visit(dependencyRecord, sectionForDependency(dependencyRecord, at), record.name);
        if (failure) return failure;
      }
      return undefined;
    };
    return { nodes, failure: visit(root, section) };
  }

  function upsert(node: Node, request: Request): void {
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

  const explicitNames = new Map<string, string>();

  function admit(request: Request): void {
    const explicit = request.field !== undefined;
    const field = request.field ?? request.reason;
    const value = JSON.stringify(request.placement ? `${request.name}@${request.placement}` : request.name);
    const problem = (message: string, fix: string): void => {
      problems.push({ field, value, message, fix });
    };
    const skip = (reason: string): void => {
      skipped.push({ name: request.name, requestedBy: request.reason, reason });
    };

    const found = lookupModule(request.name, field);
    if ("problem" in found) return void (explicit ? problems.push(found.problem) : internal(found.problem.message));
    const record = found.record;

    if (explicit) {
      const earlier = explicitNames.get(request.name);
      if (earlier) return void warnings.push(`${field}: "${request.name}" is already added by ${earlier}`);
      explicitNames.set(request.name, field);
      if (record.kind === "provider") {
        return problem(
          `${record.name} is a ${record.category} provider: it is chosen with a setting, never listed in modules_enabled`,
          record.category === "storage"
            ? `drop it from modules.add; the storage setting (SQLite by default, PostgreSQL when asked) selects storage_sql`
            : `drop it from modules.add; the authentication setting selects the auth provider (default internal_hashed)`,
        );
      }
      if (removals.has(record.name)) {
        return problem(
          `${record.name} is both added and removed`,
          `keep it in only one of modules.add and ${removals.get(record.name)}`,
        );
      }
    } else if (removals.has(record.name)) {
      usedRemovals.add(record.name);
      return skip(`removed by ${removals.get(record.name)}`);
    }

    const section = request.placement ?? record.placement[0] ?? internal(`${record.name} has no placement`);
    if (!record.placement.includes(section)) {
      return problem(
        `${record.name} cannot load on the ${section} section`,
        `write "${record.name}" without @${section}, or with @${record.placement.join(" or @")}`,
      );
    }

    const rootAvailability = availability(record, version);
    if (rootAvailability.ok && rootAvailability.autoload) {
      if (explicit) warnings.push(`${field}: ${record.name} is loaded automatically on every host; nothing to add`);
      return;
    }

    const { nodes, failure } = expand(record, section);
    if (failure) {
      const message =
        failure.dependent === undefined ? failure.why : `${record.name} needs ${failure.node}, but ${failure.why}`;
      return explicit ? problem(message, failure.fix) : skip(message);
    }

    const gated = nodes.filter((node) => !gateOpen(node.available.stability, toggles));
    const fromRocks = nodes.filter((node) => node.available.install === "rocks");
    if (!explicit) {
      const [firstGated] = gated;
      if (firstGated) {
        const what = `${firstGated.record.name} is ${firstGated.available.stability} on Prosody ${version}`;
        return skip(
          `${firstGated.dependent === undefined ? what : `needs ${what}`} and the ${firstGated.available.stability} toggle is off`,
        );
      }
      const [firstRocks] = fromRocks;
      if (firstRocks) {
        const unpackaged = `not packaged by Debian for Prosody ${version}`;
        const what =
          firstRocks.dependent === undefined
            ? `${firstRocks.record.name} is ${unpackaged}`
            : `needs ${firstRocks.record.name}, which is ${unpackaged}`;
        return skip(`${what}; name it in modules.add to install it from the rocks server`);
      }
    } else {
      for (const node of gated) {
        const stability = node.available.stability;
        warnings.push(
          node.dependent === undefined
            ? `${field}: ${node.record.name} is ${stability} on Prosody ${version} and the ${stability} toggle is off; it loads only because modules.add names it`
            : `${field}: ${node.record.name} (${stability}) arrives as a dependency of ${node.dependent}`,
        );
      }
      for (const node of fromRocks) {
        warnings.push(
          `${field}: ${node.record.name} is not packaged by Debian for Prosody ${version}; the image installs it from the rocks server, pinned`,
        );
      }
    }

    let blockedByRemoval = false;
    for (const node of nodes) {
      if (node.dependent !== undefined && removals.has(node.record.name)) {
        usedRemovals.add(node.record.name);
        const dependents = removalConflicts.get(node.record.name) ?? new Set<string>();
        dependents.add(
          node.dependent === record.name
            ? `${node.dependent} [${request.reason}]`
            : `${node.dependent} [via ${record.name}, ${request.reason}]`,
        );
        removalConflicts.set(node.record.name, dependents);
        blockedByRemoval = true;
      }
    }
    if (blockedByRemoval) return;

    for (const node of nodes) {
      if (!node.available.autoload) upsert(node, request);
    }
  }

  for (const request of requestsFor(spec, toggles, context)) admit(request);

  for (const [name, dependents] of removalConflicts) {
    const field = removals.get(name) ?? internal(`removal of ${name} without a field`);
    const list = [...dependents].sort();
    problems.push({
      field,
      value: JSON.stringify(name),
      message: `${name} cannot be removed: ${list.join("; ")} ${list.length === 1 ? "needs" : "need"} it`,
      fix: `keep ${name}, or also remove ${[...new Set(list.map((d) => d.split(" ")[0]))].join(", ")}`,
    });
  }

  for (const [name, field] of removals) {
    if (usedRemovals.has(name)) continue;
    const record = recordOf(name);
    const entry = record.versions[version];
    if (entry.source !== "absent" && entry.autoload) {
      const section = record.placement[0] ?? "host";
      disabled.set(section, (disabled.get(section) ?? new Set()).add(name));
    } else {
      warnings.push(`${field}: ${name} is not in the resolved set; nothing to remove`);
    }
  }

  // Modules placed on a component that this plan does not have.
  const components = new Set(
    [...entries.values()].flatMap((entry) => {
      const defines = recordOf(entry.name).definesComponent;
      return defines ? [defines] : [];
    }),
  );
  for (const [key, entry] of entries) {
    if (entry.section === "global" || entry.section === "host" || components.has(entry.section)) continue;
    entries.delete(key);
    const addField = explicitNames.get(entry.name);
    const message = `${entry.name} loads on the ${entry.section} component, which this plan does not have`;
    if (addField) {
      problems.push({
        field: addField,
        value: JSON.stringify(entry.name),
        message,
        fix: `add the component's module (${entry.section === "upload" ? "http_file_share" : entry.section}) or drop ${entry.name}`,
      });
    } else {
      skipped.push({ name: entry.name, requestedBy: entry.reason, reason: message });
    }
  }

  // Mutual exclusion, per host or component.
  for (const section of PLACEMENTS) {
    const present = new Set([...entries.values()].filter((e) => e.section === section).map((e) => e.name));
    for (const group of EXCLUSION_GROUPS) {
      const chosen = group.alternatives.filter((alternative) => alternative.some((name) => present.has(name)));
      if (chosen.length < 2) continue;
      const sides = chosen.map((alternative) => alternative.filter((name) => present.has(name)).join(" + "));
      const named = chosen.flat().filter((name) => explicitNames.has(name));
      problems.push({
        field: named.map((name) => explicitNames.get(name)).join(", ") || "tier and toggles",
        value: JSON.stringify(sides),
        message: `conflict in group "${group.id}" on the ${section} section: ${sides.join(" and ")} cannot load together (${group.why})`,
        fix: `keep one of ${sides.join(", ")}; remove the others with modules.remove`,
      });
    }
  }
  const allNames = new Set([...entries.values()].map((entry) => entry.name));
  for (const caution of CAUTIONS) {
    if (caution.versions.includes(version) && caution.modules.every((name) => allNames.has(name))) {
      warnings.push(`${caution.modules.join(" and ")}: ${caution.note}`);
    }
  }

  if (problems.length > 0) throw new ProblemError(problems, "the module selection cannot be resolved");

  const softDependencies: SoftDependencyNote[] = [];
  for (const name of [...allNames].sort()) {
    for (const soft of recordOf(name).softDepends) {
      if (soft.versions && !soft.versions.includes(version)) continue;
      if (allNames.has(soft.module)) continue;
      softDependencies.push(
        soft.note ? { module: name, wants: soft.module, note: soft.note } : { module: name, wants: soft.module },
      );
    }
  }

  const sections: ResolvedSection[] = PLACEMENTS.flatMap((id) => {
    const modules = [...entries.values()]
      .filter((entry) => entry.section === id)
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((entry) => ({ ...entry, requiredBy: [...entry.requiredBy].sort() }));
    const off = [...(disabled.get(id) ?? [])].sort();
    return modules.length > 0 || off.length > 0 ? [{ id, modules, disabled: off }] : [];
  });

  const facts = { ...DEFAULT_FACTS, ...context.facts };
  return {
    prosodyVersion: version,
    tier: spec.tier,
    toggles,
    sections,
    skipped,
    warnings,
    softDependencies,
    profile: stabilityProfile(sections),
    compliance: checkCompliance(sections, skipped, facts, version),
  };
}
