/**
 * The certificate renewer (renewer/): its settings, when it renews and when it
 * looks again, what it asks certbot for, where it writes the pair, and what it
 * notes and says when an attempt fails. certbot and an ACME server are the
 * e2e suite's (test/e2e/renewer.test.ts).
 */
import { strict as assert } from "node:assert";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renewalChecks } from "../../cli/check/renewal";
import { ProblemError } from "../../common/problems";
import { certbotArguments, failureReason } from "../../renewer/src/certbot";
import { type RenewerConfig, readRenewerConfig } from "../../renewer/src/config";
import { RENEWER_VARIABLES as V } from "../../renewer/src/contract";
import { decide, nextLook, servedCertificate } from "../../renewer/src/decide";
import { attempt, main, readStatus } from "../../renewer/src/main";
import { pairStore } from "../../renewer/src/store";
import { planDeployment } from "../../src/plan";
import { parseDeploymentSpec } from "../../src/schema";
import { testCa } from "../support/certificates";

const DOMAINS = ["chat.example.org", "groups.chat.example.org", "share.chat.example.org"];
const DIRECTORY = "https://acme-v02.api.letsencrypt.org/directory";

const refusal = (environment: Record<string, string>): string => {
  try {
    readRenewerConfig(environment);
  } catch (error) {
    assert.ok(error instanceof ProblemError, String(error));
    return error.message;
  }
  return assert.fail("expected the settings to be refused");
};

