/** Plain-text views of a resolution, a catalog record and a compliance report, for people. */
import {
  ALIASES,
  EXCLUSION_GROUPS,
  type ModuleRecord,
  PROSODY_VERSIONS,
  type Placement,
  type ProsodyVersion,
} from "../catalog";
import { BASELINE, TIER_DEFINITIONS, TIERS, togglesBringing } from "../catalog/tiers";
import type { ComplianceReport, Resolution } from "../plan";

export const SECTION_TITLES: Record<Placement, string> = {
  global: "global section",
  host: "every virtual host",
  muc: "MUC component (groups.)",
  upload: "upload component (share.)",
  proxy65: "SOCKS5 proxy component (proxy.)",
  pubsub: "pubsub component",
};

const onOff = (value: boolean) => (value ? "on" : "off");

export function resolutionText(resolution: Resolution): string {
  const lines: string[] = [];
  const toggles = Object.entries(resolution.toggles)
    .map(([name, value]) => `${name} ${onOff(value)}`)
    .join(", ");
  lines.push(`Tier ${resolution.tier} on Prosody ${resolution.prosodyVersion} (${toggles})`);
  lines.push(`Stability profile: ${resolution.profile.summary}`);
  for (const section of resolution.sections) {
    lines.push("", `${SECTION_TITLES[section.id]}:`);
    const width = Math.max(...section.modules.map((module) => module.name.length), 4);
    for (const module of section.modules) {
      const origin = module.source === "core" ? "core" : `community ${module.stability}`;
      const install = module.install === "rocks" ? ", from rocks" : "";
      lines.push(`  ${module.name.padEnd(width)}  ${`${origin}${install}`.padEnd(26)}  ${module.reason}`);
    }
    if (section.disabled.length > 0) lines.push(`  modules_disabled: ${section.disabled.join(", ")}`);
  }
  if (resolution.skipped.length > 0) {
    lines.push("", "Skipped (asked for by the tier or a toggle, but not loaded):");
    for (const skip of resolution.skipped) lines.push(`  ${skip.name} (${skip.requestedBy}): ${skip.reason}`);
  }
  if (resolution.softDependencies.length > 0) {
    lines.push("", "Works better with (not added):");
    for (const soft of resolution.softDependencies) {
      lines.push(`  ${soft.module} → ${soft.wants}${soft.note ? ` (${soft.note})` : ""}`);
    }
  }
  if (resolution.warnings.length > 0) {
    lines.push("", "Warnings:");
    for (const warning of resolution.warnings) lines.push(`  ${warning}`);
  }
  lines.push("", complianceSummaryLine(resolution.compliance));
  return lines.join("\n");
}

const mark = (met: boolean) => (met ? "met" : "not met");

export function complianceSummaryLine(report: ComplianceReport): string {
  return `XEP-0479: ${report.suites
    .map((suite) => `${suite.suite} ${suite.advanced.met ? "advanced" : suite.server.met ? "server" : "none"}`)
    .join(", ")}`;
}

export function complianceText(resolution: Resolution): string {
  const lines = [`XEP-0479 compliance for tier ${resolution.tier} on Prosody ${resolution.prosodyVersion}`];
  for (const suite of resolution.compliance.suites) {
    lines.push("", `${suite.suite}: server ${mark(suite.server.met)}, advanced ${mark(suite.advanced.met)}`);
    for (const result of resolution.compliance.requirements.filter((r) => r.suite === suite.suite)) {
      const level = result.levels.includes("server") ? "server+advanced" : "advanced";
      lines.push(
        result.met
          ? `  ✓ ${result.feature} (${result.specs.join(", ")}; ${level}): ${result.providedBy}`
          : `  ✗ ${result.feature} (${result.specs.join(", ")}; ${level}): ${result.howToMeet}`,
      );
    }
  }
  return lines.join("\n");
}

export function explainText(record: ModuleRecord, versions: readonly ProsodyVersion[] = PROSODY_VERSIONS): string {
  const lines = [`${record.name}: ${record.summary}`, `  category: ${record.category}; kind: ${record.kind}`];
  if (record.xeps.length > 0) lines.push(`  implements: ${record.xeps.join(", ")}`);
  for (const version of versions) {
    const entry = record.versions[version];
    if (entry.source === "absent") {
      lines.push(`  Prosody ${version}: not available${entry.note ? ` (${entry.note})` : ""}`);
      continue;
    }
    const install = { prosody: "in the prosody package", debian: "Debian prosody-modules", rocks: "rocks server" }[
      entry.install
    ];
    const parts = [`${entry.source}`, entry.stability, install];
    if (entry.autoload) parts.push("autoloaded on every host");
    lines.push(`  Prosody ${version}: ${parts.join(", ")}`);
    if (entry.excluded) {
      const instead = entry.excluded.replacement ? `; use ${entry.excluded.replacement}` : "";
      lines.push(`    excluded: ${entry.excluded.reason}${instead}`);
    }
  }
  lines.push(`  loads on: ${record.placement.map((p) => SECTION_TITLES[p]).join(", ")}`);
  const dependencyText = (d: ModuleRecord["depends"][number]) =>
    [
      d.module,
      d.versions ? `on ${d.versions.join(", ")} only` : "",
      d.when ? `when ${d.when}` : "",
      d.unless ? `unless ${d.unless}` : "",
      d.note ?? "",
    ]
      .filter(Boolean)
      .join(" — ");
  if (record.depends.length > 0) lines.push(`  depends on: ${record.depends.map(dependencyText).join("; ")}`);
  if (record.softDepends.length > 0)
    lines.push(`  works better with: ${record.softDepends.map(dependencyText).join("; ")}`);
  for (const group of EXCLUSION_GROUPS.filter((g) => g.alternatives.some((a) => a.includes(record.name)))) {
    lines.push(
      `  never together with: ${group.alternatives
        .filter((a) => !a.includes(record.name))
        .map((a) => a.join(" + "))
        .join(", ")} (${group.why})`,
    );
  }
  if (record.options.length > 0) {
    lines.push("  options:");
    for (const option of record.options)
      lines.push(`    ${option.name}${option.required ? " (required)" : ""}: ${option.doc}`);
  }
  if (record.systemPackages) lines.push(`  needs Debian packages: ${record.systemPackages.join(", ")}`);
  if (record.uncertain) lines.push(`  unsure: ${record.uncertain}`);
  const usedBy = [
    ...(BASELINE.includes(record.name) ? ["every tier"] : []),
    ...TIERS.filter((tier) => TIER_DEFINITIONS[tier].modules.includes(record.name)).map((tier) => `tier ${tier}`),
    ...togglesBringing(record.name).map((toggle) => `toggle ${toggle}`),
  ];
  if (usedBy.length > 0) lines.push(`  brought by: ${usedBy.join(", ")}`);
  const aliases = ALIASES.filter((alias) => alias.replacement === record.name).map((alias) => alias.name);
  if (aliases.length > 0) lines.push(`  also asked for as: ${aliases.join(", ")}`);
  return lines.join("\n");
}
