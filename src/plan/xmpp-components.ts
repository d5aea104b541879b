/** The plan's XMPP components (MUC, uploads, proxy, pubsub): one for each component module the resolution loads. */
import type { ComponentKind } from "../catalog";
import type { DeploymentSpec } from "../schema/deployment-spec";
import type { Resolution } from "./resolve";
import type { PlannedComponent } from "./types";

/** The spec field naming each component's host, and the prefix of its default name. */
export const COMPONENT_HOSTS: Record<ComponentKind, { field: keyof DeploymentSpec["hosts"]; module: string }> = {
  muc: { field: "groups", module: "muc" },
  upload: { field: "share", module: "http_file_share" },
  proxy65: { field: "proxy", module: "proxy65" },
  pubsub: { field: "pubsub", module: "pubsub" },
};

export function planComponents(spec: DeploymentSpec, resolution: Resolution): PlannedComponent[] {
  const components: PlannedComponent[] = [];
  for (const kind of Object.keys(COMPONENT_HOSTS) as ComponentKind[]) {
    const section = resolution.sections.find((candidate) => candidate.id === kind);
    const { field, module } = COMPONENT_HOSTS[kind];
    if (!section || !section.modules.some((entry) => entry.name === module)) continue;
    components.push({
      kind,
      host: spec.hosts[field] ?? `${field}.${spec.domain}`,
      module,
      modules: section.modules.filter((entry) => entry.name !== module),
      disabled: section.disabled,
    });
  }
  return components;
}
