import { deploymentSpecSchema, type DeploymentSpec } from "./deployment-spec";
import { problemsFromZod, ProblemError } from "../common/problems";
import { modulesSpecSchema, type ModulesSpec } from "./modules-spec";

/** What a refused spec is called in every message. */
export const INVALID_SPEC = "invalid ProsodyStack spec";

export * from "./deployment-spec";
export * from "../common/problems";
export * from "./modules-spec";
export * from "./pulumi-config";

/** Validates a module selection, throwing a ProblemError that names every bad field. */
export function parseModulesSpec(input: unknown, fieldPrefix = ""): ModulesSpec {
  const result = modulesSpecSchema.safeParse(input);
  if (!result.success) throw new ProblemError(problemsFromZod(result.error, input, fieldPrefix), INVALID_SPEC);
  return result.data;
}

/** Validates a whole ProsodyStack spec, throwing a ProblemError that names every bad field. */
export function parseDeploymentSpec(input: unknown, fieldPrefix = ""): DeploymentSpec {
  const result = deploymentSpecSchema.safeParse(input);
  if (!result.success) throw new ProblemError(problemsFromZod(result.error, input, fieldPrefix), INVALID_SPEC);
  return result.data;
}
