/**
 * A server's worth of data a move or a restore must keep, made and checked by
 * real clients: accounts with rosters, chats archived on both sides (XEP-0313),
 * a persistent room with its history, a nickname in PEP, uploads (XEP-0363)
 * and an unused invite. `checkDataset` logs in with the old passwords and
 * reports everything it did not find, byte for byte.
 */
import { createHash, randomBytes } from "node:crypto";
import { xml } from "@xmpp/client";
import type { Element } from "@xmpp/xml";
import { fetchLoopback } from "../../support/http";
import { archivedBodies, login, requestSlot, type Session } from "./xmpp";

export interface DatasetShape {
  users: number;
  /** chats in all, spread over pairs of users (user i writes to user i+1) */
  messages: number;
  roomMessages: number;
  uploads: number;
}

export interface Dataset {
  domain: string;
  mucHost: string;
  users: { name: string; password: string }[];
  /** bodies each user sent to the next one, in order */
  chats: { from: string; to: string; bodies: string[] }[];
  roster: { owner: string; contact: string; name: string; group: string }[];
  room: { jid: string; bodies: string[] };
  nickname: { user: string; nick: string };
  uploads: { url: string; sha256: string; size: number }[];
}

export interface DatasetReport {
  logins: number;
  chatsFound: number;
  rosterItemsFound: number;
  roomMessagesFound: number;
  uploadsIdentical: number;
  nicknameFound: boolean;
  /** what was not as it was, one line each */
  missing: string[];
}

const NICK = "http://jabber.org/protocol/nick";
const MUC = "http://jabber.org/protocol/muc";
const ROSTER = "jabber:iq:roster";
const ROOM = "drill";
/** sends between two acknowledgements: a client may not run ahead of the server forever */
const ACK_EVERY = 50;

export const datasetUsers = (count: number): { name: string; password: string }[] =>
  Array.from({ length: count }, (_, index) => {
    const name = `u${String(index + 1).padStart(2, "0")}`;
    return { name, password: `${name}-password-${"x".repeat(8)}` };
  });

export const sha256 = (content: Buffer): string => createHash("sha256").update(content).digest("hex");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until the server answered every stanza sent so far: a round trip after them. */
const settled = (session: Session) =>
  session.xmpp.iqCaller.request(xml("iq", { type: "get" }, xml("ping", { xmlns: "urn:xmpp:ping" })), 30_000);

async function sessionsFor(dataset: Pick<Dataset, "domain" | "users">): Promise<Map<string, Session>> {
  const sessions = new Map<string, Session>();
  for (const user of dataset.users) sessions.set(user.name, await login(dataset.domain, user.name, user.password));
  return sessions;
}

async function closeAll(sessions: Map<string, Session>): Promise<void> {
  for (const session of sessions.values()) await session.close();
}

const sessionOf = (sessions: Map<string, Session>, name: string): Session => {
  const session = sessions.get(name);
  if (!session) throw new Error(`no session for ${name}`);
  return session;
};

/** The owner joins `room` as `nick`, creating it, and configures it persistent (which also unlocks it). */
export async function createRoom(owner: Session, room: string, nick: string): Promise<void> {
  await owner.xmpp.send(xml("presence", { to: `${room}/${nick}` }, xml("x", { xmlns: MUC })));
  await sleep(500);
  // A persistent room, so it and its history outlive its last occupant.
  await owner.xmpp.iqCaller.request(
    xml(
      "iq",
      { type: "set", to: room },
      xml(
        "query",
        { xmlns: `${MUC}#owner` },
        xml(
          "x",
          { xmlns: "jabber:x:data", type: "submit" },
          xml("field", { var: "FORM_TYPE" }, xml("value", {}, `${MUC}#roomconfig`)),
          xml("field", { var: "muc#roomconfig_persistentroom" }, xml("value", {}, "1")),
        ),
      ),
    ),
  );
}

