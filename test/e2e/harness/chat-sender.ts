/**
 * A client that keeps sending numbered chats, as a busy user does, and keeps
 * count of what the server acknowledged (XEP-0198) and what came back as an
 * error: what a fault may not lose is acknowledged and not bounced.
 */
import { xml } from "@xmpp/client";
import type { Element } from "@xmpp/xml";
import type { Session } from "./xmpp";

export const STREAM_MANAGEMENT = "urn:xmpp:sm:3";
/** the pause between two sends, so that acks come back while the client still sends */
export const SEND_INTERVAL_MS = 2;
/** xmpp.js asks for an ack only after 250 ms without a send; a sending client asks every this many messages, as mobile clients do */
const ACK_REQUEST_EVERY = 20;
/** sends after which the sender gives up: a server that never acknowledges is a failure, not a wait */
const MAX_SENDS = 50_000;

const ID_PREFIX = "chat-sender-";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class ChatSender {
  readonly acked = new Set<string>();
  /** bodies of messages the server returned with type="error" */
  readonly bounced = new Set<string>();
  sent = 0;
  private stopped = false;
  private readonly loop: Promise<void>;

  constructor(
    private readonly session: Session,
    private readonly to: string,
    private readonly token: string,
  ) {
    // xmpp.js's StreamManagement is an EventEmitter; its typings leave that out.
    (session.xmpp.streamManagement as unknown as NodeJS.EventEmitter).on("ack", (stanza: Element) => {
      const body = stanza.getChildText("body");
      if (stanza.name === "message" && body !== null) this.acked.add(body);
    });
    // An error reply carries the message's id, not always its body.
    session.xmpp.on("stanza", (stanza: Element) => {
      const id = String(stanza.attrs.id ?? "");
      if (stanza.is("message") && stanza.attrs.type === "error" && id.startsWith(ID_PREFIX))
        this.bounced.add(this.bodyOf(id.slice(ID_PREFIX.length)));
    });
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    try {
      while (!this.stopped && this.sent < MAX_SENDS) {
        const number = String(this.sent);
        await this.session.xmpp.send(
          xml(
            "message",
            { type: "chat", to: this.to, id: `${ID_PREFIX}${number}` },
            xml("body", {}, this.bodyOf(number)),
          ),
        );
        this.sent += 1;
        if (this.sent % ACK_REQUEST_EVERY === 0) await this.session.xmpp.send(xml("r", { xmlns: STREAM_MANAGEMENT }));
        await sleep(SEND_INTERVAL_MS);
      }
    } catch {
      // The connection went away: what was sent and not acknowledged may be lost, by the protocol.
    }
  }

  private bodyOf(number: string): string {
    return `chat ${number} ${this.token}`;
  }

  /** Resolves once the server has acknowledged at least `count` messages; rejects after `timeoutMs`. */
  async ackedAtLeast(count: number, timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.acked.size < count) {
      if (Date.now() > deadline)
        throw new Error(`the server acknowledged only ${this.acked.size} of ${this.sent} messages`);
      await sleep(5);
    }
  }

  /** Stops sending, asks for a last ack and waits for what is in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
    if (this.session.xmpp.status !== "online") return;
    await this.session.xmpp.send(xml("r", { xmlns: STREAM_MANAGEMENT })).catch(() => undefined);
    const deadline = Date.now() + 10_000;
    while (this.acked.size < this.sent && Date.now() < deadline) await sleep(20);
  }

  /** Acknowledged, not bounced, and not among `kept`. */
  lostFrom(kept: Iterable<string>): string[] {
    const have = new Set(kept);
    return [...this.acked].filter((body) => !this.bounced.has(body) && !have.has(body));
  }
}
