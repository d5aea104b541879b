/**
 * Step 5, conflicts: modules that must never load together on one host or
 * component are problems; pairs that load but need care are warnings.
 */
import { CAUTIONS, EXCLUSION_GROUPS, PLACEMENTS, type ProsodyVersion } from "../../catalog";
import type { Admission } from "./admission";
import type { Findings } from "./types";

export function exclusionProblems({ entries, explicitNames }: Admission, findings: Findings): void {
  for (const section of PLACEMENTS) {
    const present = new Set([...entries.values()].filter((e) => e.section === section).map((e) => e.name));
    for (const group of EXCLUSION_GROUPS) {
      const chosen = group.alternatives.filter((alternative) => alternative.some((name) => present.has(name)));
      if (chosen.length < 2) continue;
      const sides = chosen.map((alternative) => alternative.filter((name) => present.has(name)).join(" + "));
      const named = chosen.flat().filter((name) => explicitNames.has(name));
      findings.problems.push({
        field: named.map((name) => explicitNames.get(name)).join(", ") || "tier and toggles",
        value: JSON.stringify(sides),
        message: `conflict in group "${group.id}" on the ${section} section: ${sides.join(" and ")} cannot load together (${group.why})`,
        fix: `keep one of ${sides.join(", ")}; remove the others with modules.remove`,
      });
    }
  }
}

export function cautionWarnings(names: ReadonlySet<string>, version: ProsodyVersion, findings: Findings): void {
  for (const caution of CAUTIONS) {
    if (caution.versions.includes(version) && caution.modules.every((name) => names.has(name))) {
      findings.warnings.push(`${caution.modules.join(" and ")}: ${caution.note}`);
    }
  }
}