/** Fills a running server: the users must exist already (registered offline). */
export async function fillDataset(
  domain: string,
  mucHost: string,
  shareHost: string,
  users: { name: string; password: string }[],
  shape: DatasetShape,
): Promise<Dataset> {
  const token = randomBytes(4).toString("hex");
  const sessions = await sessionsFor({ domain, users });
  try {
    const pairs = users.map((user, index) => ({
      from: user.name,
      to: (users[(index + 1) % users.length] ?? user).name,
    }));
    const roster = pairs.map(({ from, to }) => ({ owner: from, contact: to, name: `Friend ${to}`, group: "Drill" }));
    for (const item of roster) {
      await sessionOf(sessions, item.owner).xmpp.iqCaller.request(
        xml(
          "iq",
          { type: "set" },
          xml(
            "query",
            { xmlns: ROSTER },
            xml("item", { jid: `${item.contact}@${domain}`, name: item.name }, xml("group", {}, item.group)),
          ),
        ),
      );
    }

    const chats = pairs.map((pair) => ({ ...pair, bodies: [] as string[] }));
    await Promise.all(
      chats.map(async (chat, pairIndex) => {
        const count = Math.floor(shape.messages / chats.length) + (pairIndex < shape.messages % chats.length ? 1 : 0);
        const session = sessionOf(sessions, chat.from);
        for (let index = 0; index < count; index += 1) {
          const body = `chat ${chat.from}→${chat.to} ${index} ${token} ✓`;
          chat.bodies.push(body);
          await session.xmpp.send(xml("message", { type: "chat", to: `${chat.to}@${domain}` }, xml("body", {}, body)));
          if ((index + 1) % ACK_EVERY === 0) await settled(session);
        }
        await settled(session);
      }),
    );

    const [first] = users;
    if (!first) throw new Error("a data set needs a user");
    const owner = sessionOf(sessions, first.name);
    const room = { jid: `${ROOM}@${mucHost}`, bodies: [] as string[] };
    await createRoom(owner, room.jid, first.name);
    for (let index = 0; index < shape.roomMessages; index += 1) {
      const body = `room ${index} ${token} ✓`;
      room.bodies.push(body);
      await owner.xmpp.send(xml("message", { type: "groupchat", to: room.jid }, xml("body", {}, body)));
    }
    await settled(owner);

    const nickname = { user: first.name, nick: `Drill ${token}` };
    await owner.xmpp.iqCaller.request(
      xml(
        "iq",
        { type: "set" },
        xml(
          "pubsub",
          { xmlns: "http://jabber.org/protocol/pubsub" },
          xml("publish", { node: NICK }, xml("item", { id: "current" }, xml("nick", { xmlns: NICK }, nickname.nick))),
        ),
      ),
    );

    const uploads: Dataset["uploads"] = [];
    for (let index = 0; index < shape.uploads; index += 1) {
      const content = randomBytes(16 * 1024 * (index + 1));
      const slot = await requestSlot(
        owner,
        shareHost,
        `drill-${index}.bin`,
        content.length,
        "application/octet-stream",
      );
      const put = await fetchLoopback(slot.put, {
        method: "PUT",
        headers: {
          ...slot.headers,
          "content-type": "application/octet-stream",
          "content-length": String(content.length),
        },
        body: content,
      });
      if (put.status !== 201 && put.status !== 200) throw new Error(`upload ${index}: PUT returned ${put.status}`);
      uploads.push({ url: slot.get, sha256: sha256(content), size: content.length });
    }
    return { domain, mucHost, users, chats, roster, room, nickname, uploads };
  } finally {
    await closeAll(sessions);
  }
}

async function rosterOf(session: Session): Promise<Element[]> {
  const answer = await session.xmpp.iqCaller.request(xml("iq", { type: "get" }, xml("query", { xmlns: ROSTER })));
  return (answer.getChild("query")?.getChildren("item") ?? []) as Element[];
}

async function nickOf(session: Session): Promise<string | undefined> {
  const answer = await session.xmpp.iqCaller.request(
    xml(
      "iq",
      { type: "get", to: session.jid.split("/")[0] },
      xml("pubsub", { xmlns: "http://jabber.org/protocol/pubsub" }, xml("items", { node: NICK })),
    ),
  );
  return answer.getChild("pubsub")?.getChild("items")?.getChild("item")?.getChildText("nick", NICK) ?? undefined;
}

/** Logs in as every user with the old password and looks for everything `fillDataset` made. */
export async function checkDataset(dataset: Dataset): Promise<DatasetReport> {
  const report: DatasetReport = {
    logins: 0,
    chatsFound: 0,
    rosterItemsFound: 0,
    roomMessagesFound: 0,
    uploadsIdentical: 0,
    nicknameFound: false,
    missing: [],
  };
  const sessions = new Map<string, Session>();
  try {
    for (const user of dataset.users) {
      try {
        sessions.set(user.name, await login(dataset.domain, user.name, user.password));
        report.logins += 1;
      } catch (error) {
        report.missing.push(`login of ${user.name}: ${(error as Error).message}`);
      }
    }
    for (const chat of dataset.chats) {
      // Both sides archive the chat: the sender's copy and the recipient's.
      for (const [reader, other] of [
        [chat.to, chat.from],
        [chat.from, chat.to],
      ] as const) {
        const session = sessions.get(reader);
        if (!session) continue;
        const found = new Set(await archivedBodies(session, `${other}@${dataset.domain}`));
        const lost = chat.bodies.filter((body) => !found.has(body));
        if (reader === chat.to) report.chatsFound += chat.bodies.length - lost.length;
        if (lost.length > 0) report.missing.push(`${lost.length} chats ${chat.from}→${chat.to} in ${reader}'s archive`);
      }
    }
    for (const item of dataset.roster) {
      const session = sessions.get(item.owner);
      if (!session) continue;
      const found = (await rosterOf(session)).find((entry) => entry.attrs.jid === `${item.contact}@${dataset.domain}`);
      if (found?.attrs.name === item.name && found.getChildText("group") === item.group) report.rosterItemsFound += 1;
      else report.missing.push(`roster item ${item.contact} of ${item.owner}: ${found?.toString() ?? "absent"}`);
    }
    const owner = sessions.get(dataset.nickname.user);
    if (owner) {
      const history = new Set(await archivedBodies(owner, undefined, dataset.room.jid));
      report.roomMessagesFound = dataset.room.bodies.filter((body) => history.has(body)).length;
      if (report.roomMessagesFound < dataset.room.bodies.length) {
        report.missing.push(`${dataset.room.bodies.length - report.roomMessagesFound} messages of ${dataset.room.jid}`);
      }
      const nick = await nickOf(owner);
      report.nicknameFound = nick === dataset.nickname.nick;
      if (!report.nicknameFound) report.missing.push(`nickname of ${dataset.nickname.user}: ${nick ?? "absent"}`);
    }
    for (const upload of dataset.uploads) {
      const response = await fetchLoopback(upload.url);
      if (response.status === 200 && sha256(response.body) === upload.sha256) report.uploadsIdentical += 1;
      else report.missing.push(`upload ${upload.url}: ${response.status}, ${response.body.length} bytes`);
    }
  } finally {
    await closeAll(sessions);
  }
  return report;
}