describe("the certificate renewer", () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), "prosody-renewer-"));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  const uid = process.getuid?.() ?? 0;
  const gid = process.getgid?.() ?? 0;
  const environment = (more: Record<string, string> = {}): Record<string, string> => ({
    [V.domains]: DOMAINS.join(" "),
    [V.directory]: DIRECTORY,
    [V.dnsProvider]: "route53",
    [V.store]: "folders",
    [V.folders]: `${join(folder, "prosody")}:${uid}:${gid}:chat.example.org ${join(folder, "gateway")}:${uid}:${gid}:tls`,
    ...more,
  });

  it("reads its settings from the environment, and refuses what cannot work, naming the variable and never a token", () => {
    const config = readRenewerConfig(environment());
    assert.deepEqual(config.domains, DOMAINS);
    assert.equal(config.renewDaysBefore, 30);
    assert.equal(config.checkSeconds, 12 * 3600);
    assert.equal(config.store.kind, "folders");
    assert.match(
      refusal(environment({ [V.store]: "folders", [V.folders]: "" })),
      /RENEWER_FOLDERS \(given ""\): required here/,
    );
    assert.match(
      refusal(environment({ [V.directory]: "http://acme.example/dir" })),
      /RENEWER_DIRECTORY .*not an https URL/,
    );
    assert.match(
      refusal(environment({ [V.dnsProvider]: "cloudflare" })),
      /CLOUDFLARE_API_TOKEN: required here\. Fix: give a Cloudflare API token/,
    );
    const secret = refusal(environment({ [V.dnsProvider]: "none", [V.cloudflareToken]: "very-secret-token" }));
    assert.match(secret, /RENEWER_DNS_PROVIDER \(given "none"\): not a DNS provider the renewer can use/);
    assert.doesNotMatch(secret, /very-secret-token/);
    assert.match(
      refusal(environment({ [V.store]: "aws-secret" })),
      /RENEWER_TLS_ARN: required here\. Fix: give the TLS secret's ARN/,
    );
    const aws = readRenewerConfig(
      environment({
        [V.store]: "aws-secret",
        [V.secretId]: "arn:aws:secretsmanager:eu-central-1:123456789012:secret:prosody-tls-AbCdEf",
        [V.services]:
          "arn:aws:ecs:eu-central-1:123456789012:cluster/chat prosody-prod-server, arn:aws:ecs:eu-central-1:123456789012:cluster/chat prosody-prod-gateway",
      }),
    );
    assert.deepEqual(aws.store.kind === "aws-secret" ? aws.store.services.map((service) => service.name) : [], [
      "prosody-prod-server",
      "prosody-prod-gateway",
    ]);
  });

  it("renews a certificate that is missing, misses a host or is near its end, and leaves a good one alone", () => {
    const { issue } = testCa();
    const served = servedCertificate(issue(DOMAINS).chain);
    assert.ok(served, "a PEM chain reads back");
    // Half a day into its 29th day before the end, whatever second the test CA issued it at.
    const now = new Date(served.notAfter.getTime() - 29.5 * 24 * 3600 * 1000);
    assert.deepEqual(served.names, DOMAINS);
    assert.equal(decide(undefined, DOMAINS, 30, now).why, "no certificate is served yet");
    assert.match(decide(served, [...DOMAINS, "proxy.chat.example.org"], 30, now).why, /does not name proxy\.chat/);
    assert.equal(decide(served, DOMAINS, 7, now).renew, false, "the test CA's leaves last 30 days");
    assert.match(decide(served, DOMAINS, 31, now).why, /has 29 days left, fewer than 31/);
    assert.equal(servedCertificate("not a certificate"), undefined);
    const { ca } = testCa();
    const selfSigned = servedCertificate(ca);
    assert.equal(selfSigned?.selfSigned, true);
    assert.equal(served.selfSigned, false);
    assert.equal(decide(selfSigned, [], 1, now).why, "the served certificate is a temporary self-signed one");
  });

  it("looks again after its interval, and retries a failure sooner, the wait doubling with each failure in a row", () => {
    const now = new Date("2026-12-07T00:00:00Z");
    const after = (failures: number) => (nextLook(failures, now, 43200, 900).getTime() - now.getTime()) / 1000;
    assert.deepEqual([0, 1, 2, 3, 6, 7, 60].map(after), [43200, 900, 1800, 3600, 28800, 43200, 43200]);
  });

  it("asks certbot for every host through the DNS provider, an ECDSA key and no e-mail, and nothing about client authentication", () => {
    const route53 = certbotArguments(readRenewerConfig(environment()), "/state");
    assert.deepEqual(
      route53.filter((word, index) => word === "-d" || route53[index - 1] === "-d"),
      DOMAINS.flatMap((domain) => ["-d", domain]),
    );
    for (const expected of ["--dns-route53", "--register-unsafely-without-email", "--force-renewal", "ecdsa"]) {
      assert.ok(route53.includes(expected), expected);
    }
    assert.ok(!route53.join(" ").includes("client"), route53.join(" "));
    const cloudflare = certbotArguments(
      readRenewerConfig(environment({ [V.dnsProvider]: "cloudflare", [V.cloudflareToken]: "token" })),
      "/state",
      "/state/cloudflare.ini",
    );
    assert.ok(cloudflare.includes("--dns-cloudflare"));
    assert.equal(cloudflare[cloudflare.indexOf("--dns-cloudflare-credentials") + 1], "/state/cloudflare.ini");
    assert.ok(!cloudflare.join(" ").includes("token "), "the token goes in a file, not on the command line");
  });

  it("says why certbot failed in its own words, without its boilerplate", () => {
    const output = [
      "Saving debug log to /var/lib/prosody-renewer/certbot/logs/letsencrypt.log",
      "Requesting a certificate for chat.example.org",
      "Encountered error when making query: An error occurred (AccessDenied) when calling the ChangeResourceRecordSets operation",
      "Ask for help or search for solutions at https://community.letsencrypt.org.",
    ].join("\n");
    assert.equal(
      failureReason(output),
      "Encountered error when making query: An error occurred (AccessDenied) when calling the ChangeResourceRecordSets operation",
    );
  });

  it("writes the pair to every folder, the key 0600, and reads back what it wrote", async () => {
    const store = pairStore(readRenewerConfig(environment()).store);
    assert.equal(await store.served(), undefined);
    const { issue } = testCa();
    const pair = issue(DOMAINS);
    await store.publish({ chain: pair.chain, key: pair.key });
    assert.equal(await store.served(), pair.chain);
    for (const [copy, name] of [
      ["prosody", "chat.example.org"],
      ["gateway", "tls"],
    ]) {
      assert.equal(readFileSync(join(folder, copy!, `${name}.key`), "utf8"), pair.key);
      assert.equal(statSync(join(folder, copy!, `${name}.key`)).mode & 0o777, 0o600);
      assert.equal(statSync(join(folder, copy!, `${name}.crt`)).mode & 0o777, 0o644);
    }
  });

  it("notes a failed attempt, retries it sooner, and its health check says why", async () => {
    const state = join(folder, "state");
    const good = testCa().issue(DOMAINS);
    const before = process.env[V.state];
    const path = process.env.PATH;
    process.env[V.state] = state;
    // No certbot on this PATH: the attempt fails as an issuance that cannot run does.
    process.env.PATH = folder;
    const lines: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => lines.push(chunk) > 0) as typeof process.stderr.write;
    try {
      const config: RenewerConfig = readRenewerConfig(environment());
      const now = new Date("2026-12-07T10:00:00Z");
      assert.equal(await attempt(config, pairStore(config.store), now), false);
      assert.equal(await attempt(config, pairStore(config.store), now), false);
      const status = readStatus();
      assert.equal(status.failuresInARow, 2);
      assert.match(status.lastFailure?.reason ?? "", /^certbot failed \(exit killed\): spawn certbot ENOENT/);
      assert.equal(status.nextAttempt, "2026-12-07T10:30:00.000Z", "the second failure waits twice the first retry");
      assert.equal(await main(["--health"]), 1);
      assert.match(lines.join(""), /unhealthy: the last attempt failed at 2026-12-07T10:00:00\.000Z: certbot failed/);

      await pairStore(config.store).publish(good);
      assert.equal(await attempt(config, pairStore(config.store), now), true, "a good certificate needs no certbot");
      assert.equal(readStatus().failuresInARow, 0);
      assert.equal(await main(["--health"]), 0);
    } finally {
      process.stderr.write = write;
      process.env.PATH = path;
      if (before === undefined) delete process.env[V.state];
      else process.env[V.state] = before;
    }
  });
});

