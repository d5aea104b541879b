/**
 * Step 2, closure: one requested module and every module it loads with
 * module:depends (for this version and these conditions), each placed where
 * it can load: beside its dependent when it may, else in the global section.
 */
import type { Dependency, ModuleRecord, Placement } from "../../catalog";
import { availability } from "../availability";
import { internal, recordOf } from "./common";
import type { ClosureNode, Setting } from "./types";

/** Why a closure cannot be had: the module that is missing, who needed it, and the fix. */
export interface ClosureFailure {
  node: string;
  dependent?: string;
  why: string;
  fix: string;
}

const applicableDependencies = (record: ModuleRecord, { version, conditions }: Setting): Dependency[] =>
  record.depends.filter(
    (dependency) =>
      (dependency.versions === undefined || dependency.versions.includes(version)) &&
      (dependency.when === undefined || conditions[dependency.when]) &&
      (dependency.unless === undefined || !conditions[dependency.unless]),
  );

const sectionForDependency = (dependency: ModuleRecord, section: Placement): Placement =>
  dependency.placement.includes(section)
    ? section
    : dependency.placement.includes("global")
      ? "global"
      : internal(`${dependency.name} cannot load on ${section}, where a dependent needs it`);

export function closureOf(
  root: ModuleRecord,
  section: Placement,
  setting: Setting,
): { nodes: ClosureNode[]; failure?: ClosureFailure } {
  const nodes: ClosureNode[] = [];
  const seen = new Set<string>();
  const visit = (record: ModuleRecord, at: Placement, dependent?: string): ClosureFailure | undefined => {
    const key = `${at}:${record.name}`;
    if (seen.has(key)) return undefined;
    seen.add(key);
    const available = availability(record, setting.version);
    if (!available.ok) return { node: record.name, dependent, why: available.why, fix: available.fix };
    nodes.push({ record, section: at, dependent, available });
    for (const dependency of applicableDependencies(record, setting)) {
      const dependencyRecord = recordOf(dependency.module);
      if (dependencyRecord.kind === "provider") continue;
      const failure = visit(dependencyRecord, sectionForDependency(dependencyRecord, at), record.name);
      if (failure) return failure;
    }
    return undefined;
  };
  return { nodes, failure: visit(root, section) };
}
