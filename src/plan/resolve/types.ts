/** The resolver's vocabulary: what it is asked, what it gives back, and what passes between its steps. */
import type { ConditionName, ModuleRecord, Placement, ProsodyVersion } from "../../catalog";
import type { Problem } from "../../../common/problems";
import type { DeploymentFact, Level, Suite } from "../../catalog/compliance-suites";
import type { Tier, Toggles } from "../../catalog/tiers";
import type { Availability } from "../availability";

export const DEFAULT_CONDITIONS: Readonly<Record<ConditionName, boolean>> = {
  openRegistration: false,
  inviteOnlyRegistration: true,
  externalUploads: false,
  dane: false,
};

/** ProsodyStack always opens direct TLS on 5223; TURN needs a TURN server the spec names. */
export const DEFAULT_FACTS: Readonly<Record<DeploymentFact, boolean>> = { directTls: true, turn: false };

export interface ResolveContext {
  conditions?: Partial<Record<ConditionName, boolean>>;
  facts?: Partial<Record<DeploymentFact, boolean>>;
  /** modules a deployment setting needs (e.g. turn_external when a TURN host is given) */
  settingModules?: readonly { name: string; reason: string }[];
}

/** How a module came to be in the set, strongest first. */
export const VIAS = ["explicit", "essential", "setting", "baseline", "tier", "toggle", "dependency"] as const;
export type Via = (typeof VIAS)[number];

export interface ResolvedModule {
  name: string;
  section: Placement;
  source: "core" | "community";
  stability: "stable" | "beta" | "alpha";
  install: "prosody" | "debian" | "rocks";
  category: ModuleRecord["category"];
  via: Via;
  /** e.g. "toggle modern", "dependency of muc" */
  reason: string;
  /** modules in the same section that depend on this one */
  requiredBy: string[];
}

export interface ResolvedSection {
  id: Placement;
  modules: ResolvedModule[];
  /** autoloaded modules switched off with modules_disabled */
  disabled: string[];
}

export interface SkippedModule {
  name: string;
  /** what asked for it, e.g. "toggle modern" */
  requestedBy: string;
  reason: string;
}

export interface SoftDependencyNote {
  module: string;
  wants: string;
  note?: string;
}

export interface Resolution {
  prosodyVersion: ProsodyVersion;
  tier: Tier;
  toggles: Toggles;
  sections: ResolvedSection[];
  skipped: SkippedModule[];
  warnings: string[];
  softDependencies: SoftDependencyNote[];
  profile: StabilityProfile;
  compliance: ComplianceReport;
}

/** One module something asked for: the baseline, a setting, the tier, a toggle or modules.add. */
export interface Request {
  name: string;
  via: Exclude<Via, "dependency">;
  reason: string;
  /** set for modules.add entries */
  field?: string;
  placement?: Placement;
}

/** One module of a request's dependency closure, where it loads and who needs it. */
export interface ClosureNode {
  record: ModuleRecord;
  section: Placement;
  dependent?: string;
  available: Extract<Availability, { ok: true }>;
}

/** What the resolver is working with: the version, the toggles and the deployment's conditions. */
export interface Setting {
  version: ProsodyVersion;
  toggles: Toggles;
  conditions: Readonly<Record<ConditionName, boolean>>;
}

/** modules.remove, read: each removed module with the field that removed it. */
export type Removals = ReadonlyMap<string, string>;

/** Everything that goes wrong or is noteworthy, collected by every step in order. */
export interface Findings {
  problems: Problem[];
  warnings: string[];
  skipped: SkippedModule[];
}

/** Counts of the resolved modules by source and stability: the "stability profile". */
export interface StabilityProfile {
  total: number;
  core: number;
  community: { stable: number; beta: number; alpha: number };
  /** e.g. "34 modules: core 31, community stable 1, beta 2, alpha 0" */
  summary: string;
}

/** One XEP-0479 requirement: met, and by what, or how to meet it. */
export interface RequirementResult {
  suite: Suite;
  feature: string;
  specs: readonly string[];
  levels: readonly Level[];
  met: boolean;
  /** what provides it, when met */
  providedBy?: string;
  /** how to meet it, when not */
  howToMeet?: string;
}

export interface LevelResult {
  met: boolean;
  missing: string[];
}

export interface SuiteResult {
  suite: Suite;
  server: LevelResult;
  advanced: LevelResult;
}

export interface ComplianceReport {
  suites: SuiteResult[];
  requirements: RequirementResult[];
}
