/**
 * In-band registration (XEP-0077) the way a client app does it before it has
 * an account: a client stream, STARTTLS (the certificate verified against the
 * suite CA), then, with an invite, its token (XEP-0401 pre-auth), then the
 * register request. Resolves with what the server answered.
 */
import { connect as connectTcp, type Socket } from "node:net";
import { connect as connectTls } from "node:tls";
import { PORTS } from "./server";

export interface Registration {
  /** "registered", or the error condition the server answered with (e.g. "not-allowed") */
  outcome: string;
  /** the answer to the pre-auth request, when a token was sent */
  preauth?: string;
}

const streamHeader = (domain: string) =>
  `<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='${domain}' version='1.0'>`;

/** Reads from the socket until `pattern` matches what arrived since the last read. */
function reader(socket: Socket) {
  let buffer = "";
  const waiting: { pattern: RegExp; resolve: (match: RegExpMatchArray) => void }[] = [];
  const check = () => {
    for (const [index, entry] of waiting.entries()) {
      const match = buffer.match(entry.pattern);
      if (!match) continue;
      buffer = buffer.slice((match.index ?? 0) + match[0].length);
      waiting.splice(index, 1);
      entry.resolve(match);
      return;
    }
  };
  socket.on("data", (chunk: Buffer) => {
    buffer += chunk.toString();
    check();
  });
  return (pattern: RegExp, what: string, timeoutMs = 10_000) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${what} within ${timeoutMs} ms; got: ${buffer}`)), timeoutMs);
      waiting.push({
        pattern,
        resolve: (match) => {
          clearTimeout(timer);
          resolve(match);
        },
      });
      check();
    });
}

/** The whole <iq/> answering the request with this id, whatever the order of its attributes. */
const answerTo = (id: string) => new RegExp(`<iq\\b(?=[^>]*\\bid=['"]${id}['"])[^>]*?(?:/>|>[\\s\\S]*?</iq>)`);

const answer = (match: RegExpMatchArray): string => {
  const iq = match[0];
  if (/^<iq\b[^>]*\btype=['"]result['"]/.test(iq)) return "registered";
  return /<([a-z-]+) xmlns=['"]urn:ietf:params:xml:ns:xmpp-stanzas['"]/.exec(iq)?.[1] ?? iq;
};

export async function registerInBand(
  domain: string,
  username: string,
  password: string,
  invite?: string,
): Promise<Registration> {
  const plain = connectTcp(PORTS.c2s, "127.0.0.1");
  await new Promise<void>((resolve, reject) => plain.once("connect", resolve).once("error", reject));
  const readPlain = reader(plain);
  plain.write(streamHeader(domain));
  await readPlain(/<\/stream:features>/, "stream features");
  plain.write("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
  await readPlain(/<proceed[^>]*\/>/, "STARTTLS proceed");
  plain.removeAllListeners("data");
  const secure = connectTls({ socket: plain, servername: domain });
  await new Promise<void>((resolve, reject) => secure.once("secureConnect", resolve).once("error", reject));
  try {
    const read = reader(secure as unknown as Socket);
    secure.write(streamHeader(domain));
    await read(/<\/stream:features>/, "stream features after TLS");
    let preauth: string | undefined;
    if (invite !== undefined) {
      secure.write(`<iq type='set' id='preauth'><preauth xmlns='urn:xmpp:pars:0' token='${invite}'/></iq>`);
      preauth = answer(await read(answerTo("preauth"), "pre-auth answer"));
    }
    secure.write(
      `<iq type='set' id='reg'><query xmlns='jabber:iq:register'><username>${username}</username><password>${password}</password></query></iq>`,
    );
    const registered = await read(answerTo("reg"), "register answer");
    return { outcome: answer(registered), ...(preauth ? { preauth } : {}) };
  } finally {
    secure.end("</stream:stream>");
    secure.destroy();
  }
}
