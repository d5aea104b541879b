/**
 * The web client (spec web.client): Converse.js from the image, served by
 * Prosody's core http_files at /chat/ on the HTTPS port, set up from the plan.
 * Whether it is wanted is known before the modules resolve (it asks for
 * http_files); whether it can connect (BOSH or WebSocket loaded) only after.
 */
import type { Problem } from "../../common/problems";
import type { DeploymentSpec } from "../schema/deployment-spec";
import { effectiveToggles } from "./resolve/requests";
import type { ResolvedModule } from "./resolve";
import type { PlannedComponent, WebClientPlan } from "./types";

/** Where Prosody serves the client (http_paths of http_files), on every virtual host. */
export const WEB_CLIENT_PATH = "/chat";
/** Where the image keeps the client's page and Converse.js's files. */
export const WEB_CLIENT_FOLDER = "/usr/share/prosody-stack/webclient";

/** The client is on when asked for, or by default where the tier serves BOSH and WebSocket. */
export const webClientWanted = (spec: DeploymentSpec): boolean =>
  spec.web.client === undefined ? effectiveToggles(spec).http : spec.web.client === "conversejs";

export function planWebClient(
  spec: DeploymentSpec,
  modules: readonly ResolvedModule[],
  components: readonly PlannedComponent[],
): { webClient?: WebClientPlan; problems: Problem[] } {
  if (!webClientWanted(spec)) return { problems: [] };
  const loaded = (name: string) => modules.some((module) => module.name === name);
  const transports = { websocket: loaded("websocket"), bosh: loaded("bosh") };
  if (!transports.websocket && !transports.bosh) {
    return {
      problems: [
        {
          field: "web.client",
          value: JSON.stringify(spec.web.client ?? "conversejs"),
          message: "the web client connects over WebSocket or BOSH, and neither is loaded",
          fix: 'turn on features.http (or keep websocket or bosh), or set web.client: "none"',
        },
      ],
    };
  }
  return {
    webClient: {
      client: "conversejs",
      path: WEB_CLIENT_PATH,
      domain: spec.domain,
      mucHost: components.find((component) => component.kind === "muc")?.host,
      registration: spec.registration,
      ...transports,
    },
    problems: [],
  };
}
