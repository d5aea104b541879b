/**
 * The watchdog (watchdog/): what it tells and when (once per change, a
 * recovery, "all good" on its period, a retry when no channel took a notice),
 * each channel's message on a real receiver on loopback (an HTTP server for
 * ntfy's and Slack's JSON, an SMTP server for mail), its metrics, and its
 * settings, refused naming the variable and never a secret. Its check against
 * a real server is the e2e suite's (test/e2e/check.test.ts).
 */
import { strict as assert } from "node:assert";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SMTPServer } from "smtp-server";
import type { CheckReport, CheckResult } from "../../cli/check/report";
import { checkReport } from "../../cli/check/report";
import { ProblemError } from "../../common/problems";
import { WATCHDOG_METRICS } from "../../src/monitoring/alerts";
import { planDeployment } from "../../src/plan";
import { parseDeploymentSpec } from "../../src/schema";
import { readWatchdogConfig } from "../../watchdog/src/config";
import { WATCHDOG_VARIABLES as V } from "../../watchdog/src/contract";
import { metricsText } from "../../watchdog/src/metrics";
import { readState, runOnce } from "../../watchdog/src/main";
import { tell, webhookRequest } from "../../watchdog/src/notify";
import { testCa } from "../support/certificates";
import { afterCheck, afterRunError, EMPTY_STATE, type WatchState } from "../../watchdog/src/transitions";

const DOMAIN = "chat.example.org";
const T0 = new Date("2026-12-07T10:00:00Z");
const later = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

const result = (name: string, status: CheckResult["status"], detail = "as planned"): CheckResult => ({
  group: name === "latest backup" ? "backups" : "tls",
  name,
  status,
  detail,
});
const report = (...checks: CheckResult[]): CheckReport => checkReport(DOMAIN, "192.0.2.10", checks);
const healthy = () => report(result("certificate expiry", "pass"), result("latest backup", "pass"));

const WATCHDOG_SPEC = {
  domain: DOMAIN,
  admins: [`admin@${DOMAIN}`],
  alerts: { watchdog: { enabled: true }, webhook: "ntfy" },
};

