/**
 * Step 6, report: the admitted set as sections (sorted, with modules_disabled),
 * the soft dependencies it does without, its stability profile and its
 * XEP-0479 compliance.
 */
import { type Placement, PLACEMENTS, type ProsodyVersion } from "../../catalog";
import { recordOf } from "./common";
import type { Admission } from "./admission";
import type { ResolvedSection, SoftDependencyNote } from "./types";

export function sectionsOf(admission: Admission, disabled: ReadonlyMap<Placement, Set<string>>): ResolvedSection[] {
  const entries = [...admission.entries.values()];
  return PLACEMENTS.flatMap((id) => {
    const modules = entries
      .filter((entry) => entry.section === id)
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((entry) => ({ ...entry, requiredBy: [...entry.requiredBy].sort() }));
    const off = [...(disabled.get(id) ?? [])].sort();
    return modules.length > 0 || off.length > 0 ? [{ id, modules, disabled: off }] : [];
  });
}

export function missingSoftDependencies(names: ReadonlySet<string>, version: ProsodyVersion): SoftDependencyNote[] {
  const notes: SoftDependencyNote[] = [];
  for (const name of [...names].sort()) {
    for (const soft of recordOf(name).softDepends) {
      if (soft.versions && !soft.versions.includes(version)) continue;
      if (names.has(soft.module)) continue;
      notes.push(
        soft.note ? { module: name, wants: soft.module, note: soft.note } : { module: name, wants: soft.module },
      );
    }
  }
  return notes;
}
