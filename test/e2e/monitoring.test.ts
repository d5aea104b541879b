/**
 * The owner hears when something breaks, proven with real parts: the dev
 * stack's program (with the watchdog on, a Slack-style webhook and an admin)
 * runs under Pulumi's mocks, and its recorded Prosody, backup runner and
 * watchdog containers are replayed with buildah on the same volumes; dnsmasq
 * serves the plan's records; Debian's Prometheus scrapes Prosody's metrics
 * and the watchdog's with the stack's rendered rules, and Debian's
 * Alertmanager posts to a webhook receiver on loopback, the same receiver the
 * watchdog posts to.
 *
 * The story: the server starts with a certificate two days from its end and
 * no backup yet. The watchdog tells both once (webhook and a chat message to
 * the admin), Prometheus fires ProsodyCertificateExpiresSoon from the
 * watchdog's metric, the dashboard's queries return data; a backup runs and
 * the watchdog tells its recovery; a renewed certificate, and it tells all is
 * good again; Prosody stops, and Prometheus fires ProsodyDown (its two-minute hold shortened: promtool
 * proves the holds).
 */
import { strict as assert } from "node:assert";
import { createServer, type Server } from "node:http";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { BACKUP_COMMANDS, BACKUP_ENTRYPOINT } from "../../backup/src/contract";
import { DASHBOARD_PANELS } from "../../src/monitoring/dashboard";
import { SCRAPE_JOBS } from "../../src/monitoring/alerts";
import { planDeployment } from "../../src/plan";
import { renderPrometheusRules } from "../../src/render";
import { type StackConfig, stackSpec } from "../../src/schema/stack-file";
import { WATCHDOG_COMMANDS, WATCHDOG_ENTRYPOINT, WATCHDOG_METRICS_PORT } from "../../watchdog/src/contract";
import { recordFigure } from "../support/figures";
import { byName, programShowingAdminPasswords, runTested, stackWith, type TestedRun } from "../support/mock-stack";
import { type BackupKeyOutputs, makeBackupKey } from "./harness/backup-key";
import { suiteTls, suiteTlsOutputs, type SuiteTls } from "./harness/certs";
import { type DnsServer, startDnsServer } from "./harness/dns-server";
import { BACKUP_IMAGE, type ContainerInputs, ReplayedContainer, WATCHDOG_IMAGE } from "./harness/docker-replay";
import { listenerPid } from "./harness/prosody";
import { type Alertmanager, type Prometheus, startAlertmanager, startPrometheus } from "./harness/prometheus";
import { PORTS } from "./harness/server";
import { archivedBodies, login } from "./harness/xmpp";

const DOMAIN = "watch.e2e.test";
const ADMIN = `admin@${DOMAIN}`;
const PORTS_OF_THIS_TEST = { dns: 25355, receiver: 29099, prometheus: 29090, alertmanager: 29093 };

interface Posted {
  path: string;
  body: { text?: string; alerts?: { status: string; labels: Record<string, string> }[] };
}

const stack = (receiver: string): StackConfig =>
  stackWith(
    "dev",
    {
      "prosody:domain": DOMAIN,
      "prosody:admins": [ADMIN],
      "prosody:ports": PORTS,
      "prosody:interfaces": ["127.0.0.1"],
      "prosody:dns": { provider: "none", ipv4: ["127.0.0.1"] },
      "prosody:alerts": { webhook: "slack", watchdog: { enabled: true, everyMinutes: 60 } },
      "prosody:alertsWebhookUrl": `${receiver}/slack`,
    },
    ["prosody:alertsWebhookUrl"],
  );

/**
 * The rule file as rendered, with one rule's hold ("for") shortened: the path from scrape to rule to
 * Alertmanager to the receiver is what this test proves, and `promtool test rules` proves each hold
 * (test/truth/alert-rules.test.ts), so the suite need not wait ProsodyDown's two minutes.
 */