describe("prosody-stack check: the certificate renewer", () => {
  const renewing = planDeployment(
    parseDeploymentSpec({
      domain: "chat.example.org",
      tls: { mode: "acme" },
      dns: { provider: "cloudflare", ipv4: ["203.0.113.7"] },
    }),
  );
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), "prosody-renewal-check-"));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it("reports the last renewal and the next look, fails with the reason of a failed attempt, and says what it needs", async () => {
    assert.deepEqual(
      await renewalChecks(planDeployment(parseDeploymentSpec({ domain: "chat.example.org" })), folder),
      [],
    );
    assert.equal((await renewalChecks(renewing, undefined))[0]?.status, "skip");
    assert.equal((await renewalChecks(renewing, folder))[0]?.status, "fail", "no status yet is a failure to read");
    const status = {
      lastAttempt: "2026-12-07T10:00:00.000Z",
      lastRenewal: "2026-12-01T10:00:00.000Z",
      notAfter: "2027-03-01T10:00:00.000Z",
      nextAttempt: "2026-12-07T22:00:00.000Z",
      failuresInARow: 0,
    };
    writeFileSync(join(folder, "status.json"), JSON.stringify(status));
    const [good] = await renewalChecks(renewing, folder);
    assert.equal(good?.status, "pass");
    assert.equal(
      good?.detail,
      "last renewal 2026-12-01T10:00:00.000Z, certificate until 2027-03-01T10:00:00.000Z; next look at 2026-12-07T22:00:00.000Z",
    );
    writeFileSync(
      join(folder, "status.json"),
      JSON.stringify({
        ...status,
        failuresInARow: 2,
        lastFailure: { at: status.lastAttempt, reason: "certbot failed: AccessDenied" },
      }),
    );
    const [bad] = await renewalChecks(renewing, folder);
    assert.equal(bad?.status, "fail");
    assert.match(
      bad?.detail ?? "",
      /failed at 2026-12-07T10:00:00\.000Z \(2 in a row\): certbot failed: AccessDenied; next look/,
    );
  });
});
