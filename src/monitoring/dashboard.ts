/**
 * A Grafana dashboard for the metrics the alert rules watch (src/monitoring/alerts.ts): panels as
 * data, each a PromQL query over the same scrape jobs, laid out two to a row. `prosody-stack render
 * --out` writes it as grafana-dashboard.json, for Grafana's "Import dashboard"; it asks for the
 * Prometheus data source on import. test/truth/alert-rules.test.ts parses every query with promtool.
 */
import { JOB_MATCHERS, WATCHDOG_METRICS } from "./alerts";

export interface DashboardPanel {
  title: string;
  /** PromQL; `legend` names each series from its labels, Grafana's {{label}} syntax */
  queries: readonly { expr: string; legend: string }[];
  unit: "none" | "bytes" | "s" | "d" | "percentunit" | "ops";
  description: string;
}

const { prosody, watchdog } = JOB_MATCHERS;

export const DASHBOARD_PANELS: readonly DashboardPanel[] = [
  {
    title: "Prosody up",
    queries: [{ expr: `up{${prosody}}`, legend: "{{instance}}" }],
    unit: "none",
    description: "1 while Prosody answers its scrape (ProsodyDown fires after 2 minutes at 0).",
  },
  {
    title: "Client connections",
    queries: [{ expr: `sum by (host, type) (prosody_mod_c2s__connections{${prosody}})`, legend: "{{host}} {{type}}" }],
    unit: "none",
    description: "Established client sessions by virtual host and transport.",
  },
  {
    title: "Server-to-server connections",
    queries: [
      { expr: `sum by (host) (prosody_mod_s2s__connections_inbound{${prosody}})`, legend: "{{host}} inbound" },
      { expr: `sum by (host) (prosody_mod_s2s__connections_outbound{${prosody}})`, legend: "{{host}} outbound" },
    ],
    unit: "none",
    description: "Established federation streams, both directions.",
  },
  {
    title: "Server-to-server closes with an error",
    queries: [
      {
        expr: `sum by (error) (rate(prosody_mod_s2s__closed_total{${prosody},error!~":.*"}[5m]))`,
        legend: "{{error}}",
      },
    ],
    unit: "ops",
    description: "Federation streams ended by a stream error, per second, by condition.",
  },
  {
    title: "Remote certificates checked",
    queries: [
      {
        expr: `sum by (chain, identity) (rate(prosody_mod_s2s_auth_certs__checked_total{${prosody}}[5m]))`,
        legend: "chain {{chain}}, identity {{identity}}",
      },
    ],
    unit: "ops",
    description: "Validation results of the certificates remote servers present.",
  },
  {
    title: "Stream management sessions started",
    queries: [{ expr: `sum(rate(prosody_mod_smacks__sessions_started_total{${prosody}}[5m]))`, legend: "started" }],
    unit: "ops",
    description: "Sessions that enabled XEP-0198 stream management, per second.",
  },
  {
    title: "Group chats in memory",
    queries: [{ expr: `sum by (host) (prosody_mod_muc__live_room{${prosody}})`, legend: "{{host}}" }],
    unit: "none",
    description: "Rooms loaded on each MUC host.",
  },
  {
    title: "Upload storage",
    queries: [
      { expr: `sum by (host) (prosody_mod_http_file_share__total_storage_bytes{${prosody}})`, legend: "{{host}}" },
    ],
    unit: "bytes",
    description: "Bytes of shared files kept by http_file_share (uploads to S3 are the bucket's).",
  },
  {
    title: "File descriptors in use",
    queries: [{ expr: `process_open_fds{${prosody}} / process_max_fds{${prosody}}`, legend: "{{instance}}" }],
    unit: "percentunit",
    description: "Open descriptors against the limit (ProsodyFileDescriptorsNearLimit fires above 80%).",
  },
  {
    title: "Certificate days left",
    queries: [{ expr: `(${WATCHDOG_METRICS.certificateExpiry}{${watchdog}} - time()) / 86400`, legend: "{{host}}" }],
    unit: "d",
    description: "Days until the served certificate expires, as the watchdog reads it.",
  },
  {
    title: "Age of the last good backup",
    queries: [{ expr: `time() - ${WATCHDOG_METRICS.lastGoodBackup}{${watchdog}}`, legend: "last good backup" }],
    unit: "s",
    description: "Time since the backup runner's last success.",
  },
  {
    title: "Metrics collection time",
    queries: [
      {
        expr: `histogram_quantile(0.95, sum by (le) (rate(prosody_stats_collection_seconds_bucket{${prosody}}[5m])))`,
        legend: "p95",
      },
    ],
    unit: "s",
    description: "How long Prosody takes to gather its statistics: a busy main loop shows here first.",
  },
];

const PANEL_WIDTH = 12;
const PANEL_HEIGHT = 8;

/** The dashboard as Grafana's JSON model (schemaVersion 39), with the data source chosen on import. */
export function grafanaDashboard(): Record<string, unknown> {
  const datasource = { type: "prometheus", uid: "${DS_PROMETHEUS}" };
  return {
    __inputs: [
      {
        name: "DS_PROMETHEUS",
        label: "Prometheus",
        type: "datasource",
        pluginId: "prometheus",
        pluginName: "Prometheus",
      },
    ],
    title: "Prosody (ProsodyStack)",
    uid: "prosody-stack",
    tags: ["xmpp", "prosody"],
    schemaVersion: 39,
    time: { from: "now-24h", to: "now" },
    refresh: "1m",
    panels: DASHBOARD_PANELS.map((panel, index) => ({
      id: index + 1,
      type: "timeseries",
      title: panel.title,
      description: panel.description,
      datasource,
      gridPos: {
        x: (index % 2) * PANEL_WIDTH,
        y: Math.floor(index / 2) * PANEL_HEIGHT,
        w: PANEL_WIDTH,
        h: PANEL_HEIGHT,
      },
      fieldConfig: { defaults: { unit: panel.unit }, overrides: [] },
      targets: panel.queries.map((query, position) => ({
        refId: String.fromCharCode(65 + position),
        datasource,
        expr: query.expr,
        legendFormat: query.legend,
      })),
    })),
  };
}
