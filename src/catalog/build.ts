/**
 * Small constructors that keep the catalog data readable. They only fill
 * defaults; every fact stays visible at the call site in the data files.
 */
import type {
  Dependency,
  Exclusion,
  InstallFrom,
  ModuleRecord,
  ProsodyVersion,
  Stability,
  VersionEntry,
} from "./types";

type Present = Extract<VersionEntry, { source: "core" | "community" }>;

export const core = (): Present => ({
  source: "core",
  stability: "stable",
  install: "prosody",
});
export const autoloaded = (): Present => ({ ...core(), autoload: true });
export const community = (stability: Stability, install: InstallFrom): Present => ({
  source: "community",
  stability,
  install,
});
export const absent = (note?: string): VersionEntry =>
  note === undefined ? { source: "absent" } : { source: "absent", note };
export const excluded = (entry: Present, reason: string, replacement?: string): Present => {
  const exclusion: Exclusion = replacement === undefined ? { reason } : { reason, replacement };
  return { ...entry, excluded: exclusion };
};

/** The same entry on every supported version. */
export const onBoth = (entry: VersionEntry): Record<ProsodyVersion, VersionEntry> => ({
  "0.12": entry,
  "13": entry,
});
export const only13 = (entry: VersionEntry, note = "new in Prosody 13"): Record<ProsodyVersion, VersionEntry> => ({
  "0.12": absent(note),
  "13": entry,
});

/** `"pep"`, or `{module, ...}` for a conditional dependency. */
export type DependencyInput = string | Dependency;
const toDependency = (d: DependencyInput): Dependency => (typeof d === "string" ? { module: d } : d);

export interface ModuleInput extends Omit<
  Partial<ModuleRecord>,
  "depends" | "softDepends" | "name" | "summary" | "category" | "versions"
> {
  name: string;
  summary: string;
  category: ModuleRecord["category"];
  versions: Record<ProsodyVersion, VersionEntry>;
  depends?: readonly DependencyInput[];
  softDepends?: readonly DependencyInput[];
}

export function defineModule(input: ModuleInput): ModuleRecord {
  return {
    kind: "module",
    xeps: [],
    placement: ["host"],
    options: [],
    ...input,
    depends: (input.depends ?? []).map(toDependency),
    softDepends: (input.softDepends ?? []).map(toDependency),
  };
}
