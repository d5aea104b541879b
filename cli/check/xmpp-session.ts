/**
 * An XMPP client session (xmpp.js) for `prosody-stack check` and the e2e
 * suite: log in with SCRAM over STARTTLS, verifying the server's certificate
 * against Node's trust store (plus NODE_EXTRA_CA_CERTS), recording every
 * stream feature seen, and the few queries a check makes.
 */
import { client, xml, type Client } from "@xmpp/client";
import type { Element } from "@xmpp/xml";

export interface Session {
  xmpp: Client;
  jid: string;
  /** namespaces of every stream feature seen, including SASL2 inline features */
  streamFeatures: Set<string>;
  /** the SASL mechanism the client used */
  mechanism?: string;
  close(): Promise<void>;
}

const STREAMS = "http://etherx.jabber.org/streams";
const SASL2 = "urn:xmpp:sasl:2";

export interface Account {
  /** where to connect, e.g. xmpp://127.0.0.1:5222 */
  service: string;
  domain: string;
  username: string;
  password: string;
  resource?: string;
}

export async function openSession({
  service,
  domain,
  username,
  password,
  resource = "check",
}: Account): Promise<Session> {
  const xmpp = client({ service, domain, username, password, resource });
  // Only SCRAM: the suite proves hashed-password login, never PLAIN.
  const factory = (xmpp as unknown as { saslFactory: { _mechs: { name: string }[] } }).saslFactory;
  factory._mechs = factory._mechs.filter((mechanism) => mechanism.name.startsWith("SCRAM-"));
  xmpp.reconnect.stop();
  ignoreDataAfterStreamClose(xmpp);
  const streamFeatures = new Set<string>();
  let mechanism: string | undefined;
  xmpp.on("element", (element: Element) => {
    if (!element.is("features", STREAMS)) return;
    for (const child of element.children as Element[]) {
      if (typeof child === "string") continue;
      streamFeatures.add(child.attrs.xmlns as string);
      if (child.is("authentication", SASL2)) {
        for (const inline of child.getChild("inline")?.children ?? []) {
          if (typeof inline !== "string") streamFeatures.add((inline as Element).attrs.xmlns as string);
        }
      }
    }
  });
  xmpp.on("send", (element: Element) => {
    if (element.name === "auth" || element.name === "authenticate") mechanism = element.attrs.mechanism as string;
  });
  const errors: Error[] = [];
  xmpp.on("error", (error: Error) => errors.push(error));
  try {
    const address = await xmpp.start();
    return {
      xmpp,
      jid: address.toString(),
      streamFeatures,
      mechanism,
      close: async () => {
        await xmpp.stop().catch(() => undefined);
      },
    };
  } catch (error) {
    await xmpp.stop().catch(() => undefined);
    throw new Error(
      `login of ${username}@${domain} failed: ${(error as Error).message} ${errors.map((e) => e.message).join("; ")}`,
      { cause: error },
    );
  }
}

export interface DiscoInfo {
  features: Set<string>;
  identities: { category: string; type: string }[];
  forms: Set<string>;
}

export async function discoInfo(session: Session, to: string): Promise<DiscoInfo> {
  const result = await session.xmpp.iqCaller.request(
    xml("iq", { type: "get", to }, xml("query", { xmlns: "http://jabber.org/protocol/disco#info" })),
  );
  const query = result.getChild("query");
  const children = (query?.children ?? []).filter((child): child is Element => typeof child !== "string");
  return {
    features: new Set(children.filter((c) => c.name === "feature").map((c) => c.attrs.var as string)),
    identities: children
      .filter((c) => c.name === "identity")
      .map((c) => ({ category: c.attrs.category as string, type: c.attrs.type as string })),
    forms: new Set(
      children
        .filter((c) => c.is("x", "jabber:x:data"))
        .flatMap((form) =>
          (form.getChildren("field") as Element[])
            .filter((field) => field.attrs.var === "FORM_TYPE")
            .map((field) => field.getChildText("value") ?? ""),
        ),
    ),
  };
}

/** What an entity says it runs (XEP-0092): its name, version and, when it tells, its system. */
export async function softwareVersion(
  session: Session,
  to: string,
): Promise<{ name: string; version: string; os?: string }> {
  const result = await session.xmpp.iqCaller.request(
    xml("iq", { type: "get", to }, xml("query", { xmlns: "jabber:iq:version" })),
  );
  const query = result.getChild("query");
  const os = query?.getChildText("os") ?? undefined;
  return {
    name: query?.getChildText("name") ?? "",
    version: query?.getChildText("version") ?? "",
    ...(os ? { os } : {}),
  };
}

