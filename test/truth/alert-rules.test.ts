/**
 * The alert rules in Prometheus's own tool (Debian's `promtool`): every committed stack's rule file
 * passes `promtool check rules`, so does every query of the Grafana dashboard, and each rule fires on series that should fire it, with its labels
 * and annotations expanded as Alertmanager would receive them, and stays quiet on series that should
 * not (`promtool test rules`). A rule without both kinds of case fails the test.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { type AlertRule, alertRules, JOB_MATCHERS, SCRAPE_JOBS, WATCHDOG_METRICS } from "../../src/monitoring/alerts";
import { DASHBOARD_PANELS } from "../../src/monitoring/dashboard";
import { planDeployment } from "../../src/plan";
import { renderPrometheusRules } from "../../src/render";
import { readStackConfig, stackSpec } from "../../src/schema/stack-file";
import { checkReport } from "../../cli/check/report";
import { metricsText } from "../../watchdog/src/metrics";
import { afterCheck, EMPTY_STATE } from "../../watchdog/src/transitions";

const ROOT = join(__dirname, "..", "..");
const STACKS = ["dev", "prod", "k8s"];
const PROMTOOL = "promtool";

const { prosody, watchdog } = JOB_MATCHERS;
const instance = "prosody:5280";

interface Case {
  what: string;
  /** the evaluation step of the series (promtool's `interval`) */
  interval?: string;
  series: Record<string, string>;
  at: string;
  /** the alerts expected at `at`: their labels besides alertname and severity; none for a quiet case */
  fires: Record<string, string>[];
  /** what `{{ $value | humanizeDuration }}` (or another humanizer) becomes in a firing alert's annotations */
  humanized?: string;
}

