/**
 * @prosodystack/pulumi/offline: what a spec becomes, with no Pulumi, no cloud
 * and no credentials. Validate a spec, plan the server (the modules resolved
 * for the Prosody version, hosts, listeners, storage, uploads, DNS records,
 * certificate names, the XEP-0479 report), render its files, and read the
 * module catalog; `prosody-stack` is built on the same functions. What users
 * may rely on, chosen on purpose: test/unit/public-api.test.ts pins this list.
 */

// The spec: validated, every refusal a ProblemError naming the field, the value and the fix.
export { parseDeploymentSpec, parseModulesSpec } from "./src/schema";
export type { DeploymentSpec } from "./src/schema/deployment-spec";
export type { ModulesSpec, ModulesSpecInput } from "./src/schema/modules-spec";
export type { DeploymentSpecInput } from "./src/schema/spec-input";
export { formatProblem, type Problem, ProblemError } from "./common/problems";

// The plan, and the module resolution inside it.
export { planDeployment } from "./src/plan/plan-deployment";
export type * from "./src/plan/types";
export { resolveModules } from "./src/plan/resolve";
export type {
  ComplianceReport,
  LevelResult,
  RequirementResult,
  Resolution,
  ResolveContext,
  ResolvedModule,
  ResolvedSection,
  SkippedModule,
  SoftDependencyNote,
  StabilityProfile,
  SuiteResult,
  Via,
} from "./src/plan/resolve/types";

// The files a plan renders: prosody.cfg.lua, environment.txt, dns.zone, compliance.txt.
export { renderArtifacts } from "./src/render";

// The catalog: every module's facts, the tiers and toggles, the compliance suites, the platforms.
export { findModule, MODULES } from "./src/catalog";
export type {
  Category,
  ComponentKind,
  ConditionName,
  Dependency,
  InstallFrom,
  ModuleKind,
  ModuleRecord,
  OptionDoc,
  Placement,
  ProsodyVersion,
  Stability,
  VersionEntry,
} from "./src/catalog/types";
export { PROSODY_VERSIONS } from "./src/catalog/types";
export {
  TIER_DEFINITIONS,
  type TierDefinition,
  TIERS,
  type Tier,
  type Toggle,
  type Toggles,
  TOGGLES,
} from "./src/catalog/tiers";
export { type Level, LEVELS, type Suite, SUITES } from "./src/catalog/compliance-suites";
export { type Platform, PLATFORMS } from "./src/catalog/platforms";
