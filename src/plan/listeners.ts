/** The plan's listeners: Prosody's ports, which of them are public, and the spec field behind each. */
import type { DeploymentSpec } from "../schema/deployment-spec";
import type { Listener } from "./types";

export const LISTENER_FIELDS: Record<Listener["name"], keyof DeploymentSpec["ports"]> = {
  c2s: "c2s",
  c2s_direct_tls: "c2sDirectTls",
  s2s: "s2s",
  https: "https",
  http: "http",
  proxy65: "proxy65",
};

export function planListeners(spec: DeploymentSpec, proxy65: boolean): Listener[] {
  const listeners: Listener[] = [
    { name: "c2s", port: spec.ports.c2s, public: true, purpose: "client connections, STARTTLS required" },
    { name: "c2s_direct_tls", port: spec.ports.c2sDirectTls, public: true, purpose: "client connections, direct TLS" },
    { name: "s2s", port: spec.ports.s2s, public: true, purpose: "federation with other servers" },
    { name: "https", port: spec.ports.https, public: true, purpose: "uploads and web transports over HTTPS" },
    { name: "http", port: spec.ports.http, public: false, purpose: "health checks and metrics (private)" },
  ];
  if (proxy65) {
    listeners.push({ name: "proxy65", port: spec.ports.proxy65, public: true, purpose: "SOCKS5 file transfer proxy" });
  }
  return listeners;
}
