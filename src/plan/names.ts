/** Turning a name from a user into a catalog record, or into an error that says what they meant. */
import { distance } from "fastest-levenshtein";
import { findAlias, findModule, MODULES, type ModuleRecord } from "../catalog";
import type { Problem } from "../spec/errors";

/** Up to three catalog names closest to `name`, nearest first. */
export function closestNames(name: string): string[] {
  const limit = Math.max(2, Math.floor(name.length / 3));
  return MODULES.map((record) => ({ name: record.name, score: distance(name, record.name) }))
    .filter((candidate) => candidate.score <= limit || candidate.name.includes(name) || name.includes(candidate.name))
    .sort((a, b) => a.score - b.score || a.name.localeCompare(b.name))
    .slice(0, 3)
    .map((candidate) => candidate.name);
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
