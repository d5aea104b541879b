/**
 * The XEP-0479 report: for every suite and level, met or not, and for what is
 * missing, the module or setting that would meet it and how to get it.
 */
import { findModule, type Placement, type ProsodyVersion } from "../../catalog";
import {
  DEPLOYMENT_FACTS,
  type DeploymentFact,
  type Level,
  type Provision,
  REQUIREMENTS,
  SUITES,
} from "../../catalog/compliance-suites";
import { togglesBringing } from "../../catalog/tiers";
import { availability } from "../availability";
import type {
  ComplianceReport,
  LevelResult,
  RequirementResult,
  ResolvedSection,
  SkippedModule,
  SuiteResult,
} from "./types";

const describe = (provision: Provision): string =>
  "module" in provision
    ? provision.on && provision.on !== "host"
      ? `${provision.module} on the ${provision.on} component`
      : provision.module
    : "fact" in provision
      ? DEPLOYMENT_FACTS[provision.fact]
      : provision.builtin;

function howToGetModule(name: string, version: ProsodyVersion, skipped: readonly SkippedModule[]): string {
  const record = findModule(name);
  if (record === undefined) return `add ${name}`;
  const available = availability(record, version);
  if (!available.ok) return available.why;
  const skip = skipped.find((entry) => entry.name === name);
  if (skip) return `${name} was skipped: ${skip.reason}`;
  const [toggle] = togglesBringing(name);
  return toggle ? `turn on the ${toggle} toggle (it brings ${name})` : `add ${name} to modules.add`;
}

export function checkCompliance(
  sections: readonly ResolvedSection[],
  skipped: readonly SkippedModule[],
  facts: Readonly<Record<DeploymentFact, boolean>>,
  version: ProsodyVersion,
): ComplianceReport {
  const present = (name: string, on: Placement | undefined): boolean => {
    const where = on ?? findModule(name)?.placement[0] ?? "host";
    return sections.some((section) => section.id === where && section.modules.some((module) => module.name === name));
  };
  const holds = (provision: Provision): boolean =>
    "module" in provision
      ? present(provision.module, provision.on)
      : "fact" in provision
        ? facts[provision.fact]
        : true;

  const requirements: RequirementResult[] = REQUIREMENTS.map((requirement) => {
    const base = {
      suite: requirement.suite,
      feature: requirement.feature,
      specs: requirement.specs,
      levels: requirement.levels,
    };
    const satisfied = requirement.alternatives.find((alternative) => alternative.every(holds));
    if (satisfied) return { ...base, met: true, providedBy: satisfied.map(describe).join(" + ") };
    const closest = [...requirement.alternatives].sort(
      (a, b) => a.filter((p) => !holds(p)).length - b.filter((p) => !holds(p)).length,
    )[0];
    const steps = (closest ?? [])
      .filter((provision) => !holds(provision))
      .map((provision) =>
        "module" in provision ? howToGetModule(provision.module, version, skipped) : describe(provision),
      );
    const options = requirement.alternatives.map((alternative) => alternative.map(describe).join(" + ")).join(" or ");
    return { ...base, met: false, howToMeet: `needs ${options}: ${steps.join("; ")}` };
  });

  const suites: SuiteResult[] = SUITES.map((suite) => {
    const level = (which: Level): LevelResult => {
      const missing = requirements
        .filter((result) => result.suite === suite && result.levels.includes(which) && !result.met)
        .map((result) => `${result.feature} (${result.specs.join(", ")}): ${result.howToMeet}`);
      return { met: missing.length === 0, missing };
    };
    return { suite, server: level("server"), advanced: level("advanced") };
  });
  return { suites, requirements };
}
