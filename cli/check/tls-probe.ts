/**
 * TLS as clients and servers meet it: STARTTLS on an XMPP stream (c2s, s2s),
 * direct TLS (XEP-0368, HTTPS), and whether the server still accepts TLS 1.0
 * or 1.1. Each probe hands back the negotiated socket; the verdict on its
 * chain (trusted, naming the host, days left) is certificateChecks'.
 */
import { connect as tcpConnect, type Socket } from "node:net";
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from "node:tls";
import { daysLeft, uncoveredHosts } from "../../src/plan/certificate-check";
import type { CheckResult } from "./report";

const TIMEOUT_MS = 5000;
/** Fewer days than this before expiry is a warning: time enough to renew by hand. */
export const EXPIRY_WARNING_DAYS = 14;

export interface Endpoint {
  address: string;
  port: number;
}

/** A TCP connection, or the reason there is none. */
export function openTcp({ address, port }: Endpoint): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect({ host: address, port, timeout: TIMEOUT_MS });
    socket.once("connect", () => {
      socket.setTimeout(0);
      resolve(socket);
    });
    socket.once("timeout", () => {
      socket.destroy();
      reject(new Error(`no answer within ${TIMEOUT_MS / 1000} s`));
    });
    socket.once("error", reject);
  });
}

/** Reads until the text received matches `pattern`; the text so far. */
function readUntil(socket: Socket, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    const timer = setTimeout(() => done(new Error(`no ${pattern.source} within ${TIMEOUT_MS / 1000} s`)), TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      text += chunk.toString("utf8");
      if (pattern.test(text)) done();
    };
    const onEnd = () => done(new Error(`the server closed the stream: ${text.slice(0, 200)}`));
    const done = (error?: Error) => {
      clearTimeout(timer);
      socket.off("data", onData);
      socket.off("end", onEnd);
      socket.off("error", done);
      if (error) reject(error);
      else resolve(text);
    };
    socket.on("data", onData);
    socket.once("end", onEnd);
    socket.once("error", done);
  });
}

const streamHeader = (domain: string, namespace: string): string =>
  `<?xml version='1.0'?><stream:stream to='${domain}' version='1.0' xml:lang='en' xmlns='${namespace}' xmlns:stream='http://etherx.jabber.org/streams'>`;

function secure(options: ConnectionOptions): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ ...options, rejectUnauthorized: false, timeout: TIMEOUT_MS });
    socket.once("secureConnect", () => resolve(socket));
    socket.once("timeout", () => {
      socket.destroy();
      reject(new Error(`no TLS handshake within ${TIMEOUT_MS / 1000} s`));
    });
    socket.once("error", reject);
  });
}

export interface Negotiated {
  socket: TLSSocket;
  /** the stream features the server offered after TLS, before login (STARTTLS only) */
  features?: string;
}

/** STARTTLS on an XMPP stream (`jabber:client` on c2s, `jabber:server` on s2s). */
export async function startTls(
  endpoint: Endpoint,
  domain: string,
  namespace: "jabber:client" | "jabber:server",
  ca: string | undefined,
): Promise<Negotiated> {
  const socket = await openTcp(endpoint);
  try {
    socket.write(streamHeader(domain, namespace));
    const features = await readUntil(socket, /<\/stream:features>|<\/stream:stream>/);
    if (!/urn:ietf:params:xml:ns:xmpp-tls/.test(features)) throw new Error("the server does not offer STARTTLS");
    socket.write("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
    const answer = await readUntil(socket, /<proceed|<failure/);
    if (!/<proceed/.test(answer)) throw new Error("the server refused STARTTLS");
    const tls = await secure({ socket, servername: domain, ...(ca ? { ca } : {}) });
    tls.write(streamHeader(domain, namespace));
    const secured = await readUntil(tls, /<\/stream:features>|<\/stream:stream>/);
    return { socket: tls, features: secured };
  } catch (error) {
    socket.destroy();
    throw error;
  }
}

/** Direct TLS, with SNI for `servername` and an ALPN protocol when the service has one. */
export async function directTls(
  endpoint: Endpoint,
  servername: string,
  ca: string | undefined,
  alpn?: string,
): Promise<Negotiated> {
  const socket = await secure({
    host: endpoint.address,
    port: endpoint.port,
    servername,
    ...(ca ? { ca } : {}),
    ...(alpn ? { ALPNProtocols: [alpn] } : {}),
  });
  return { socket };
}

/** The TLS version a server accepts below 1.2, if any: such a server is open to downgrade attacks. */
export async function legacyTlsAccepted(endpoint: Endpoint, servername: string): Promise<string | undefined> {
  try {
    // Security level 0: OpenSSL 3 refuses TLS 1.0 and 1.1 otherwise, and the probe would never find them.
    const socket = await secure({
      host: endpoint.address,
      port: endpoint.port,
      servername,
      minVersion: "TLSv1",
      maxVersion: "TLSv1.1",
      ciphers: "DEFAULT@SECLEVEL=0",
    });
    const protocol = socket.getProtocol() ?? "TLSv1";
    socket.destroy();
    return protocol;
  } catch {
    return undefined;
  }
}

/** What a negotiated chain is worth for these hosts: trusted, naming each one, and (with `expiry`) how long it lasts. */
export function certificateChecks(
  name: string,
  { socket }: Negotiated,
  hosts: readonly string[],
  { now = new Date(), expiry = true }: { now?: Date; expiry?: boolean } = {},
): CheckResult[] {
  const leaf = socket.getPeerX509Certificate();
  const protocol = socket.getProtocol() ?? "TLS";
  const { authorized, authorizationError } = socket;
  socket.destroy();
  if (!leaf) return [{ group: "tls", name, status: "fail", detail: "the server sent no certificate" }];
  const missing = uncoveredHosts(leaf, hosts);
  // Node verifies the chain first and the name second: a name error means the chain itself is trusted.
  const trusted = authorized || String(authorizationError) === "ERR_TLS_CERT_ALTNAME_INVALID";
  const problems = [
    ...(trusted
      ? []
      : [`the chain is not trusted (${String(authorizationError)}); for a CA of your own, give --ca FILE`]),
    ...(missing.length > 0 ? [`the certificate does not name ${missing.join(", ")}`] : []),
  ];
  const results: CheckResult[] = [
    {
      group: "tls",
      name,
      status: problems.length > 0 ? "fail" : "pass",
      detail:
        problems.length > 0
          ? problems.join("; ")
          : `${protocol}, a trusted chain naming ${hosts.join(", ")}, issued by ${leaf.issuer.replace(/\n/g, ", ")}`,
    },
  ];
  if (!expiry) return results;
  const left = daysLeft(leaf, now);
  results.push({
    group: "tls",
    name: "certificate expiry",
    status: left < 0 ? "fail" : left < EXPIRY_WARNING_DAYS ? "warn" : "pass",
    detail:
      left < 0
        ? `expired on ${leaf.validTo}`
        : `${left} days left (until ${leaf.validTo})${left < EXPIRY_WARNING_DAYS ? ": renew it now" : ""}`,
    timestamp: new Date(leaf.validTo).toISOString(),
  });
  return results;
}
