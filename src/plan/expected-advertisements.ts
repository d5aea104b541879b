/**
 * What a planned server must advertise, and what it must not: every entry of
 * the catalog's advertisement table, marked by whether the plan loads its module.
 */
import { type AdvertisedWhere, ADVERTISEMENTS, type Advertisement } from "../catalog/advertised";
import type { DeploymentPlan } from "./types";

export interface ExpectedAdvertisement extends Advertisement {
  expected: boolean;
}

/** Where an advertisement is a component's disco#info; these names are the component kinds. */
const COMPONENT_WHERE: ReadonlySet<AdvertisedWhere> = new Set(["muc", "upload", "proxy65"]);

export function expectedAdvertisements(plan: DeploymentPlan): ExpectedAdvertisement[] {
  const hostModules = new Set(plan.modules.map((module) => module.name));
  const loaded = (entry: Advertisement): boolean => {
    if (!COMPONENT_WHERE.has(entry.where)) return hostModules.has(entry.module);
    const component = plan.components.find((candidate) => candidate.kind === entry.where);
    return (
      component !== undefined &&
      (component.module === entry.module || component.modules.some((m) => m.name === entry.module))
    );
  };
  return ADVERTISEMENTS.map((entry) => ({ ...entry, expected: loaded(entry) }));
}
