/**
 * The ports of our containers, from the plan: what each listens on and which
 * of them clients reach. The one list a platform publishes, balances and
 * opens its firewall for.
 */
import type { DeploymentPlan } from "../plan/types";
import type { ContainerName, ContainerPort } from "./description";

/** The gateway listens here in its container: above 1023, so it needs no privilege, whatever its public port. */
export const GATEWAY_CONTAINER_PORT = 8443;

/** Every listener of the plan; the private HTTP port (health, metrics) has no public port. */
export const prosodyPorts = (plan: DeploymentPlan): ContainerPort[] =>
  plan.listeners.map((listener) => ({
    name: listener.name,
    port: listener.port,
    ...(listener.public ? { publicPort: listener.port } : {}),
  }));

export const gatewayPorts = (plan: DeploymentPlan): ContainerPort[] => {
  const gateway = plan.uploads?.gateway;
  return gateway ? [{ name: "upload-gateway", port: GATEWAY_CONTAINER_PORT, publicPort: gateway.port }] : [];
};

/** The containers that serve clients (the backup runner and the certificate renewer open no port). */
export type ServingContainer = Exclude<ContainerName, "backup" | "renewer" | "watchdog">;

export interface PublicPort extends Required<ContainerPort> {
  container: ServingContainer;
}

/** Every port clients reach, Prosody's first. */
export function publicPorts(plan: DeploymentPlan): PublicPort[] {
  const of = (container: ServingContainer, ports: ContainerPort[]): PublicPort[] =>
    ports.flatMap(({ name, port, publicPort }) =>
      publicPort === undefined ? [] : [{ container, name, port, publicPort }],
    );
  return [...of("prosody", prosodyPorts(plan)), ...of("upload-gateway", gatewayPorts(plan))];
}
