/** Turning a name from a user into a catalog record, or into an error that says what they meant. */
import { distance } from "fastest-levenshtein";
import { ALIASES, findAlias, findModule, MODULES, type ModuleRecord } from "../catalog";
import type { Problem } from "../../common/problems";

/**
 * Up to three modules closest to `name`, nearest first. Near misses of an alias
 * ("pussh") count as near misses of the module it stands for ("cloud_notify").
 */
export function closestNames(name: string): string[] {
  const limit = Math.max(2, Math.floor(name.length / 3));
  const candidates = [
    ...MODULES.map((record) => ({ spelled: record.name, module: record.name })),
    ...ALIASES.flatMap((alias) => (alias.replacement ? [{ spelled: alias.name, module: alias.replacement }] : [])),
  ];
  const ranked = candidates
    .map((candidate) => ({ ...candidate, score: distance(name, candidate.spelled) }))
    .filter((c) => c.score <= limit || c.spelled.includes(name) || name.includes(c.spelled))
    .sort((a, b) => a.score - b.score || a.module.localeCompare(b.module));
  return [...new Set(ranked.map((candidate) => candidate.module))].slice(0, 3);
}

/** What to tell someone who asked for a name the catalog does not have. */
export function unknownNameFix(name: string): string {
  const alias = findAlias(name);
  if (alias?.replacement) return `use "${alias.replacement}" (${alias.explanation})`;
  if (alias) return `"${name}" is not a module: ${alias.explanation}`;
  if (name.startsWith("mod_") && findModule(name.slice(4))) {
    return `write "${name.slice(4)}": module names are written without the mod_ prefix`;
  }
  const close = closestNames(name);
  const nearest = close.length > 0 ? `the closest modules are ${close.map((n) => `"${n}"`).join(", ")}; ` : "";
  return `${nearest}every module is listed in docs/catalog.md and by \`prosody-stack explain NAME\``;
}

export function unknownNameProblem(name: string, field: string): Problem {
  const message = findAlias(name) ? `"${name}" is not a module` : `unknown module "${name}"`;
  return { field, value: JSON.stringify(name), message, fix: unknownNameFix(name) };
}

export type Lookup = { record: ModuleRecord } | { problem: Problem };

export function lookupModule(name: string, field: string): Lookup {
  const record = findModule(name);
  return record ? { record } : { problem: unknownNameProblem(name, field) };
}
