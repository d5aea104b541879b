/**
 * The channels a self-hoster has, each told the same notice: a webhook in
 * ntfy's or Slack's JSON (Slack's is also Mattermost's, Rocket.Chat's and
 * Discord's /slack endpoint), email through the owner's SMTP server, and a
 * chat message to each admin from the monitoring account while the server
 * still takes logins. One channel failing does not keep the others quiet; each
 * failure is said on the log, never with a secret in it.
 */
import { rootCertificates } from "node:tls";
import nodemailer from "nodemailer";
import { openSession, sendChat } from "../../cli/check/xmpp-session";
import type { Notice } from "./transitions";

export interface WebhookChannel {
  kind: "webhook";
  format: "ntfy" | "slack";
  /** secret: it may hold the topic's or the webhook's token */
  url: string;
}

export interface EmailChannel {
  kind: "email";
  host: string;
  port: number;
  from: string;
  to: readonly string[];
  username?: string;
  /** secret */
  password?: string;
  /** PEM of a CA the SMTP server's certificate may chain to besides the system's */
  ca?: string;
}

export interface XmppChannel {
  kind: "xmpp";
  /** where the client port answers, as xmpp://address:port */
  service: string;
  /** the monitoring account and its password (secret) */
  jid: string;
  password: string;
  to: readonly string[];
}

export type Channel = WebhookChannel | EmailChannel | XmppChannel;

const NTFY_PRIORITY: Record<Notice["kind"], number> = { problem: 4, recovery: 3, "all-good": 2 };
const NTFY_TAGS: Record<Notice["kind"], string[]> = {
  problem: ["rotating_light"],
  recovery: ["white_check_mark"],
  "all-good": ["green_heart"],
};

const text = (notice: Notice): string => notice.lines.join("\n");

/** The request a webhook gets: ntfy's JSON goes to the server's root with the topic inside; Slack's to the URL itself. */
export function webhookRequest(
  channel: WebhookChannel,
  notice: Notice,
): { url: string; headers: Record<string, string>; body: string } {
  const url = new URL(channel.url);
  const headers: Record<string, string> = { "content-type": "application/json" };
  // Credentials in the URL (https://user:token@ntfy.example/topic) go as Basic auth, which fetch will not send itself.
  if (url.username !== "" || url.password !== "") {
    const pair = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    headers.authorization = `Basic ${Buffer.from(pair).toString("base64")}`;
    url.username = "";
    url.password = "";
  }
  if (channel.format === "slack") {
    return { url: url.toString(), headers, body: JSON.stringify({ text: `*${notice.title}*\n${text(notice)}` }) };
  }
  const topic = decodeURIComponent(url.pathname.replace(/^\/+|\/+$/g, ""));
  url.pathname = "/";
  return {
    url: url.toString(),
    headers,
    body: JSON.stringify({
      topic,
      title: notice.title,
      message: text(notice),
      priority: NTFY_PRIORITY[notice.kind],
      tags: NTFY_TAGS[notice.kind],
    }),
  };
}

async function postWebhook(channel: WebhookChannel, notice: Notice): Promise<void> {
  const request = webhookRequest(channel, notice);
  const response = await fetch(request.url, {
    method: "POST",
    headers: request.headers,
    body: request.body,
    signal: AbortSignal.timeout(30_000),
  });
  if (!response.ok) throw new Error(`the webhook answered ${response.status} ${response.statusText}`);
}

async function sendEmail(channel: EmailChannel, notice: Notice): Promise<void> {
  const transport = nodemailer.createTransport({
    host: channel.host,
    port: channel.port,
    // 465 speaks TLS from the first byte; other ports upgrade with STARTTLS, which is then required.
    secure: channel.port === 465,
    requireTLS: channel.port !== 465,
    ...(channel.username === undefined ? {} : { auth: { user: channel.username, pass: channel.password ?? "" } }),
    ...(channel.ca === undefined ? {} : { tls: { ca: [...rootCertificates, channel.ca] } }),
    connectionTimeout: 30_000,
  });
  try {
    await transport.sendMail({
      from: channel.from,
      to: [...channel.to],
      subject: notice.title,
      text: `${text(notice)}\n\n-- the ProsodyStack watchdog\n`,
    });
  } finally {
    transport.close();
  }
}

async function sendXmpp(channel: XmppChannel, notice: Notice): Promise<void> {
  const [username = "", domain = ""] = channel.jid.split("@");
  const session = await openSession({
    service: channel.service,
    domain,
    username,
    password: channel.password,
    resource: "watchdog",
  });
  try {
    for (const admin of channel.to) await sendChat(session, admin, `${notice.title}\n${text(notice)}`);
  } finally {
    await session.close();
  }
}

const SENDERS: { [K in Channel["kind"]]: (channel: Extract<Channel, { kind: K }>, notice: Notice) => Promise<void> } = {
  webhook: postWebhook,
  email: sendEmail,
  xmpp: sendXmpp,
};

/** Tells every channel; resolves with the channels that could not be told and why (never a secret). */
export async function tell(
  channels: readonly Channel[],
  notice: Notice,
): Promise<{ channel: Channel["kind"]; error: string }[]> {
  const failures: { channel: Channel["kind"]; error: string }[] = [];
  for (const channel of channels) {
    try {
      await (SENDERS[channel.kind] as (channel: Channel, notice: Notice) => Promise<void>)(channel, notice);
    } catch (error) {
      failures.push({ channel: channel.kind, error: (error as Error).message });
    }
  }
  return failures;
}
