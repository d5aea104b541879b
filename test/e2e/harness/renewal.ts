/**
 * A certificate renewal as a connected client lives it: its session stays
 * open while the server is replaced, xmpp.js reconnects by itself, and the
 * certificate it then verifies is the one the server was given.
 */
import { strict as assert } from "node:assert";
import { X509Certificate } from "node:crypto";
import tls, { type TLSSocket } from "node:tls";
import { PORTS } from "./server";
import { archivedBodies, login, sendChat, type Session } from "./xmpp";

export const serialOf = (pem: string): string => new X509Certificate(pem).serialNumber;

/** The serial of the certificate the session's STARTTLS socket verified (xmpp.js wraps Node's TLSSocket in its own). */
export function verifiedSerial(session: Session): string {
  const wrapper = (session.xmpp as unknown as { socket?: { socket?: TLSSocket } }).socket;
  const socket = wrapper?.socket;
  assert.ok(socket?.authorized, "the session is not on a verified TLS socket");
  return socket.getPeerCertificate().serialNumber;
}

/**
 * Turns on xmpp.js's own reconnection (the suite's sessions start with it off) and resolves
 * with the ms until the session is online again after the next disconnect.
 */
export function reconnects(session: Session, timeoutMs: number): { online: Promise<number> } {
  const { xmpp } = session;
  xmpp.reconnect.start();
  let cutAt = 0;
  xmpp.once("disconnect", () => (cutAt = Date.now()));
  const online = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the session was not online again within ${timeoutMs} ms`)),
      timeoutMs,
    );
    xmpp.on("online", () => {
      if (cutAt === 0) return;
      clearTimeout(timer);
      resolve(Date.now() - cutAt);
    });
  });
  // A rejection nobody awaits yet must not crash the test run before the test reads it.
  online.catch(() => undefined);
  return { online };
}

/** The chats a test sends before the server is replaced and after it is back. */
export const BEFORE_RENEWAL = "before the renewal";
const AFTER_RENEWAL = "after the renewal";

/**
 * What a renewal must leave: the reconnected session verified the renewed certificate, and a chat
 * it sent before the server was replaced and one sent after are both in the recipient's archive.
 */
export async function assertNothingLostAcrossRenewal(
  sender: Session,
  renewedCertificate: string,
  recipient: { domain: string; name: string; password: string },
): Promise<void> {
  assert.equal(
    verifiedSerial(sender),
    serialOf(renewedCertificate),
    "the reconnected session verified the new certificate",
  );
  await sendChat(sender, `${recipient.name}@${recipient.domain}`, AFTER_RENEWAL);
  await new Promise((resolve) => setTimeout(resolve, 500));
  const reader = await login(recipient.domain, recipient.name, recipient.password);
  const senderJid = sender.xmpp.jid?.bare().toString();
  assert.ok(senderJid, "the reconnected session has no address");
  const archived = await archivedBodies(reader, senderJid);
  await reader.close();
  assert.ok(archived.includes(BEFORE_RENEWAL) && archived.includes(AFTER_RENEWAL), archived.join(" | "));
}

/** The certificate the client port serves now for `domain` over direct TLS, verified against `root`. */
export function served(domain: string, root: string): Promise<{ serial: string; authorized: boolean; issuer: string }> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect(
      { host: "127.0.0.1", port: PORTS.c2sDirectTls, servername: domain, ca: [root], ALPNProtocols: ["xmpp-client"] },
      () => {
        const certificate = socket.getPeerCertificate();
        resolve({
          serial: certificate.serialNumber,
          authorized: socket.authorized,
          issuer: String(certificate.issuer.CN ?? ""),
        });
        socket.end();
      },
    );
    socket.on("error", reject);
  });
}

/** The first answer of `probe` that is not undefined, within `timeoutMs`; else fails with `log()`. */
export async function until<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
  log: () => string,
): Promise<T> {
  for (const started = Date.now(); Date.now() - started < timeoutMs;) {
    const found = await probe().catch(() => undefined);
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  throw new Error(`${what} within ${timeoutMs / 1000} s:\n${log()}`);
}