/** Cases by alert: at least one that fires and one that stays quiet for every rule. */
const CASES: Record<string, Case[]> = {
  ProsodyDown: [
    {
      what: "down for 10 minutes",
      series: { [`up{${prosody},instance="${instance}"}`]: "0x10" },
      at: "5m",
      fires: [{ job: "prosody", instance }],
    },
    { what: "up", series: { [`up{${prosody},instance="${instance}"}`]: "1x10" }, at: "5m", fires: [] },
    {
      what: "one missed scrape",
      series: { [`up{${prosody},instance="${instance}"}`]: "1 1 0 1 1 1 1" },
      at: "5m",
      fires: [],
    },
  ],
  ProsodyNotScraped: [
    {
      what: "no target in the job",
      series: { 'up{job="node",instance="host:9100"}': "1x20" },
      at: "15m",
      fires: [{ job: "prosody" }],
    },
    {
      what: "a target, down or not",
      series: { [`up{${prosody},instance="${instance}"}`]: "0x20" },
      at: "15m",
      fires: [],
    },
  ],
  ProsodyClientsGone: [
    {
      what: "three sessions, then none",
      series: {
        [`prosody_mod_c2s__connections{${prosody},host="example.org",type="c2s",ip_family="ipv4"}`]: "3 3 3 3 3 0x15",
      },
      at: "15m",
      fires: [{}],
    },
    {
      what: "three sessions, then the series gone",
      series: {
        [`prosody_mod_c2s__connections{${prosody},host="example.org",type="c2s",ip_family="ipv4"}`]: "3 3 3 3 3 _x20",
      },
      at: "20m",
      fires: [{}],
    },
    {
      what: "never a session this hour",
      series: { [`prosody_mod_c2s__connections{${prosody},host="example.org",type="c2s",ip_family="ipv4"}`]: "0x20" },
      at: "15m",
      fires: [],
    },
    {
      what: "sessions all along",
      series: { [`prosody_mod_c2s__connections{${prosody},host="example.org",type="c2s",ip_family="ipv4"}`]: "3x20" },
      at: "15m",
      fires: [],
    },
  ],
  ProsodyServerToServerFailing: [
    {
      what: "every close an error",
      series: {
        [`prosody_mod_s2s__closed_total{${prosody},host="example.org",direction="outgoing",error="remote-server-not-found"}`]:
          "0+1x30",
        [`prosody_mod_s2s__closed_total{${prosody},host="example.org",direction="outgoing",error=":local-choice"}`]:
          "0x30",
      },
      at: "20m",
      fires: [{}],
    },
    {
      what: "errors among many clean closes",
      series: {
        [`prosody_mod_s2s__closed_total{${prosody},host="example.org",direction="outgoing",error="remote-server-not-found"}`]:
          "0+1x30",
        [`prosody_mod_s2s__closed_total{${prosody},host="example.org",direction="outgoing",error=":local-choice"}`]:
          "0+5x30",
      },
      at: "20m",
      fires: [],
    },
    {
      what: "a single error",
      series: {
        [`prosody_mod_s2s__closed_total{${prosody},host="example.org",direction="incoming",error="host-unknown"}`]:
          "0x10 1x20",
      },
      at: "20m",
      fires: [],
    },
  ],
  ProsodyServerCertificatesRefused: [
    {
      what: "most chains invalid",
      series: {
        [`prosody_mod_s2s_auth_certs__checked_total{${prosody},chain="invalid",identity="unknown"}`]: "0+1x70",
        [`prosody_mod_s2s_auth_certs__checked_total{${prosody},chain="valid",identity="valid"}`]: "0x70",
      },
      at: "65m",
      fires: [{}],
    },
    {
      what: "a few invalid among many valid",
      series: {
        [`prosody_mod_s2s_auth_certs__checked_total{${prosody},chain="invalid",identity="unknown"}`]: "0+1x70",
        [`prosody_mod_s2s_auth_certs__checked_total{${prosody},chain="valid",identity="valid"}`]: "0+10x70",
      },
      at: "65m",
      fires: [],
    },
  ],
  ProsodyFileDescriptorsNearLimit: [
    {
      what: "900 of 1024",
      series: {
        [`process_open_fds{${prosody},instance="${instance}"}`]: "900x10",
        [`process_max_fds{${prosody},instance="${instance}"}`]: "1024x10",
      },
      at: "8m",
      fires: [{ job: "prosody", instance }],
    },
    {
      what: "100 of 1024",
      series: {
        [`process_open_fds{${prosody},instance="${instance}"}`]: "100x10",
        [`process_max_fds{${prosody},instance="${instance}"}`]: "1024x10",
      },
      at: "8m",
      fires: [],
    },
  ],
  ProsodyCertificateExpiresSoon: [
    {
      what: "10 days left",
      series: { [`${WATCHDOG_METRICS.certificateExpiry}{${watchdog},host="example.org"}`]: `${10 * 86400}x5` },
      at: "1m",
      fires: [{ job: SCRAPE_JOBS.watchdog, host: "example.org" }],
      humanized: "9d 23h 59m 0s",
    },
    {
      what: "60 days left",
      series: { [`${WATCHDOG_METRICS.certificateExpiry}{${watchdog},host="example.org"}`]: `${60 * 86400}x5` },
      at: "1m",
      fires: [],
    },
  ],
  ProsodyUploadStorageNearQuota: [
    {
      what: "950 MiB of a 1 GiB quota for 20 minutes",
      series: {
        [`prosody_mod_http_file_share__total_storage_bytes{${prosody},host="share.localhost"}`]: `${950 * 1024 ** 2}x25`,
      },
      at: "20m",
      fires: [{}],
      humanized: "950Mi",
    },
    {
      what: "500 MiB of a 1 GiB quota",
      series: {
        [`prosody_mod_http_file_share__total_storage_bytes{${prosody},host="share.localhost"}`]: `${500 * 1024 ** 2}x25`,
      },
      at: "20m",
      fires: [],
    },
  ],
  ProsodyBackupStale: [
    {
      what: "no good backup for 3 days of a daily schedule",
      interval: "1h",
      series: { [`${WATCHDOG_METRICS.lastGoodBackup}{${watchdog}}`]: "0x80" },
      at: "72h",
      fires: [{ job: SCRAPE_JOBS.watchdog }],
      humanized: "3d 0h 0m 0s",
    },
    {
      what: "a good backup every hour",
      interval: "1h",
      series: { [`${WATCHDOG_METRICS.lastGoodBackup}{${watchdog}}`]: "0+3600x80" },
      at: "72h",
      fires: [],
    },
  ],
};

/** An annotation as Prometheus expands it for an alert with these labels. */
function expand(text: string, labels: Record<string, string>, humanized = ""): string {
  return text
    .replace(/\{\{ \$labels\.(\w+) \}\}/g, (_, name: string) => labels[name] ?? "")
    .replace(/\{\{ \$value \| \w+ \}\}/g, humanized);
}

