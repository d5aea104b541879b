/**
 * What a plan must keep so that other servers can federate with it. Public
 * CAs issue server-authentication-only certificates since 2026 (Let's Encrypt;
 * Google Trust Services refuses a request for client authentication), and a
 * server that wants client authentication from the servers that connect to it
 * (ejabberd before 25.08, among others) does not accept them for
 * server-to-server authentication. Dialback (XEP-0220) is then what proves
 * this server's name, so it may not be removed.
 */
import type { Problem } from "../../common/problems";
import type { DeploymentSpec } from "../schema/deployment-spec";
import type { ResolvedModule } from "./resolve/types";

const DIALBACK = "dialback";

/** The problem of a plan without dialback whose certificate carries no client authentication, if it has none. */
export function dialbackProblems(
  spec: DeploymentSpec,
  hostModules: readonly ResolvedModule[],
  certificate: string,
): Problem[] {
  if (hostModules.some((module) => module.name === DIALBACK)) return [];
  const index = spec.modules.remove.findIndex((entry) => entry.split("@")[0] === DIALBACK);
  return [
    {
      field: index === -1 ? "modules.remove" : `modules.remove[${index}]`,
      value: JSON.stringify(DIALBACK),
      message:
        `${certificate} carries server authentication only, so servers that want client authentication ` +
        "from the servers connecting to them (ejabberd before 25.08, among others) can check this server's name " +
        "only through dialback",
      fix: 'keep dialback, or use tls.mode "provided" with a certificate that also carries client authentication',
    },
  ];
}

/** A certificate without the client-authentication purpose (an extended key usage that leaves it out). */
export const lacksClientAuthentication = (extendedKeyUsage: readonly string[] | undefined): boolean =>
  extendedKeyUsage !== undefined && !extendedKeyUsage.includes(CLIENT_AUTHENTICATION);

/** id-kp-clientAuth (RFC 5280 §4.2.1.12). */
const CLIENT_AUTHENTICATION = "1.3.6.1.5.5.7.3.2";
