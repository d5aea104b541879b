/** The catalog: every module record by name, with the lookups the rest of the product uses. */
import { ALIASES } from "./aliases";
import { COMMUNITY_MODULES } from "./community-modules";
import { CORE_MODULES } from "./core-modules";
import type { Alias, ModuleRecord, ProsodyVersion } from "./types";

export * from "./types";
export { ALIASES } from "./aliases";
export { CAUTIONS, EXCLUSION_GROUPS } from "./exclusions";

export const MODULES: readonly ModuleRecord[] = [...CORE_MODULES, ...COMMUNITY_MODULES].sort((a, b) =>
  a.name.localeCompare(b.name),
);

const byName = new Map(MODULES.map((record) => [record.name, record]));
const aliasByName = new Map(ALIASES.map((alias) => [alias.name, alias]));

export const findModule = (name: string): ModuleRecord | undefined => byName.get(name);
export const findAlias = (name: string): Alias | undefined => aliasByName.get(name);

/** Versions on which the module exists and is not excluded. */
export function usableVersions(record: ModuleRecord): ProsodyVersion[] {
  return (Object.keys(record.versions) as ProsodyVersion[]).filter((version) => {
    const entry = record.versions[version];
    return entry.source !== "absent" && entry.excluded === undefined;
  });
}
