/** The spec's value rules (src/schema/fields.ts): the valid forms pass, the invalid ones name what a valid one looks like. */
import { strict as assert } from "node:assert";
import type { z } from "zod";
import { parseDeploymentSpec } from "../../src/schema";
import {
  cidr,
  hostName,
  httpsUrl,
  httpUrl,
  ipAddress,
  ipOrCidr,
  ipv4,
  ipv6,
  jid,
  listenAddress,
  rate,
} from "../../src/schema/fields";
import { problemsOf } from "../support/problems";

function accepts(schema: z.ZodType, values: readonly string[]): void {
  for (const value of values) assert.ok(schema.safeParse(value).success, `refused ${JSON.stringify(value)}`);
}

function refuses(schema: z.ZodType, values: readonly unknown[]): void {
  for (const value of values) {
    const result = schema.safeParse(value);
    assert.ok(!result.success, `accepted ${JSON.stringify(value)}`);
    for (const issue of result.error.issues) assert.match(issue.message, / \| fix: .*\S/, JSON.stringify(value));
  }
}

describe("spec value rules", () => {
  it("rates: kb/s and mb/s only, as Prosody's mod_limits means them (it reads a bare b/s as tens of bytes)", () => {
    accepts(rate("10kb/s"), ["10kb/s", "1mb/s", "500kb/s"]);
    refuses(rate("10kb/s"), ["100b/s", "1b/s", "10 kb/s", "10kB/s", "0kb/s", "10gb/s", ""]);
  });

  it("URLs: no control characters (they would reach a container's environment)", () => {
    const control = [0, 7, 0x1b, 0x7f, 0x85].map((code) => `https://s3.example.net/a${String.fromCharCode(code)}b`);
    for (const schema of [httpUrl, httpsUrl]) refuses(schema, control);
    accepts(httpUrl, ["http://minio.internal:9000", "https://s3.example.net/"]);
  });

  it("IPv6: every RFC 4291 text form, in either case; nothing else", () => {
    accepts(ipv6, ["2001:db8::10", "2001:DB8::1", "::ffff:192.0.2.1", "::", "::1", "fe80::1", "1:2:3:4:5:6:7:8"]);
    accepts(ipv6, ["2001:0db8:0000:0000:0000:ff00:0042:8329", "2001:db8:0:0:1:0:0:1", "64:ff9b::192.0.2.33"]);
    refuses(ipv6, ["1:::2", "fffff::", "1:2:3:4:5:6:7:8:9", "2001:db8::10::1", "g::1", "192.0.2.1", "", ":", 6]);
    refuses(ipv6, ["fe80::1%eth0", "[2001:db8::1]", " 2001:db8::1", "2001:db8::1/64"]);
  });

  it("IPv4: four numbers 0-255 without leading zeros", () => {
    accepts(ipv4, ["192.0.2.10", "0.0.0.0", "255.255.255.255", "10.0.0.1"]);
    refuses(ipv4, ["256.1.1.1", "01.2.3.4", "1.2.3", "1.2.3.4.5", "1.2.3.4/32", "a.b.c.d", "", "::1"]);
  });

  it("CIDR ranges: a prefix width of the family's range, written plainly", () => {
    accepts(cidr, ["10.0.0.0/8", "0.0.0.0/0", "192.0.2.1/32", "2001:db8::/32", "::/0", "::1/128"]);
    refuses(cidr, ["10.0.0.0/08", "10.0.0.0/ 8", "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/8/8", "2001:db8::/129"]);
    refuses(cidr, ["2001:db8::/032", "10.0.0.0", "10.0.0.0/-1", "10.0.0.0/8.5", "/8"]);
    accepts(ipOrCidr, ["192.0.2.10", "2001:db8::10", "10.0.0.0/8"]);
    refuses(ipOrCidr, ["10.0.0.0/40", "proxy.internal"]);
  });

  it("listening and publishing addresses: * or one address of either family", () => {
    accepts(listenAddress, ["*", "::", "127.0.0.1", "2001:db8::1"]);
    refuses(listenAddress, ["0.0.0.0:5222", "localhost", "**", ""]);
    accepts(ipAddress, ["127.0.0.1", "::1"]);
    refuses(ipAddress, ["*", "localhost"]);
  });

  it("host names: DNS labels and lengths, the canonical form named when the value has another", () => {
    accepts(hostName, ["localhost", "chat.example.org", "a.b", "xn--bcher-kva.example", "1.example", "a-b.example"]);
    accepts(hostName, [`${"a".repeat(63)}.example`, `${"a.".repeat(126)}a`]);
    refuses(hostName, [`${"a".repeat(64)}.example`, `${"a.".repeat(127)}a`, "-a.example", "a-.example", "a..b"]);
    refuses(hostName, ["under_score.example", "sp ace.example", "", ".", "example.org/", "ex\u00e4mple.org"]);
    assert.match(hostName.safeParse("Chat.Example.org").error?.issues[0]?.message ?? "", /write "chat\.example\.org"/);
    assert.match(hostName.safeParse("example.org.").error?.issues[0]?.message ?? "", /write "example\.org"/);
  });

  it("JIDs (RFC 7622): localparts with + and other allowed characters, stored as Prosody stores them", () => {
    accepts(jid, ["jane+xmpp@example.org", "admin@localhost", "o'neil@example.org".replace("'", ""), "a.b-c_d@x.y"]);
    accepts(jid, ["j\u00fcrgen@example.org", "\u4e2d\u6587@example.org", "1@example.org", "x=y@example.org"]);
    refuses(jid, ["not a jid", "@example.org", "jane@", "a@b@c", "jane@example.org/phone", "o'neil@example.org"]);
    refuses(jid, ['"q"@example.org', "a&b@example.org", "a:b@example.org", "a<b@example.org", "a\tb@example.org"]);
    refuses(jid, [`${"a".repeat(1024)}@example.org`, "jane@exa mple.org", "jane@-bad.example"]);
    assert.match(jid.safeParse("Jane@example.org").error?.issues[0]?.message ?? "", /write "jane@example\.org"/);
    assert.match(jid.safeParse("\uff4a\uff41\uff4e\uff45@example.org").error?.issues[0]?.message ?? "", /"jane@/);
  });

  it("says what a missing domain should look like", () => {
    const [missing] = problemsOf(() => parseDeploymentSpec({}));
    assert.deepEqual(
      [missing?.field, missing?.message, missing?.fix],
      ["domain", "required", "write a DNS host name, e.g. chat.example.org"],
    );
  });

  it("writes accepted IPv6 addresses and JIDs into the spec unchanged", () => {
    const spec = parseDeploymentSpec({
      domain: "example.org",
      admins: ["jane+xmpp@example.org"],
      dns: { ipv6: ["2001:DB8::1", "::ffff:192.0.2.1"] },
    });
    assert.deepEqual(spec.admins, ["jane+xmpp@example.org"]);
    assert.deepEqual(spec.dns.ipv6, ["2001:DB8::1", "::ffff:192.0.2.1"]);
  });
});
