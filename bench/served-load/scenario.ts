/**
 * The load: real XMPP sessions from xmpp.js, each one TCP connection doing
 * STARTTLS (the certificate checked against the bench CA), SCRAM-SHA-1,
 * resource binding and stream management (XEP-0198, acks requested after
 * sends), as Conversations or Dino do it. A login ramp, idle sessions, then
 * chats between online users whose delivery time is measured.
 */
import { pbkdf2Sync } from "node:crypto";
import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";
import { client, xml, type Client } from "@xmpp/client";
import type { Element } from "@xmpp/xml";

// xmpp.js derives the SCRAM key with 4,096 awaited WebCrypto HMACs, which costs
// the load client more than the server's whole login. The same PBKDF2 in one
// native call keeps the client from being what is measured.
const bitops = createRequire(__filename)("sasl-scram-sha-1/lib/bitops.js") as {
  Hi: (text: string, salt: Uint8Array, iterations: number) => Promise<Uint8Array>;
};
bitops.Hi = async (text, salt, iterations) => new Uint8Array(pbkdf2Sync(text, salt, iterations, 20, "sha1"));

export interface Account {
  username: string;
  password: string;
}

export interface Target {
  service: string;
  domain: string;
}

export interface Online {
  account: Account;
  xmpp: Client;
  /** messages the server acknowledged (XEP-0198 <a/>) */
  acked: number;
  /** errors this session reported after it was online */
  errors: string[];
}

/** xmpp.js errors: a stream or SASL error carries its condition, a timeout only its name. */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const { condition, text } = error as Error & { condition?: string; text?: string };
  return [error.name, condition, text || error.message].filter(Boolean).join(": ");
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Logs one account in; resolves with the session and how long the login took, or rejects with why. */
async function login(target: Target, account: Account): Promise<{ session: Online; ms: number }> {
  const xmpp = client({ ...target, ...account, resource: "load", timeout: 30_000 });
  const factory = (xmpp as unknown as { saslFactory: { _mechs: { name: string }[] } }).saslFactory;
  factory._mechs = factory._mechs.filter((mechanism) => mechanism.name.startsWith("SCRAM-"));
  xmpp.reconnect.stop();
  const session: Online = { account, xmpp, acked: 0, errors: [] };
  xmpp.on("error", (error: unknown) => session.errors.push(describeError(error)));
  // xmpp.js's StreamManagement is an EventEmitter; its typings leave that out.
  (xmpp.streamManagement as unknown as NodeJS.EventEmitter).on("ack", (stanza: Element) => {
    if (stanza.name === "message") session.acked += 1;
  });
  const started = performance.now();
  try {
    await xmpp.start();
    await xmpp.send(xml("presence"));
  } catch (error) {
    await xmpp.stop().catch(() => undefined);
    throw error;
  }
  return { session, ms: performance.now() - started };
}

export interface RampResult {
  online: Online[];
  latenciesMs: number[];
  /** error message → how many logins failed with it */
  errors: Map<string, number>;
  /** logins completed per second over the whole ramp */
  achievedPerSecond: number;
}

/** Starts one login every 1/perSecond s without waiting for the previous one, and waits for all. */
export async function ramp(target: Target, accounts: readonly Account[], perSecond: number): Promise<RampResult> {
  const online: Online[] = [];
  const latenciesMs: number[] = [];
  const errors = new Map<string, number>();
  const started = performance.now();
  const logins: Promise<void>[] = [];
  for (const [index, account] of accounts.entries()) {
    const due = started + (index * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    logins.push(
      login(target, account).then(
        ({ session, ms }) => {
          online.push(session);
          latenciesMs.push(ms);
        },
        (error: unknown) => {
          const kind = describeError(error);
          errors.set(kind, (errors.get(kind) ?? 0) + 1);
        },
      ),
    );
  }
  await Promise.all(logins);
  const seconds = (performance.now() - started) / 1000;
  return { online, latenciesMs, errors, achievedPerSecond: latenciesMs.length / seconds };
}

export interface ExchangeResult {
  sent: number;
  delivered: number;
  deliveryMs: number[];
  /** messages the server acknowledged to their sender (XEP-0198) */
  acked: number;
}

/**
 * Every online session sends one chat (of this round) to the next one, `perSecond` chats a
 * second in all, and the recipient timestamps its arrival. Waits `settleMs`
 * for stragglers; whatever has not arrived by then is lost.
 */
export async function exchange(
  online: readonly Online[],
  perSecond: number,
  round = 1,
  settleMs = 10_000,
): Promise<ExchangeResult> {
  const sentAt = new Map<string, number>();
  const deliveryMs: number[] = [];
  const ackedBefore = online.reduce((sum, session) => sum + session.acked, 0);
  const onStanza = (stanza: Element) => {
    if (!stanza.is("message")) return;
    const id = stanza.getChildText("body");
    const at = id ? sentAt.get(id) : undefined;
    if (at === undefined) return;
    deliveryMs.push(performance.now() - at);
    sentAt.delete(id as string);
  };
  for (const session of online) session.xmpp.on("stanza", onStanza);
  const started = performance.now();
  for (const [index, session] of online.entries()) {
    const due = started + (index * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const recipient = online[(index + 1) % online.length] as Online;
    const id = `load-${round}-${index}`;
    sentAt.set(id, performance.now());
    session.xmpp
      .send(xml("message", { type: "chat", to: recipient.xmpp.jid?.toString() }, xml("body", {}, id)))
      .catch((error: unknown) => session.errors.push(describeError(error)));
  }
  const deadline = performance.now() + settleMs;
  while (sentAt.size > 0 && performance.now() < deadline) await sleep(100);
  // Acks come at most requestAckDebounce (250 ms) after the last send.
  await sleep(1000);
  const acked = online.reduce((sum, session) => sum + session.acked, 0) - ackedBefore;
  for (const session of online) session.xmpp.removeListener("stanza", onStanza);
  return { sent: online.length, delivered: deliveryMs.length, deliveryMs, acked };
}

/** Closes every session gracefully, a batch at a time. */
export async function closeAll(online: readonly Online[]): Promise<void> {
  for (let index = 0; index < online.length; index += 200) {
    await Promise.all(online.slice(index, index + 200).map((session) => session.xmpp.stop().catch(() => undefined)));
  }
}

/** The p-th percentile (0–100) by nearest rank; NaN for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}