const SHORT_HOLD = "5s";
function withShortHold(rules: string, alert: string): string {
  const file = parse(rules) as { groups: { rules: { alert?: string; for?: string }[] }[] };
  const rule = file.groups.flatMap((group) => group.rules).find((entry) => entry.alert === alert);
  assert.ok(rule, `the rules have no ${alert}`);
  rule.for = SHORT_HOLD;
  return stringify(file);
}

/** A process's resident memory, as the kernel counts it. */
function residentKiB(pid: number): number {
  const kib = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? Number.NaN);
  assert.ok(Number.isFinite(kib), `no resident memory for process ${pid}`);
  return kib;
}

/** Polls until `found` returns something, at most `timeoutMs`; fails naming what was awaited. */
async function until<T>(what: string, found: () => T | undefined | Promise<T | undefined>, timeoutMs: number) {
  const started = Date.now();
  for (;;) {
    const value = await found();
    if (value !== undefined) return { value, seconds: (Date.now() - started) / 1000 };
    if (Date.now() - started > timeoutMs) assert.fail(`${what} did not happen within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

describe("monitoring: the watchdog, Prometheus and Alertmanager against the replayed dev stack", function () {
  this.timeout(600_000);
  let root: string;
  let receiver: Server;
  let posts: Posted[];
  let dns: DnsServer | undefined;
  let prometheus: Prometheus | undefined;
  let alertmanager: Alertmanager | undefined;
  const containers: ReplayedContainer[] = [];
  let replayed = 0;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), "prosody-monitoring-"));
    chmodSync(root, 0o755);
    posts = [];
    receiver = createServer((request, response) => {
      let text = "";
      request.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
      request.on("end", () => {
        posts.push({ path: request.url ?? "", body: JSON.parse(text) as Posted["body"] });
        response.writeHead(200).end("ok");
      });
    });
    await new Promise<void>((resolve) => receiver.listen(PORTS_OF_THIS_TEST.receiver, "127.0.0.1", resolve));
  });

  after(async () => {
    for (const container of containers.splice(0)) await container.remove().catch(() => undefined);
    await prometheus?.stop();
    await alertmanager?.stop();
    await dns?.stop();
    await new Promise((resolve) => receiver.close(resolve));
    rmSync(root, { recursive: true, force: true });
  });

  const receiverUrl = `http://127.0.0.1:${PORTS_OF_THIS_TEST.receiver}`;
  let backupKey: BackupKeyOutputs | undefined;
  const deploy = (tls: SuiteTls) =>
    runTested("dev", stack(receiverUrl), programShowingAdminPasswords, {
      outputs: (type, name) => {
        backupKey ??= makeBackupKey(root);
        if (name === "prosody-backup-key") return backupKey;
        return suiteTlsOutputs(tls)(type, name);
      },
    });
  const tlsFor = (name: string, validity?: { start: string; end: string }) => {
    const folder = join(root, name);
    mkdirSync(folder);
    return suiteTls(folder, planDeployment(stackSpec(stack(receiverUrl))).certificateNames, validity);
  };
  const replay = (run: TestedRun, resource: string, more: string[] = []) => {
    const inputs = byName(run, resource).clearInputs as unknown as ContainerInputs;
    const image = { "prosody-backup": BACKUP_IMAGE, "prosody-watchdog": WATCHDOG_IMAGE }[resource];
    const container = new ReplayedContainer(
      { ...inputs, envs: [...(inputs.envs ?? []), ...more] },
      join(root, "volumes"),
      join(root, `files-${(replayed += 1)}`),
      image,
    );
    containers.push(container);
    return container;
  };
  /** The watchdog's Slack-style posts' texts so far. */
  const watchdogTexts = () => posts.filter((post) => post.path === "/slack").map((post) => post.body.text ?? "");
  const firing = (alert: string) =>
    posts.some(
      (post) =>
        post.path === "/alertmanager" &&
        (post.body.alerts ?? []).some((entry) => entry.status === "firing" && entry.labels.alertname === alert),
    );
  /**
   * One run of the watchdog, as a scheduled task runs it, in the watchdog's container beside the one watching
   * (which checked at its start and waits an hour, the stack's everyMinutes here): both keep one state.
   */
  const watchdogOnce = (watchdog: ReplayedContainer) => watchdog.run([...WATCHDOG_ENTRYPOINT, WATCHDOG_COMMANDS.once]);

  it("tells of an expiring certificate and a missing backup once, then of each recovery; Prometheus fires from its metrics and when Prosody stops", async () => {
    const expiring = tlsFor("tls-expiring");
    const run = await deploy(expiring);
    const plan = planDeployment(stackSpec(stack(receiverUrl)));
    dns = await startDnsServer(PORTS_OF_THIS_TEST.dns, DOMAIN, plan.dns.records);
    const resolver = `WATCHDOG_RESOLVER=127.0.0.1:${PORTS_OF_THIS_TEST.dns}`;

    let prosody = replay(run, "prosody-server");
    await prosody.start();
    // The runner first: it makes the backups volume, as its image owns it.
    const backup = replay(run, "prosody-backup");
    const watchdog = replay(run, "prosody-watchdog", [resolver]);
    await watchdog.start([WATCHDOG_METRICS_PORT], 120_000);

    // The first check, at start: two problems, told once through the webhook and to the admin.
    const firstNotice = await until(
      "the watchdog's first notice",
      () => watchdogTexts().find((text) => text.includes("new problem")),
      120_000,
    );
    const lines = firstNotice.value.split("\n");
    assert.equal(lines[0], `*${DOMAIN}: 2 new problems*`, firstNotice.value);
    assert.match(lines[1] ?? "", /^WARN tls: certificate expiry: \d+ days left/);
    assert.match(lines[2] ?? "", /^FAIL backups: latest backup: no latest\.json/);
    assert.equal(lines.length, 3, `nothing else is wrong:\n${firstNotice.value}`);
    const password = (run.outputs.shownAdminPasswords as Record<string, string>)[ADMIN] ?? "";
    const admin = await login(DOMAIN, "admin", password);
    // The chat message follows the webhook's post (the channels are told in turn).
    await until(
      "the watchdog's chat message in the admin's archive",
      async () =>
        (await archivedBodies(admin, `watchdog@${DOMAIN}`)).find((body) =>
          body.startsWith(`${DOMAIN}: 2 new problems\nWARN tls: certificate expiry`),
        ),
      30_000,
    );

    // Prometheus with the stack's rules, scraping Prosody and the watchdog; Alertmanager to the receiver.
    alertmanager = await startAlertmanager(PORTS_OF_THIS_TEST.alertmanager, `${receiverUrl}/alertmanager`);
    prometheus = await startPrometheus(PORTS_OF_THIS_TEST.prometheus, {
      rules: withShortHold(renderPrometheusRules(plan), "ProsodyDown"),
      alertmanager: alertmanager.address,
      jobs: [
        { job: SCRAPE_JOBS.prosody, target: `127.0.0.1:${PORTS.http}` },
        { job: SCRAPE_JOBS.watchdog, target: `127.0.0.1:${WATCHDOG_METRICS_PORT}` },
      ],
    });
    const expiresSoon = await until(
      "ProsodyCertificateExpiresSoon at the receiver",
      () => (firing("ProsodyCertificateExpiresSoon") ? true : undefined),
      60_000,
    );

    // The dashboard's queries, with a client connected: each panel whose metrics this server has returns data.
    const answered: Record<string, number> = {};
    for (const panel of DASHBOARD_PANELS) {
      let series = 0;
      for (const query of panel.queries) series += (await prometheus.query(query.expr)).length;
      answered[panel.title] = series;
    }
    for (const title of [
      "Prosody up",
      "Client connections",
      "Upload storage",
      "Certificate days left",
      "Metrics collection time",
    ]) {
      const scraped = await fetch(`http://127.0.0.1:${PORTS.http}/metrics`).then((response) => response.text());
      assert.ok(
        (answered[title] ?? 0) > 0,
        `the dashboard's "${title}" returned no data: ${JSON.stringify(answered)}\n${scraped
          .split("\n")
          .filter((line) => line.includes("c2s"))
          .join("\n")}`,
      );
    }
    await admin.close();

    // A backup as the runner's schedule makes it: the watchdog tells that recovery, and what is still wrong.
    const made = await backup.run([...BACKUP_ENTRYPOINT, BACKUP_COMMANDS.once]);
    assert.equal(made.code, 0, made.output);
    const afterBackup = await watchdogOnce(watchdog);
    assert.equal(afterBackup.code, 1, afterBackup.output);
    const recovery = watchdogTexts().at(-1) ?? "";
    assert.equal(
      recovery,
      `*${DOMAIN}: 1 recovered, 1 still wrong*\nrecovered: backups: latest backup\nstill: ${lines[1]}`,
    );
    const quiet = await watchdogOnce(watchdog);
    assert.equal(watchdogTexts().at(-1), recovery, `nothing changed, nothing told:\n${quiet.output}`);

    // A renewed certificate, as a deploy hands it over: Prosody's container is replaced on the same volumes.
    const renewed = tlsFor("tls-renewed", { start: "20260101000000Z", end: "20300101000000Z" });
    const again = await deploy(renewed);
    await prosody.remove();
    prosody = replay(again, "prosody-server");
    await prosody.start();
    const allGood = await watchdogOnce(watchdog);
    assert.equal(allGood.code, 0, allGood.output);
    assert.equal(watchdogTexts().at(-1), `*${DOMAIN}: recovered, all good again*\nrecovered: tls: certificate expiry`);

    // Prosody's own resident memory, to weigh the watchdog's against (Prosody with a client or two).
    const prosodyPid = listenerPid(PORTS.c2s);
    assert.ok(prosodyPid !== undefined);
    const prosodyKiB = residentKiB(prosodyPid);

    // Prosody stops: the watchdog tells it at once, Prometheus after ProsodyDown's hold (shortened here).
    await prosody.remove();
    const stoppedAt = Date.now();
    const down = await watchdogOnce(watchdog);
    assert.equal(down.code, 1, down.output);
    assert.match(watchdogTexts().at(-1) ?? "", /new problems?\*\n(.*\n)*FAIL ports: /);
    const prosodyDown = await until(
      "ProsodyDown at the receiver",
      () => (firing("ProsodyDown") ? true : undefined),
      240_000,
    );
    const downSeconds = (Date.now() - stoppedAt) / 1000;

    // What the watchdog costs on the personal tier: its resident memory, watching (one process: the entrypoint execs Node).
    const pid = listenerPid(WATCHDOG_METRICS_PORT);
    assert.ok(pid !== undefined, "the watchdog serves its metrics");
    const rssKiB = residentKiB(pid);
    recordFigure("monitoring-docker", {
      title: "Monitoring: the watchdog, Prometheus and Alertmanager (Docker)",
      done: "The dev stack's Prosody, backup runner and watchdog containers are replayed with buildah; dnsmasq serves the plan's records; Debian's Prometheus scrapes Prosody and the watchdog with the rendered rules and Alertmanager posts to a receiver on loopback.",
      test: __filename,
      figures: {
        "watchdog notices (problem, recoveries, down)": watchdogTexts().length,
        "dashboard panels with data": `${Object.values(answered).filter((count) => count > 0).length} of ${DASHBOARD_PANELS.length}`,
      },
      // Times and memory differ from run to run.
      observed: {
        "ProsodyCertificateExpiresSoon at the receiver after Prometheus started (s)": expiresSoon.seconds.toFixed(1),
        [`ProsodyDown at the receiver after Prosody stopped (s, held ${SHORT_HOLD} here)`]: downSeconds.toFixed(1),
        "watchdog resident memory (MiB)": (rssKiB / 1024).toFixed(1),
        "Prosody's resident memory beside it (MiB)": (prosodyKiB / 1024).toFixed(1),
      },
    });
    assert.ok(prosodyDown.value);
  });
});
