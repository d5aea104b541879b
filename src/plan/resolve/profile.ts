/** Counts of the resolved modules by source and stability: the "stability profile". */
import type { ResolvedSection, StabilityProfile } from "./types";

export function stabilityProfile(sections: readonly ResolvedSection[]): StabilityProfile {
  const unique = new Map(sections.flatMap((section) => section.modules).map((module) => [module.name, module]));
  const community = { stable: 0, beta: 0, alpha: 0 };
  let core = 0;
  for (const module of unique.values()) {
    if (module.source === "core") core += 1;
    else community[module.stability] += 1;
  }
  const total = unique.size;
  return {
    total,
    core,
    community,
    summary: `${total} modules: core ${core}, community stable ${community.stable}, beta ${community.beta}, alpha ${community.alpha}`,
  };
}
