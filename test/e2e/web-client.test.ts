/**
 * The web client in a real browser: Debian's Chromium (playwright-core) against
 * Prosody 13 from our image, started from the Docker platform's container
 * description (the dev stack on the community tier, under mocks, replayed with
 * buildah). Alice uses the page Prosody serves at /chat/; Bob is a real xmpp.js
 * client. Over WebSocket: a chat both ways, a room, an upload Bob downloads;
 * then with WebSocket blocked, the page logs in over BOSH.
 */
import { strict as assert } from "node:assert";
import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, request as httpsRequest, type Server } from "node:https";
import type { Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { xml } from "@xmpp/client";
import type { Element } from "@xmpp/xml";
import type { Page } from "playwright-core";
import { fetchLoopback } from "../support/http";
import { recordFigure } from "../support/figures";
import { byName, programShowingAdminPasswords, runTested, stackWith } from "../support/mock-stack";
import { planDeployment } from "../../src/plan";
import { type StackConfig, stackSpec } from "../../src/schema/stack-file";
import { launchBrowser, type SuiteBrowser } from "./harness/browser";
import { type SuiteTls, suiteTls, suiteTlsOutputs } from "./harness/certs";
import { createRoom, sha256 } from "./harness/dataset";
import { type ContainerInputs, ReplayedContainer } from "./harness/docker-replay";
import { openSession, sendChat, type Session } from "./harness/xmpp";

const DOMAIN = "localhost";
/** ports of its own: the browser's page and the rest of the suite never meet */
const PORTS = { c2s: 26222, c2sDirectTls: 26223, s2s: 26269, https: 26281, http: 26280, proxy65: 26000 };
const PAGE = `https://${DOMAIN}:${PORTS.https}/chat/`;
/** a reverse proxy in front of Prosody's HTTPS port that does not pass WebSocket upgrades */
const PROXY_PORT = 26443;
const ROOM = "lobby@groups.localhost";
const ALICE = { name: "alice", password: "alice-password-in-browser" };
const BOB = { name: "bob", password: "bob-password-with-xmppjs" };
export const SCREENSHOT = process.env.WEB_CLIENT_SCREENSHOT ?? join(tmpdir(), "prosody-web-client.png");

const stack = (): StackConfig =>
  stackWith("dev", {
    "prosody:tier": "community",
    "prosody:ports": PORTS,
    "prosody:interfaces": ["127.0.0.1"],
  });

/**
 * An HTTPS reverse proxy that forwards requests to Prosody and answers every WebSocket upgrade with
 * 400, as a proxy set up without the upgrade headers does.
 */
function upgradelessProxy(tls: SuiteTls, port: number, upstreamPort: number): Promise<Server> {
  const proxy = createServer({ cert: tls.cert, key: tls.key }, (request, response) => {
    const upstream = httpsRequest(
      {
        host: "127.0.0.1",
        port: upstreamPort,
        servername: DOMAIN,
        path: request.url,
        method: request.method,
        headers: request.headers,
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.on("error", () => response.destroy());
    request.pipe(upstream);
  });
  proxy.on("upgrade", (_request, socket: Socket) =>
    socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"),
  );
  return new Promise((resolve) => proxy.listen(port, "127.0.0.1", () => resolve(proxy)));
}

/** Resolves with the first stanza of `session` that `match` accepts. */
function nextStanza(session: Session, match: (stanza: Element) => boolean, timeoutMs = 30_000): Promise<Element> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      session.xmpp.off("stanza", listener);
      reject(new Error("no such stanza arrived"));
    }, timeoutMs);
    const listener = (stanza: Element) => {
      if (!match(stanza)) return;
      clearTimeout(timer);
      session.xmpp.off("stanza", listener);
      resolve(stanza);
    };
    session.xmpp.on("stanza", listener);
  });
}

const bodyOf = (stanza: Element) => stanza.getChildText("body") ?? "";

/** The page's console and errors, for a failure's message. */
const pageLog: string[] = [];
function watch(page: Page): void {
  page.on("console", (message) => pageLog.push(`${message.type()}: ${message.text()}`));
  page.on("pageerror", (error) => pageLog.push(`page error: ${error.message}`));
  page.on("requestfailed", (request) => pageLog.push(`failed: ${request.url()} ${request.failure()?.errorText}`));
}

async function logIn(page: Page, address = PAGE): Promise<void> {
  watch(page);
  await page.goto(address);
  try {
    await page.locator('input[name="jid"]').waitFor({ timeout: 30_000 });
  } catch (error) {
    await page.screenshot({ path: `${SCREENSHOT}.failed.png` }).catch(() => undefined);
    throw new Error(`no login form:\n${pageLog.join("\n")}\n${(await page.content()).slice(0, 3000)}`, {
      cause: error,
    });
  }
  await page.locator('input[name="jid"]').fill(ALICE.name);
  await page.locator('input[name="password"]').fill(ALICE.password);
  await page.locator('input[name="password"]').press("Enter");
  await explained(page, "logged in", () => page.locator("converse-roster").first().waitFor({ timeout: 30_000 }));
}

