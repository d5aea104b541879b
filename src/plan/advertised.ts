/**
 * What a planned server must advertise, and what it must not: every entry of
 * the catalog's advertisement table, marked by whether the plan loads its module.
 */
import { ADVERTISEMENTS, type Advertisement } from "../catalog/advertised";
import type { DeploymentPlan } from "./deployment";

export interface ExpectedAdvertisement extends Advertisement {
  expected: boolean;
}

const COMPONENT_WHERE = { muc: "muc", upload: "upload", proxy65: "proxy65" } as const;

export function expectedAdvertisements(plan: DeploymentPlan): ExpectedAdvertisement[] {
  const hostModules = new Set(plan.modules.map((module) => module.name));
  const loaded = (entry: Advertisement): boolean => {
    const component = plan.components.find(
      (candidate) => (COMPONENT_WHERE as Record<string, string>)[candidate.kind] === entry.where,
    );
    if (entry.where in COMPONENT_WHERE) {
      return (
        component !== undefined &&
        (component.module === entry.module || component.modules.some((m) => m.name === entry.module))
      );
    }
    return hostModules.has(entry.module);
  };
  return ADVERTISEMENTS.map((entry) => ({ ...entry, expected: loaded(entry) }));
}
