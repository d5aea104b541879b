/**
 * A certificate mounted from files may be renewed in place (a Kubernetes
 * Secret that cert-manager writes): the gateway reads the files again now and
 * then, and new connections get the new pair. An unreadable or half-written
 * pair keeps the old one, and says why.
 */
import type { Server as HttpsServer } from "node:https";
import { readGatewayConfig, type GatewayConfig } from "./config";
import { fileVariable, GATEWAY_VARIABLES } from "./contract";
import { TLS_POLICY } from "./tls-policy";

/** How often a certificate mounted from files is read again. */
export const CERTIFICATE_RELOAD_MS = 60_000;

type Pair = NonNullable<GatewayConfig["tls"]>;

/** Reads the pair again; returns the pair now served (the new one when it changed and is usable). */
export function reloadCertificate(
  server: HttpsServer,
  environment: NodeJS.ProcessEnv,
  current: Pair,
  log: (line: string) => void,
): Pair {
  try {
    const next = readGatewayConfig(environment).tls;
    if (!next || (next.cert.equals(current.cert) && next.key.equals(current.key))) return current;
    server.setSecureContext({ ...TLS_POLICY, cert: next.cert, key: next.key });
    log(JSON.stringify({ certificate: "reloaded" }));
    return next;
  } catch (error) {
    log(`upload gateway: the renewed certificate cannot be used, keeping the old one: ${(error as Error).message}`);
    return current;
  }
}

/** Only a pair read from files can change under the gateway. */
export function watchCertificate(server: unknown, config: GatewayConfig, environment = process.env): void {
  let current = config.tls;
  if (!current || environment[fileVariable(GATEWAY_VARIABLES.tlsCertificate)] === undefined) return;
  setInterval(() => {
    if (current) {
      current = reloadCertificate(server as HttpsServer, environment, current, (line) =>
        process.stdout.write(`${line}\n`),
      );
    }
  }, CERTIFICATE_RELOAD_MS).unref();
}
