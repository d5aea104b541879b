/**
 * The configurations the served-load benchmark compares, all on our image's
 * Prosody 13: Debian's stock prosody.cfg.lua (as shipped in the image, changed
 * only where any deployer must: host, ports, certificates, log), and our tiers
 * as `prosody-stack render` writes them, with SQLite and with PostgreSQL.
 */
import type { TIERS } from "../../src/catalog/tiers";
import type { DeploymentSpecInput } from "../../src/schema";

type Tier = (typeof TIERS)[number];
type Storage = NonNullable<DeploymentSpecInput["storage"]>;

export const DOMAIN = "load.bench.test";

export interface TierConfig {
  name: string;
  kind: "tier";
  tier: Tier;
  storage: Storage;
}
export interface StockConfig {
  name: "stock";
  kind: "stock";
}
export type BenchConfig = StockConfig | TierConfig;

const tier = (tierName: Tier, storage: Storage): TierConfig => ({
  name: `${tierName}-${storage}`,
  kind: "tier",
  tier: tierName,
  storage,
});

export const CONFIGS: readonly BenchConfig[] = [
  { name: "stock", kind: "stock" },
  tier("personal", "sqlite"),
  tier("personal", "postgresql"),
  tier("community", "postgresql"),
  tier("enterprise", "postgresql"),
];

/**
 * Debian's stock file with the deployer's unavoidable edits: the host it
 * serves, loopback ports, where the certificate is, and logging to the console.
 * Debian's own certificates and log lines give way to these; everything else
 * (modules, storage, limits) is left as Debian ships it.
 */
export function stockConfig(stock: string, ports: { c2s: number; c2sDirectTls: number; s2s: number }): string {
  const firstHost = stock.search(/^VirtualHost\s/m);
  if (firstHost < 0) throw new Error("Debian's prosody.cfg.lua has no VirtualHost line to replace");
  const globals = [
    "-- served-load benchmark: host, ports, certificates and log; the rest is Debian's",
    'interfaces = { "127.0.0.1" }',
    `c2s_ports = { ${ports.c2s} }`,
    `c2s_direct_tls_ports = { ${ports.c2sDirectTls} }`,
    `s2s_ports = { ${ports.s2s} }`,
    'certificates = "/etc/prosody/certs"',
    'log = { info = "*console" }',
    "",
  ].join("\n");
  const head = stock
    .slice(0, firstHost)
    .replace(/^certificates\s*=.*$/m, "")
    .replace(/^log\s*=\s*\{[\s\S]*?^\}/m, "");
  const hosts = stock.slice(firstHost).replace(/^VirtualHost\s+"[^"]*"/m, `VirtualHost "${DOMAIN}"`);
  return `${head}${globals}\n${hosts}`;
}
