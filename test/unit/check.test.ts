/**
 * The pieces of `prosody-stack check` that need no XMPP server: the TLS
 * probes against real Node TLS servers (a chain of a test CA, a server that
 * still takes TLS 1.0), the report's text, and the command's refusals.
 * test/e2e/check.test.ts runs the whole check against real Prosody and DNS.
 */
import { strict as assert } from "node:assert";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { createServer, type TlsOptions } from "node:tls";
import { main } from "../../cli/main";
import { checkReport, checkText } from "../../cli/check/report";
import { certificateChecks, directTls, legacyTlsAccepted } from "../../cli/check/tls-probe";
import { testCa } from "../support/certificates";

async function tlsServer(options: TlsOptions): Promise<{ port: number; close: () => Promise<void> }> {
  const server = createServer(options, (socket) => socket.end());
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe("prosody-stack check, without a server of ours", function () {
  this.timeout(30000);
  const { ca, issue } = testCa();
  const pair = issue(["chat.example.org", "groups.chat.example.org"]);

  it("trusts a chain through --ca, names a host the certificate lacks, and counts the days left", async () => {
    const server = await tlsServer({ cert: pair.chain, key: pair.key });
    try {
      const endpoint = { address: "127.0.0.1", port: server.port };
      const trusted = certificateChecks("direct TLS", await directTls(endpoint, "chat.example.org", ca), [
        "chat.example.org",
        "groups.chat.example.org",
      ]);
      assert.deepEqual(
        trusted.map((check) => [check.name, check.status]),
        [
          ["direct TLS", "pass"],
          ["certificate expiry", "pass"],
        ],
      );
      assert.match(trusted[1]?.detail ?? "", /^29 days left/);
      const lacking = certificateChecks("direct TLS", await directTls(endpoint, "share.chat.example.org", ca), [
        "share.chat.example.org",
      ]);
      assert.equal(lacking[0]?.detail, "the certificate does not name share.chat.example.org");
      const untrusted = certificateChecks("direct TLS", await directTls(endpoint, "chat.example.org", undefined), [
        "chat.example.org",
      ]);
      assert.match(
        untrusted[0]?.detail ?? "",
        /^the chain is not trusted \(.+\); for a CA of your own, give --ca FILE$/,
      );
      const soon = new Date(Date.now() + 20 * 24 * 3600 * 1000);
      const expiring = certificateChecks(
        "direct TLS",
        await directTls(endpoint, "chat.example.org", ca),
        ["chat.example.org"],
        {
          now: soon,
        },
      );
      assert.equal(expiring[1]?.status, "warn");
      assert.match(expiring[1]?.detail ?? "", /: renew it now$/);
    } finally {
      await server.close();
    }
  });

  it("finds a server that still accepts TLS 1.0, and none in one that takes 1.2 and newer", async () => {
    const legacy = await tlsServer({
      cert: pair.chain,
      key: pair.key,
      minVersion: "TLSv1",
      ciphers: "DEFAULT@SECLEVEL=0",
    });
    const modern = await tlsServer({ cert: pair.chain, key: pair.key });
    try {
      assert.match(
        (await legacyTlsAccepted({ address: "127.0.0.1", port: legacy.port }, "chat.example.org")) ?? "",
        /^TLSv1(\.1)?$/,
      );
      assert.equal(await legacyTlsAccepted({ address: "127.0.0.1", port: modern.port }, "chat.example.org"), undefined);
    } finally {
      await legacy.close();
      await modern.close();
    }
  });

  it("reports each group in order, with a count of each verdict", () => {
    const report = checkReport("chat.example.org", "203.0.113.7", [
      { group: "tls", name: "c2s STARTTLS", status: "pass", detail: "TLSv1.3" },
      { group: "dns", name: "SRV _xmpp-client._tcp.chat.example.org", status: "fail", detail: "no such record" },
      { group: "login", name: "as an account", status: "skip", detail: "give --jid" },
    ]);
    assert.deepEqual(report.summary, { pass: 1, warn: 0, fail: 1, skip: 1 });
    assert.equal(
      checkText(report),
      [
        "prosody-stack check: chat.example.org at 203.0.113.7",
        "",
        "DNS records",
        "  FAIL  SRV _xmpp-client._tcp.chat.example.org: no such record",
        "",
        "TLS",
        "  ok    c2s STARTTLS: TLSv1.3",
        "",
        "Login, archive and upload",
        "  skip  as an account: give --jid",
        "",
        "1 passed, 0 warnings, 1 failed, 1 skipped",
      ].join("\n"),
    );
  });

  it("refuses a check without a spec, and a --jid of another server, before reaching anything", async () => {
    const errors: string[] = [];
    const io = { stdout: () => undefined, stderr: (text: string) => errors.push(text) };
    assert.equal(await main(["check"], io), 2);
    assert.match(errors.pop() ?? "", /check needs --stack NAME or --spec FILE/);
    assert.equal(await main(["check", "--stack", "dev", "--jid", "someone@elsewhere.example"], io), 2);
    assert.match(errors.pop() ?? "", /--jid someone@elsewhere\.example is not an account on localhost/);
  });
});
