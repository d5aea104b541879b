/**
 * Whether a module can load on a Prosody version, and what a deployment must
 * accept to get it: a stability gate, or an install from the rocks server.
 */
import { type ModuleRecord, type ProsodyVersion, type Stability, PROSODY_VERSIONS } from "../catalog";
import type { Toggles } from "../catalog/tiers";

export type Availability =
  | {
      ok: true;
      source: "core" | "community";
      stability: Stability;
      install: "prosody" | "debian" | "rocks";
      autoload: boolean;
    }
  | { ok: false; why: string; fix: string };

function otherVersionsText(record: ModuleRecord, version: ProsodyVersion): string {
  const others = PROSODY_VERSIONS.filter((v) => v !== version).flatMap((v) => {
    const entry = record.versions[v];
    return entry.source === "absent" || entry.excluded ? [] : [`Prosody ${v} (${entry.source})`];
  });
  return others.length > 0 ? `it is available on ${others.join(" and ")}` : "no supported Prosody version offers it";
}

export function availability(record: ModuleRecord, version: ProsodyVersion): Availability {
  const entry = record.versions[version];
  if (entry.source === "absent") {
    const note = entry.note ? ` (${entry.note})` : "";
    return {
      ok: false,
      why: `${record.name} is not available on Prosody ${version}${note}`,
      fix: `${otherVersionsText(record, version)}; set prosodyVersion accordingly or drop ${record.name}`,
    };
  }
  if (entry.excluded) {
    const instead = entry.excluded.replacement
      ? `use "${entry.excluded.replacement}" instead`
      : `drop ${record.name}; ${otherVersionsText(record, version)}`;
    return {
      ok: false,
      why: `${record.name} is excluded on Prosody ${version}: ${entry.excluded.reason}`,
      fix: instead,
    };
  }
  return {
    ok: true,
    source: entry.source,
    stability: entry.stability,
    install: entry.install,
    autoload: entry.autoload === true,
  };
}

/** The toggle that must be on for a stability to arrive without being named explicitly. */
export const gateFor = (stability: Stability): "beta" | "alpha" | undefined =>
  stability === "stable" ? undefined : stability;

export const gateOpen = (stability: Stability, toggles: Toggles): boolean => {
  const gate = gateFor(stability);
  return gate === undefined || toggles[gate];
};