/** Runs a step; on failure, a screenshot beside the test's and the page's log in the message. */
async function explained<T>(page: Page, step: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    await page.screenshot({ path: `${SCREENSHOT}.failed.png` }).catch(() => undefined);
    throw new Error(`${step}: ${(error as Error).message}\n${pageLog.join("\n")}`, { cause: error });
  }
}

/** Opens a chat or a room through Converse's own routes (the URL fragment) and waits for its text box. */
async function open(page: Page, route: string): Promise<void> {
  // Runs in the page: `location` is the page's.
  await page.evaluate(
    (fragment) => ((globalThis as unknown as { location: { hash: string } }).location.hash = fragment),
    route,
  );
  await explained(page, `opened ${route}`, () =>
    page.locator("textarea.chat-textarea:visible").first().waitFor({ timeout: 30_000 }),
  );
}

async function send(page: Page, text: string): Promise<void> {
  const box = page.locator("textarea.chat-textarea:visible").first();
  await box.fill(text);
  await box.press("Enter");
}

describe("the web client (Converse.js served by Prosody) in Debian's Chromium", function () {
  this.timeout(300_000);
  let root: string;
  let tls: SuiteTls;
  let prosody: ReplayedContainer;
  let browser: SuiteBrowser | undefined;
  let bob: Session | undefined;
  const cleanups: (() => Promise<void>)[] = [];
  const figures: Record<string, string | number> = {};

  before(async () => {
    root = mkdtempSync(join(tmpdir(), "prosody-web-"));
    chmodSync(root, 0o755);
    const folder = join(root, "tls");
    mkdirSync(folder);
    tls = suiteTls(folder, planDeployment(stackSpec(stack())).certificateNames);
    const run = await runTested("dev", stack(), programShowingAdminPasswords, { outputs: suiteTlsOutputs(tls) });
    const inputs = byName(run, "prosody-server").clearInputs as unknown as ContainerInputs;
    prosody = new ReplayedContainer(inputs, join(root, "volumes"), join(root, "files"));
    const accounts = [ALICE, BOB].map((user) => `${user.name}@${DOMAIN} ${user.password}`).join("\\n");
    const made = prosody.exec(["sh", "-c", `printf '${accounts}\\n' | prosodyctl mod_stack_accounts ensure`]);
    assert.equal(made.code, 0, made.output);
    await prosody.start();
    bob = await openSession({
      service: `xmpp://127.0.0.1:${PORTS.c2s}`,
      domain: DOMAIN,
      username: BOB.name,
      password: BOB.password,
      resource: "e2e",
    });
    await bob.xmpp.send(xml("presence"));
    browser = await launchBrowser();
  });

  after(async () => {
    for (const cleanup of cleanups) await cleanup();
    await bob?.close();
    await browser?.close();
    await prosody?.remove();
    rmSync(root, { recursive: true, force: true });
  });

  it("serves the page and Converse.js from Prosody, with a Content-Security-Policy and nothing from elsewhere", async () => {
    const page = await fetchLoopback(PAGE);
    assert.equal(page.status, 200);
    assert.match(String(page.headers["content-type"]), /^text\/html/);
    const html = page.body.toString("utf8");
    assert.match(html, /http-equiv="Content-Security-Policy"[^>]*default-src 'none'; script-src 'self'/s);
    assert.doesNotMatch(html, /https?:\/\/(?!localhost)/, "the page names no other site");
    const script = await fetchLoopback(`${PAGE}converse/converse.min.js`);
    assert.equal(script.status, 200);
    assert.ok(script.body.length > 500_000);
    const settings = await fetchLoopback(`${PAGE}settings.js`);
    assert.equal(settings.status, 200);
    assert.match(settings.body.toString("utf8"), /"locked_domain": "localhost"/);
    assert.match(settings.body.toString("utf8"), /"muc_domain": "groups\.localhost"/);
  });

  it("logs alice in over WebSocket: a chat with bob both ways, a room, and an upload in the room bob downloads byte for byte", async () => {
    const context = browser?.context;
    assert.ok(context && bob);
    const page = await context.newPage();
    const requests: string[] = [];
    page.on("request", (request) => requests.push(request.url()));
    const sockets: string[] = [];
    page.on("websocket", (socket) => sockets.push(socket.url()));
    const outside: string[] = [];
    page.on("request", (request) => {
      const host = new URL(request.url()).hostname;
      if (!host.endsWith("localhost") && !request.url().startsWith("data:") && !request.url().startsWith("blob:"))
        outside.push(request.url());
    });

    await logIn(page);
    const token = randomBytes(3).toString("hex");

    // A chat: alice writes on the page, bob answers from xmpp.js, the answer shows on the page.
    await open(page, `converse/chat?jid=${BOB.name}@${DOMAIN}`);
    const hello = `hello bob ${token}`;
    const arrived = nextStanza(bob, (stanza) => stanza.is("message") && bodyOf(stanza) === hello);
    await send(page, hello);
    const received = await arrived;
    assert.match(String(received.attrs.from), new RegExp(`^${ALICE.name}@${DOMAIN}/`));
    const reply = `hello alice ${token}`;
    await sendChat(bob, `${ALICE.name}@${DOMAIN}`, reply);
    await page.getByText(reply).waitFor({ timeout: 30_000 });

    // A room on the MUC host: bob is in it and sees alice's message.
    await createRoom(bob, ROOM, "bob");
    await open(page, `converse/room?jid=${ROOM}`);
    // Entered once the room lists its occupants (the text box is drawn again on entering).
    await explained(page, "entered the room", () =>
      page.locator("converse-muc").getByText("bob", { exact: true }).first().waitFor({ timeout: 30_000 }),
    );
    const roomText = `hello room ${token}`;
    const inRoom = nextStanza(bob, (stanza) => stanza.is("message") && bodyOf(stanza) === roomText);
    await send(page, roomText);
    const groupchat = await inRoom;
    assert.equal(groupchat.attrs.type, "groupchat");
    assert.equal(groupchat.attrs.from, `${ROOM}/alice`);

    // An upload through the page's file button, in the room: bob gets the link and downloads the same bytes.
    const file = randomBytes(200_000);
    const path = join(root, "photo.bin");
    writeFileSync(path, file);
    const link = nextStanza(
      bob,
      (stanza) => stanza.is("message") && /^https:\/\/share\.localhost/.test(bodyOf(stanza)),
    );
    await page.locator("input.fileupload").first().setInputFiles(path);
    const shared = await link;
    assert.equal(shared.attrs.from, `${ROOM}/alice`);
    const url = bodyOf(shared);
    const download = await fetchLoopback(url);
    assert.equal(download.status, 200);
    assert.equal(sha256(download.body), sha256(file));

    await page.screenshot({ path: SCREENSHOT });
    assert.ok(
      sockets.some((socket) => socket.endsWith("/xmpp-websocket")),
      "the page connected over WebSocket",
    );
    assert.ok(!requests.some((request) => request.includes("/http-bind")), "and not over BOSH");
    assert.deepEqual(outside, [], "the page fetched nothing from another site");
    figures["over WebSocket"] =
      "logged in; a chat both ways; a room message; an upload in the room bob downloaded byte for byte";
    figures["requests to other sites"] = outside.length;
    await page.close();
  });

  it("falls back to BOSH when WebSocket is blocked", async () => {
    assert.ok(bob);
    // A browser of its own: the first one keeps alice's session and would log her in again by itself.
    const second = await launchBrowser();
    cleanups.push(() => second.close());
    const context = second.context;
    const page = await context.newPage();
    // The page through a reverse proxy that does not pass the WebSocket upgrade.
    const proxy = await upgradelessProxy(tls, PROXY_PORT, PORTS.https);
    cleanups.push(() => new Promise((resolve) => proxy.close(() => resolve())));
    const sockets: string[] = [];
    page.on("websocket", (socket) => sockets.push(socket.url()));
    const bosh: string[] = [];
    page.on("request", (request) => {
      if (request.url().includes("/http-bind")) bosh.push(request.url());
    });
    await logIn(page, `https://${DOMAIN}:${PROXY_PORT}/chat/`);
    await open(page, `converse/chat?jid=${BOB.name}@${DOMAIN}`);
    const text = `over bosh ${randomBytes(3).toString("hex")}`;
    const arrived = nextStanza(bob, (stanza) => stanza.is("message") && bodyOf(stanza) === text);
    await send(page, text);
    await arrived;
    assert.ok(bosh.length > 0, "the page used BOSH");
    assert.ok(sockets.length > 0, "after trying a WebSocket");
    figures["WebSocket blocked"] = "logged in over BOSH and sent a chat bob received";
    recordFigure("web-client", {
      title: "The web client in a real browser",
      done: "Debian's Chromium (playwright-core, headless, a fresh profile trusting only the suite CA) opens Converse.js as Prosody 13 serves it from our image, started from the Docker platform's container description of the community tier; alice logs in on the page, bob is a real xmpp.js client.",
      test: __filename,
      figures,
    });
    await page.close();
  });
});
