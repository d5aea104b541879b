/**
 * Step 4, placement: what the removals finally mean (a problem when something
 * needs the removed module, modules_disabled for an autoloaded one, a warning
 * when it was never there), and modules placed on a component the plan does not have.
 */
import type { Placement, ProsodyVersion } from "../../catalog";
import { internal, recordOf } from "./common";
import type { Admission } from "./admission";
import type { Findings, Removals } from "./types";

/** Removals something needs are problems naming every dependent. */
export function removalProblems(admission: Admission, removals: Removals, findings: Findings): void {
  for (const [name, dependents] of admission.removalConflicts) {
    const field = removals.get(name) ?? internal(`removal of ${name} without a field`);
    const list = [...dependents].sort();
    findings.problems.push({
      field,
      value: JSON.stringify(name),
      message: `${name} cannot be removed: ${list.join("; ")} ${list.length === 1 ? "needs" : "need"} it`,
      fix: `keep ${name}, or also remove ${[...new Set(list.map((d) => d.split(" ")[0]))].join(", ")}`,
    });
  }
}

/** Removals no request used: autoloaded modules go to modules_disabled of their section. */
export function disabledModules(
  admission: Admission,
  removals: Removals,
  version: ProsodyVersion,
  findings: Findings,
): Map<Placement, Set<string>> {
  const disabled = new Map<Placement, Set<string>>();
  for (const [name, field] of removals) {
    if (admission.usedRemovals.has(name)) continue;
    const record = recordOf(name);
    const entry = record.versions[version];
    if (entry.source !== "absent" && entry.autoload) {
      const section = record.placement[0] ?? "host";
      disabled.set(section, (disabled.get(section) ?? new Set()).add(name));
    } else {
      findings.warnings.push(`${field}: ${name} is not in the resolved set; nothing to remove`);
    }
  }
  return disabled;
}

/** Drops modules placed on a component no module of the set defines: a problem when modules.add put them there. */
export function dropOnAbsentComponents(admission: Admission, findings: Findings): void {
  const { entries, explicitNames } = admission;
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
      findings.problems.push({
        field: addField,
        value: JSON.stringify(entry.name),
        message,
        fix: `add the component's module (${entry.section === "upload" ? "http_file_share" : entry.section}) or drop ${entry.name}`,
      });
    } else {
      findings.skipped.push({ name: entry.name, requestedBy: entry.reason, reason: message });
    }
  }
}
