/**
 * Step 1, requests: what the spec asks for, in order of strength (baseline,
 * settings, tier, toggles, modules.add), and what it removes.
 */
import type { Placement } from "../../catalog";
import { BASELINE, MODULE_TOGGLES, TIER_DEFINITIONS, TOGGLE_MODULES, type Toggles } from "../../catalog/tiers";
import type { ModulesSpec } from "../../schema/modules-spec";
import { lookupModule } from "../module-lookup";
import { recordOf } from "./common";
import type { Findings, Removals, Request, ResolveContext } from "./types";

export function effectiveToggles(spec: ModulesSpec): Toggles {
  const overrides = Object.fromEntries(Object.entries(spec.features).filter(([, value]) => value !== undefined));
  return { ...TIER_DEFINITIONS[spec.tier].toggles, ...overrides };
}

export function requestsFor(spec: ModulesSpec, toggles: Toggles, context: ResolveContext): Request[] {
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

/** modules.remove: each removable module with its field; what cannot be removed is a problem. */
export function readRemovals(spec: ModulesSpec, findings: Findings): Removals {
  const removals = new Map<string, string>();
  spec.modules.remove.forEach((name, index) => {
    const field = `modules.remove[${index}]`;
    const found = lookupModule(name, field);
    if ("problem" in found) return void findings.problems.push(found.problem);
    const value = JSON.stringify(name);
    if (found.record.essential) {
      findings.problems.push({
        field,
        value,
        message: `${name} is essential: Prosody is not a working XMPP server without it`,
        fix: `take "${name}" out of modules.remove`,
      });
    } else if (found.record.kind === "provider") {
      findings.problems.push({
        field,
        value,
        message: `${name} is a ${found.record.category} provider, chosen by a setting and never listed in modules_enabled`,
        fix: `take "${name}" out of modules.remove`,
      });
    } else if (removals.has(name)) {
      findings.warnings.push(`${field}: "${name}" is removed twice; the second entry changes nothing`);
    } else {
      removals.set(name, field);
    }
  });
  return removals;
}