function promtoolTest(rule: AlertRule, item: Case) {
  return {
    interval: item.interval ?? "1m",
    input_series: Object.entries(item.series).map(([series, values]) => ({ series, values })),
    alert_rule_test: [
      {
        eval_time: item.at,
        alertname: rule.alert,
        exp_alerts: item.fires.map((labels) => ({
          exp_labels: { ...labels, severity: rule.severity },
          exp_annotations: {
            summary: expand(rule.summary, labels),
            description: expand(rule.description, labels, item.humanized),
          },
        })),
      },
    ],
  };
}

describe("alert rules in promtool", function () {
  let folder: string;
  before(() => {
    const found = spawnSync(PROMTOOL, ["--version"], { encoding: "utf8" });
    assert.equal(
      found.status,
      0,
      `${PROMTOOL} is missing: install Debian's prometheus package (scripts/install-e2e-deps.sh)`,
    );
    folder = mkdtempSync(join(tmpdir(), "alert-rules-"));
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  for (const stack of STACKS) {
    it(`the ${stack} stack's rule file passes promtool check rules`, () => {
      const file = join(folder, `${stack}.yml`);
      writeFileSync(file, renderPrometheusRules(planDeployment(stackSpec(readStackConfig(stack, ROOT)))));
      const checked = spawnSync(PROMTOOL, ["check", "rules", file], { encoding: "utf8" });
      assert.equal(checked.status, 0, checked.stdout + checked.stderr);
    });
  }

  it("parses every query of the Grafana dashboard (as recording rules, in promtool check rules)", () => {
    const rules = DASHBOARD_PANELS.flatMap((panel, index) =>
      panel.queries.map((query, position) => ({ record: `dashboard:panel_${index}_${position}`, expr: query.expr })),
    );
    const file = join(folder, "dashboard.yml");
    writeFileSync(file, stringify({ groups: [{ name: "dashboard", rules }] }));
    const checked = spawnSync(PROMTOOL, ["check", "rules", file], { encoding: "utf8" });
    assert.equal(checked.status, 0, checked.stdout + checked.stderr);
    assert.match(checked.stdout, new RegExp(`SUCCESS: ${rules.length} rules found`));
  });

  it("reads the watchdog's metrics as an exposition Prometheus accepts (promtool check metrics)", () => {
    const { state } = afterCheck(
      EMPTY_STATE,
      checkReport("chat.example.org", "192.0.2.10", [
        { group: "tls", name: "certificate expiry", status: "pass", detail: "", timestamp: "2027-03-01T00:00:00Z" },
        { group: "backups", name: "latest backup", status: "pass", detail: "", timestamp: "2026-12-07T03:00:00Z" },
      ]),
      new Date("2026-12-07T10:00:00Z"),
      "never",
    );
    const checked = metricsText("chat.example.org", state);
    for (const name of Object.values(WATCHDOG_METRICS)) assert.match(checked, new RegExp(`^${name}\\{`, "m"));
    const linted = spawnSync(PROMTOOL, ["check", "metrics"], { input: checked, encoding: "utf8" });
    assert.equal(linted.status, 0, linted.stdout + linted.stderr);
  });

  it("fires each rule on series that should fire it, and on no others (promtool test rules)", () => {
    // The dev stack with an upload quota, so every rule there is is here.
    const dev = readStackConfig("dev", ROOT);
    const upload = (dev.values["prosody:upload"] as Record<string, unknown> | undefined) ?? {};
    const withQuota = { ...dev, values: { ...dev.values, "prosody:upload": { ...upload, totalQuota: 1024 ** 3 } } };
    const plan = planDeployment(stackSpec(withQuota));
    const rules = alertRules(plan);
    for (const rule of rules) {
      const cases = CASES[rule.alert] ?? [];
      assert.ok(
        cases.some((item) => item.fires.length > 0),
        `${rule.alert} has no case that fires it`,
      );
      assert.ok(
        cases.some((item) => item.fires.length === 0),
        `${rule.alert} has no case that keeps it quiet`,
      );
    }
    assert.deepEqual(
      Object.keys(CASES).sort(),
      rules.map((rule) => rule.alert).sort(),
      "a case for no rule the plan has",
    );
    writeFileSync(join(folder, "rules.yml"), renderPrometheusRules(plan));
    const tests = rules.flatMap((rule) => (CASES[rule.alert] ?? []).map((item) => promtoolTest(rule, item)));
    writeFileSync(
      join(folder, "tests.yml"),
      stringify({ rule_files: ["rules.yml"], evaluation_interval: "1m", tests }),
    );
    const result = spawnSync(PROMTOOL, ["test", "rules", "tests.yml"], { cwd: folder, encoding: "utf8" });
    assert.equal(result.status, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /SUCCESS/);
  });
});