export async function sendChat(session: Session, to: string, body: string): Promise<void> {
  await session.xmpp.send(xml("message", { type: "chat", to }, xml("body", {}, body)));
}

/**
 * Every body in an archive, oldest first (XEP-0313), page by page (XEP-0059): the caller's own exchanged
 * with `withJid`, or, with `archive` (a room's JID) and no `withJid`, everything that archive holds.
 */
export async function archivedBodies(session: Session, withJid?: string, archive?: string): Promise<string[]> {
  const bodies: string[] = [];
  let after: string | undefined;
  for (let page = 0; ; page += 1) {
    const queryid = `q${Date.now()}-${page}`;
    const onStanza = (stanza: Element) => {
      const result = stanza.getChild("result", "urn:xmpp:mam:2");
      if (stanza.name !== "message" || !result || result.attrs.queryid !== queryid) return;
      const body = result.getChild("forwarded")?.getChild("message")?.getChildText("body");
      if (body) bodies.push(body);
    };
    session.xmpp.on("stanza", onStanza);
    let fin: Element | undefined;
    try {
      const answer = await session.xmpp.iqCaller.request(
        xml(
          "iq",
          { type: "set", ...(archive ? { to: archive } : {}) },
          xml(
            "query",
            { xmlns: "urn:xmpp:mam:2", queryid },
            xml(
              "x",
              { xmlns: "jabber:x:data", type: "submit" },
              xml("field", { var: "FORM_TYPE", type: "hidden" }, xml("value", {}, "urn:xmpp:mam:2")),
              ...(withJid ? [xml("field", { var: "with" }, xml("value", {}, withJid))] : []),
            ),
            xml(
              "set",
              { xmlns: "http://jabber.org/protocol/rsm" },
              xml("max", {}, "500"),
              ...(after ? [xml("after", {}, after)] : []),
            ),
          ),
        ),
        20_000,
      );
      fin = answer.getChild("fin", "urn:xmpp:mam:2");
    } finally {
      session.xmpp.removeListener("stanza", onStanza);
    }
    const last = fin?.getChild("set", "http://jabber.org/protocol/rsm")?.getChildText("last");
    if (!fin || fin.attrs.complete === "true" || !last) return bodies;
    after = last;
  }
}

export interface UploadSlot {
  put: string;
  get: string;
  headers: Record<string, string>;
}

/** Requests an upload slot (XEP-0363); rejects with the server's error condition. */
export async function requestSlot(
  session: Session,
  service: string,
  filename: string,
  size: number,
  contentType: string,
): Promise<UploadSlot> {
  const result = await session.xmpp.iqCaller.request(
    xml(
      "iq",
      { type: "get", to: service },
      xml("request", { xmlns: "urn:xmpp:http:upload:0", filename, size: String(size), "content-type": contentType }),
    ),
  );
  const slot = result.getChild("slot", "urn:xmpp:http:upload:0");
  const put = slot?.getChild("put");
  const get = slot?.getChild("get");
  if (!put || !get) throw new Error(`no slot in ${result.toString()}`);
  const headers: Record<string, string> = {};
  for (const header of put.getChildren("header") as Element[]) headers[header.attrs.name as string] = header.text();
  return { put: put.attrs.url as string, get: get.attrs.url as string, headers };
}

/** Changes the logged-in account's password in-band (XEP-0077), as a client's "change password" does. */
export async function changePassword(session: Session, password: string): Promise<void> {
  const [username = "", domain = ""] = (session.jid.split("/")[0] ?? "").split("@");
  await session.xmpp.iqCaller.request(
    xml(
      "iq",
      { type: "set", to: domain },
      xml("query", { xmlns: "jabber:iq:register" }, xml("username", {}, username), xml("password", {}, password)),
    ),
  );
}

/**
 * xmpp.js 0.14 drops its XML parser when closing the stream times out but keeps
 * the socket; bytes a slow server sends after that threw from the socket's data
 * handler, outside any promise (a CI run met it after a PostgreSQL restart).
 */
function ignoreDataAfterStreamClose(xmpp: Client): void {
  const connection = xmpp as unknown as { parser: unknown; _onData(data: Buffer): void };
  const onData = connection._onData.bind(connection);
  connection._onData = (data) => {
    if (connection.parser) onData(data);
  };
}