describe("the watchdog", () => {
  describe("what it tells, and when", () => {
    it("tells a new problem once, then its recovery, and nothing while nothing changes", () => {
      let state: WatchState = EMPTY_STATE;
      const run = (at: Date, checked: CheckReport) => {
        const outcome = afterCheck(state, checked, at, "never");
        state = outcome.state;
        return outcome.notices;
      };
      assert.deepEqual(run(T0, healthy()), []);
      const expiring = report(
        result("certificate expiry", "warn", "9 days left"),
        result("latest backup", "fail", "26.0 h ago"),
      );
      const first = run(later(5), expiring);
      assert.equal(first.length, 1);
      assert.equal(first[0]?.kind, "problem");
      assert.equal(first[0]?.title, `${DOMAIN}: 2 new problems`);
      assert.deepEqual(first[0]?.lines, [
        "WARN tls: certificate expiry: 9 days left",
        "FAIL backups: latest backup: 26.0 h ago",
      ]);
      assert.deepEqual(run(later(10), expiring), [], "the same problems are not told again");
      assert.equal(state.problems["tls: certificate expiry"]?.since, later(5).toISOString());
      const backupBack = run(
        later(15),
        report(result("certificate expiry", "warn", "9 days left"), result("latest backup", "pass")),
      );
      assert.equal(backupBack[0]?.kind, "recovery");
      assert.equal(backupBack[0]?.title, `${DOMAIN}: 1 recovered, 1 still wrong`);
      assert.deepEqual(backupBack[0]?.lines, [
        "recovered: backups: latest backup",
        "still: WARN tls: certificate expiry: 9 days left",
      ]);
      const allBack = run(later(20), healthy());
      assert.equal(allBack[0]?.title, `${DOMAIN}: recovered, all good again`);
      assert.deepEqual(state.problems, {});
    });

    it("tells a warning that turns into a failure, not a failure that eases into a warning", () => {
      const warned = afterCheck(EMPTY_STATE, report(result("certificate expiry", "warn", "3 days left")), T0, "never");
      const failed = afterCheck(
        warned.state,
        report(result("certificate expiry", "fail", "expired")),
        later(5),
        "never",
      );
      assert.equal(failed.notices[0]?.title, `${DOMAIN}: 1 new problem`);
      assert.deepEqual(failed.notices[0]?.lines, ["FAIL tls: certificate expiry: expired"]);
      const eased = afterCheck(
        failed.state,
        report(result("certificate expiry", "warn", "renewed?")),
        later(10),
        "never",
      );
      assert.deepEqual(eased.notices, []);
    });

    it("does not take a check that did not run for a recovery", () => {
      const down = afterCheck(EMPTY_STATE, report(result("latest backup", "fail", "stale")), T0, "never");
      // The next report has no backups check at all (say, the folder was not mounted this time).
      const silent = afterCheck(down.state, report(result("certificate expiry", "pass")), later(5), "never");
      assert.deepEqual(silent.notices, []);
      assert.ok(silent.state.problems["backups: latest backup"], "still open");
    });

    it('says "all good" once a period, only on runs with nothing else to tell', () => {
      let state: WatchState = EMPTY_STATE;
      const told: string[] = [];
      for (let hour = 0; hour <= 48; hour += 1) {
        const outcome = afterCheck(state, healthy(), later(hour * 60), "daily");
        state = outcome.state;
        for (const notice of outcome.notices) told.push(`${hour}:${notice.kind}`);
      }
      assert.deepEqual(told, ["0:all-good", "24:all-good", "48:all-good"]);
      const never = afterCheck(EMPTY_STATE, healthy(), T0, "never");
      assert.deepEqual(never.notices, []);
    });

    it("tells once that it cannot check, and that it checks again", () => {
      const broken = afterRunError(EMPTY_STATE, DOMAIN, "getaddrinfo EAI_AGAIN", T0);
      assert.equal(broken.notices[0]?.title, `${DOMAIN}: the watchdog cannot check`);
      assert.deepEqual(afterRunError(broken.state, DOMAIN, "getaddrinfo EAI_AGAIN", later(5)).notices, []);
      const back = afterCheck(broken.state, healthy(), later(10), "never");
      assert.equal(back.notices[0]?.kind, "recovery");
      assert.match(back.notices[0]?.lines[0] ?? "", /checks again \(it could not: getaddrinfo EAI_AGAIN\)/);
      assert.equal(back.state.runError, undefined);
    });
  });

  describe("its channels, on real receivers on loopback", () => {
    let http: Server;
    let received: { path: string; headers: IncomingMessage["headers"]; body: unknown }[];
    let smtp: SMTPServer;
    let mails: { from: string; to: string[]; text: string; user?: string }[];
    let base: string;
    let smtpPort: number;
    const smtpCa = testCa("ProsodyStack watchdog SMTP test CA");

    before(async () => {
      received = [];
      http = createServer((request, response) => {
        let text = "";
        request.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
        request.on("end", () => {
          received.push({ path: request.url ?? "", headers: request.headers, body: JSON.parse(text) as unknown });
          response.writeHead(request.url?.includes("broken") ? 503 : 200).end("{}");
        });
      });
      await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
      base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
      mails = [];
      const pair = smtpCa.issue(["localhost"]);
      smtp = new SMTPServer({
        // STARTTLS with a certificate of the test's CA, as a submission port (587) offers it.
        secure: false,
        key: pair.key,
        cert: pair.chain,
        authOptional: true,
        onAuth(auth, _session, callback) {
          if (auth.username === "watchdog" && auth.password === "smtp-secret") callback(null, { user: auth.username });
          else callback(new Error("bad login"));
        },
        onData(stream, session, callback) {
          let text = "";
          stream.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
          stream.on("end", () => {
            mails.push({
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
              to: session.envelope.rcptTo.map((entry) => entry.address),
              text,
              ...(typeof session.user === "string" ? { user: session.user } : {}),
            });
            callback();
          });
        },
      });
      await new Promise<void>((resolve) => smtp.listen(0, "localhost", resolve));
      smtpPort = (smtp.server.address() as AddressInfo).port;
    });
    after(async () => {
      await new Promise((resolve) => http.close(resolve));
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    });

    const notice = { kind: "problem" as const, title: `${DOMAIN}: 1 new problem`, lines: ["FAIL tls: x: y"] };

    it("posts ntfy's JSON to the server's root, with the topic inside and the URL's credentials as Basic auth", async () => {
      const url = base.replace("http://", "http://alerts:tk_secret@") + "/prosody-alerts";
      const request = webhookRequest({ kind: "webhook", format: "ntfy", url }, notice);
      assert.equal(request.url, `${base}/`, "no credentials left in the URL");
      assert.deepEqual(await tell([{ kind: "webhook", format: "ntfy", url }], notice), []);
      const last = received.at(-1);
      assert.equal(last?.path, "/");
      assert.equal(last?.headers.authorization, `Basic ${Buffer.from("alerts:tk_secret").toString("base64")}`);
      assert.deepEqual(last?.body, {
        topic: "prosody-alerts",
        title: notice.title,
        message: "FAIL tls: x: y",
        priority: 4,
        tags: ["rotating_light"],
      });
    });

    it("posts Slack's JSON to the webhook's own URL", async () => {
      const url = `${base}/services/T000/B000/XXXX`;
      assert.deepEqual(await tell([{ kind: "webhook", format: "slack", url }], notice), []);
      const last = received.at(-1);
      assert.equal(last?.path, "/services/T000/B000/XXXX");
      assert.deepEqual(last?.body, { text: `*${notice.title}*\nFAIL tls: x: y` });
      assert.equal(last?.headers.authorization, undefined);
    });

    it("mails every address through the SMTP server, after STARTTLS, with its login; one failing channel silences no other", async () => {
      const failures = await tell(
        [
          { kind: "webhook", format: "slack", url: `${base}/broken` },
          {
            kind: "email",
            host: "localhost",
            port: smtpPort,
            ca: smtpCa.ca,
            from: "watchdog@example.org",
            to: ["ops@example.org", "owner@example.org"],
            username: "watchdog",
            password: "smtp-secret",
          },
        ],
        notice,
      );
      assert.deepEqual(failures, [{ channel: "webhook", error: "the webhook answered 503 Service Unavailable" }]);
      const mail = mails.at(-1);
      assert.equal(mail?.from, "watchdog@example.org");
      assert.deepEqual(mail?.to, ["ops@example.org", "owner@example.org"]);
      assert.equal(mail?.user, "watchdog");
      assert.match(mail?.text ?? "", new RegExp(`Subject: ${notice.title.replace(/[.]/g, "\\.")}`));
      assert.match(mail?.text ?? "", /FAIL tls: x: y/);
    });
  });

  describe("a run, kept in its state folder", () => {
    let folder: string;
    let http: Server;
    let up = false;
    let posts = 0;
    before(async () => {
      http = createServer((request, response) => {
        request.resume();
        request.on("end", () => {
          posts += 1;
          response.writeHead(up ? 200 : 502).end();
        });
      });
      await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    });
    beforeEach(() => (folder = mkdtempSync(join(tmpdir(), "prosody-watchdog-"))));
    afterEach(() => rmSync(folder, { recursive: true, force: true }));
    after(async () => {
      await new Promise((resolve) => http.close(resolve));
    });

    it("tells a change again at the next run when no channel took it, and only once taken", async () => {
      const config = {
        ...readWatchdogConfig({
          [V.spec]: JSON.stringify({ ...WATCHDOG_SPEC, alerts: { ...WATCHDOG_SPEC.alerts, xmpp: false } }),
          [V.password]: "monitoring-password",
          [V.webhookUrl]: `http://127.0.0.1:${(http.address() as AddressInfo).port}/alerts`,
        }),
        state: folder,
      };
      const stale = async () => report(result("latest backup", "fail", "26.0 h ago"));
      const first = await runOnce(config, T0, stale);
      assert.equal(first.notices.length, 1);
      assert.deepEqual(readState(config).problems, {}, "not taken: nothing is recorded as told");
      up = true;
      const second = await runOnce(config, later(5), stale);
      assert.equal(second.notices[0]?.title, `${DOMAIN}: 1 new problem`);
      assert.ok(readState(config).problems["backups: latest backup"]);
      const third = await runOnce(config, later(10), stale);
      assert.deepEqual(third.notices, []);
      assert.equal(posts, 2);
    });
  });

  describe("its metrics", () => {
    it("exports the certificate's end and the latest backup's time the alert rules read, once it has read them", () => {
      const checked = report(
        { ...result("certificate expiry", "pass"), timestamp: "2027-03-01T00:00:00.000Z" },
        { ...result("latest backup", "pass"), timestamp: "2026-12-07T03:00:00.000Z" },
      );
      const { state } = afterCheck(EMPTY_STATE, checked, T0, "never");
      // A later run that could not read the backups' note keeps the moment it read before.
      const later5 = afterCheck(state, report(result("certificate expiry", "pass")), later(5), "never").state;
      const text = metricsText(DOMAIN, later5);
      const unix = (iso: string) => Date.parse(iso) / 1000;
      const sample = (name: string) => new RegExp(`^${name}\\{domain="${DOMAIN}"\\} (\\d+)$`, "m").exec(text)?.[1];
      assert.equal(Number(sample(WATCHDOG_METRICS.certificateExpiry)), unix("2027-03-01T00:00:00.000Z"));
      assert.equal(Number(sample(WATCHDOG_METRICS.lastGoodBackup)), unix("2026-12-07T03:00:00.000Z"));
      assert.match(text, /^prosody_stack_watchdog_problems\{domain="chat\.example\.org"\} 0$/m);
      assert.ok(text.endsWith("# EOF\n"));
      const before = metricsText(DOMAIN, EMPTY_STATE);
      assert.doesNotMatch(before, new RegExp(`^${WATCHDOG_METRICS.certificateExpiry}\\{`, "m"));
    });
  });

  describe("its settings", () => {
    const environment = (more: Record<string, string> = {}, spec: object = WATCHDOG_SPEC) => ({
      [V.spec]: JSON.stringify(spec),
      [V.password]: "monitoring-password",
      [V.webhookUrl]: "https://ntfy.example.org/alerts",
      ...more,
    });
    const refusal = (values: Record<string, string | undefined>): string => {
      try {
        readWatchdogConfig(values);
      } catch (error) {
        assert.ok(error instanceof ProblemError, String(error));
        return error.message;
      }
      return assert.fail("expected the settings to be refused");
    };

    it("plans the spec it is given and knows its channels", () => {
      const config = readWatchdogConfig(environment());
      assert.equal(config.watchdog.account, `watchdog@${DOMAIN}`);
      assert.equal(config.watchdog.everySeconds, 300);
      assert.deepEqual(config.watchdog.channels.xmpp, [`admin@${DOMAIN}`]);
      assert.deepEqual(
        config.channels.map((channel) => channel.kind),
        ["webhook"],
      );
    });

    it("refuses what cannot work, naming the variable, and never repeats a secret", () => {
      const missing = refusal(environment({ [V.password]: "", [V.webhookUrl]: "" }));
      assert.match(missing, /WATCHDOG_PASSWORD: is not set/);
      assert.match(missing, /WATCHDOG_WEBHOOK_URL: is not set/);
      const badUrl = refusal(environment({ [V.webhookUrl]: "ftp://secret-token@host/x" }));
      assert.match(badUrl, /WATCHDOG_WEBHOOK_URL \(given \[secret\]\): is not an http\(s\) URL/);
      assert.doesNotMatch(badUrl, /secret-token/);
      assert.match(refusal(environment({ [V.metricsPort]: "99999" })), /WATCHDOG_METRICS_PORT \(given "99999"\)/);
      assert.match(refusal({ [V.spec]: "{" }), /WATCHDOG_SPEC: is not JSON/);
      assert.match(
        refusal(environment({}, { domain: DOMAIN })),
        /WATCHDOG_SPEC\.alerts\.watchdog\.enabled \(given false\): the spec runs no watchdog/,
      );
    });
  });

  describe("in the plan", () => {
    const problems = (alerts: object, more: object = {}): string => {
      try {
        planDeployment(parseDeploymentSpec({ domain: DOMAIN, admins: [`admin@${DOMAIN}`], alerts, ...more }));
      } catch (error) {
        assert.ok(error instanceof ProblemError, String(error));
        return error.message;
      }
      return assert.fail("expected the plan to be refused");
    };

    it("plans a monitoring account of its own, and the channels the spec names", () => {
      const plan = planDeployment(
        parseDeploymentSpec({
          domain: DOMAIN,
          admins: [`admin@${DOMAIN}`, "friend@elsewhere.example"],
          alerts: {
            email: ["ops@example.org"],
            smtp: { host: "smtp.example.org", from: "xmpp@example.org", username: "xmpp" },
            webhook: "slack",
            watchdog: { enabled: true, everyMinutes: 10, allGood: "weekly", peer: "jabber.example.net" },
          },
        }),
      );
      assert.deepEqual(plan.watchdog, {
        account: `watchdog@${DOMAIN}`,
        everySeconds: 600,
        allGood: "weekly",
        peer: "jabber.example.net",
        channels: {
          webhook: "slack",
          email: {
            host: "smtp.example.org",
            port: 587,
            from: "xmpp@example.org",
            username: "xmpp",
            to: ["ops@example.org"],
          },
          xmpp: [`admin@${DOMAIN}`],
        },
      });
      assert.equal(planDeployment(parseDeploymentSpec({ domain: DOMAIN })).watchdog, undefined);
    });

    it("refuses a watchdog with nobody to tell, mail with nowhere to go, and its own account as an admin", () => {
      assert.match(
        problems({ xmpp: false, watchdog: { enabled: true } }),
        /alerts\.watchdog\.enabled \(given true\): the watchdog would have nobody to tell/,
      );
      assert.match(
        problems({ email: ["ops@example.org"], watchdog: { enabled: true } }),
        /alerts\.smtp: the watchdog would mail alerts\.email, and no SMTP server is named/,
      );
      assert.match(
        problems({ smtp: { host: "smtp.example.org", from: "x@example.org" } }),
        /alerts\.smtp \(given "smtp\.example\.org"\): is set, and alerts\.email names nobody/,
      );
      assert.match(
        problems({ watchdog: { enabled: true } }, { admins: [`watchdog@${DOMAIN}`, `admin@${DOMAIN}`] }),
        /admins \(given "watchdog@chat\.example\.org"\): is the watchdog's monitoring account/,
      );
      assert.match(
        problems({ watchdog: { enabled: true, peer: DOMAIN } }),
        /alerts\.watchdog\.peer \(given "chat\.example\.org"\): is a domain of this server/,
      );
    });
  });
});
