/**
 * The resolver: from a tier, toggles and add/remove lists to the exact modules
 * of every section (global, virtual hosts, components) for one Prosody version.
 * Pure and deterministic. Every module carries the reason it is there; every
 * module a tier or toggle names but cannot have is reported as skipped, with why.
 *
 * The steps, each a file of this folder: requests (what is asked and removed),
 * closure (a module with its dependencies), admission (each request in, skipped
 * or refused), placement (what removals mean, absent components), conflicts, report.
 */
import { ProblemError } from "../../../common/problems";
import type { ModulesSpec } from "../../schema/modules-spec";
import { checkCompliance } from "./compliance";
import { stabilityProfile } from "./profile";
import { admitRequests } from "./admission";
import { cautionWarnings, exclusionProblems } from "./conflicts";
import { disabledModules, dropOnAbsentComponents, removalProblems } from "./placement";
import { missingSoftDependencies, sectionsOf } from "./report";
import { effectiveToggles, readRemovals, requestsFor } from "./requests";
import { DEFAULT_CONDITIONS, DEFAULT_FACTS, type Findings, type Resolution, type ResolveContext } from "./types";

export {
  DEFAULT_CONDITIONS,
  DEFAULT_FACTS,
  type ComplianceReport,
  type LevelResult,
  type RequirementResult,
  type Resolution,
  type ResolveContext,
  type ResolvedModule,
  type ResolvedSection,
  type SkippedModule,
  type SoftDependencyNote,
  type StabilityProfile,
  type SuiteResult,
  type Via,
  VIAS,
} from "./types";
export { checkCompliance } from "./compliance";
export { stabilityProfile } from "./profile";
export { effectiveToggles } from "./requests";

export function resolveModules(spec: ModulesSpec, context: ResolveContext = {}): Resolution {
  const setting = {
    version: spec.prosodyVersion,
    toggles: effectiveToggles(spec),
    conditions: { ...DEFAULT_CONDITIONS, ...context.conditions },
  };
  const findings: Findings = { problems: [], warnings: [], skipped: [] };

  const removals = readRemovals(spec, findings);
  const admission = admitRequests(requestsFor(spec, setting.toggles, context), setting, removals, findings);
  removalProblems(admission, removals, findings);
  const disabled = disabledModules(admission, removals, setting.version, findings);
  dropOnAbsentComponents(admission, findings);
  exclusionProblems(admission, findings);
  const names = new Set([...admission.entries.values()].map((entry) => entry.name));
  cautionWarnings(names, setting.version, findings);
  if (findings.problems.length > 0)
    throw new ProblemError(findings.problems, "the module selection cannot be resolved");

  const sections = sectionsOf(admission, disabled);
  const facts = { ...DEFAULT_FACTS, ...context.facts };
  return {
    prosodyVersion: setting.version,
    tier: spec.tier,
    toggles: setting.toggles,
    sections,
    skipped: findings.skipped,
    warnings: findings.warnings,
    softDependencies: missingSoftDependencies(names, setting.version),
    profile: stabilityProfile(sections),
    compliance: checkCompliance(sections, findings.skipped, facts, setting.version),
  };
}
