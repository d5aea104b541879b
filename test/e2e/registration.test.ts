/**
 * Who may make an account, on our image's Prosody 13: on an invite-only server
 * (every tier's default) in-band registration without an invite is refused and
 * an invite works exactly once; on a closed server nothing registers; failed
 * logins are logged with the client's address, as the security toggle promises.
 */
import { strict as assert } from "node:assert";
import { recordFigure } from "../support/figures";
import { imageRuntime, type Runtime } from "./harness/prosody";
import { registerInBand } from "./harness/register";
import { ServerUnderTest } from "./harness/server";
import { login } from "./harness/xmpp";

const DOMAIN = "chat.e2e.test";

function invite(server: ServerUnderTest): string {
  const generated = server.prosodyctl("shell", "invite", "create_account", DOMAIN);
  const token = /preauth=([\w-]+)/.exec(generated.output)?.[1];
  assert.ok(token, `no invite in prosodyctl's output:\n${generated.output}`);
  return token;
}

describe("registration on Prosody 13 (our image)", function () {
  this.timeout(180_000);
  let runtime: Runtime;
  let server: ServerUnderTest | undefined;
  const figures: Record<string, string> = {};

  before(() => {
    runtime = imageRuntime();
  });
  afterEach(async () => {
    await server?.dispose();
    server = undefined;
  });
  after(() => {
    if (Object.keys(figures).length !== 4) return;
    recordFigure("registration", {
      title: "Registration and failed logins",
      done: "A client registers in band (XEP-0077) after STARTTLS, with and without an invite (XEP-0401 pre-auth token from `prosodyctl mod_invites generate`), on the community tier with `registration: invite-only` and with `registration: closed`; then a login with a wrong password.",
      test: __filename,
      figures,
    });
  });

  it("invite-only: refuses a registration without an invite, takes an invite once", async () => {
    server = new ServerUnderTest(runtime, { domain: DOMAIN, tier: "community", registration: "invite-only" });
    await server.start();
    const uninvited = await registerInBand(DOMAIN, "mallory", "mallory-password");
    assert.notEqual(uninvited.outcome, "registered");
    const token = invite(server);
    const invited = await registerInBand(DOMAIN, "carol", "carol-password", token);
    assert.equal(invited.outcome, "registered", JSON.stringify(invited));
    const carol = await login(DOMAIN, "carol", "carol-password");
    await carol.close();
    const again = await registerInBand(DOMAIN, "dave", "dave-password", token);
    assert.notEqual(again.outcome, "registered", "an invite worked twice");
    await assert.rejects(login(DOMAIN, "mallory", "mallory-password"));
    await assert.rejects(login(DOMAIN, "dave", "dave-password"));
    figures["invite-only, no invite"] = `refused (${uninvited.outcome})`;
    figures["invite-only, an invite used twice"] = `first registered, second refused (${again.outcome})`;
  });

  it("closed: nothing registers; a failed login is logged with the client's address", async () => {
    server = new ServerUnderTest(runtime, { domain: DOMAIN, tier: "community", registration: "closed" });
    server.register("alice", "alice-password");
    await server.start();
    const attempt = await registerInBand(DOMAIN, "mallory", "mallory-password");
    assert.notEqual(attempt.outcome, "registered");
    await assert.rejects(login(DOMAIN, "mallory", "mallory-password"));
    figures["closed"] = `refused (${attempt.outcome})`;

    await assert.rejects(login(DOMAIN, "alice", "not-her-password"));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const logged = server
      .log()
      .split("\n")
      .find((line) =>
        /Failed authentication attempt .* for user alice@chat\.e2e\.test from IP: 127\.0\.0\.1/.test(line),
      );
    assert.ok(logged, `no failed-login line in Prosody's log:\n${server.log().slice(-3000)}`);
    figures["failed login"] = "logged with user and IP (mod_log_auth)";
  });
});
