import { deploymentSpecSchema, type DeploymentSpec } from "./deployment";
import { problemsFromZod, SpecError } from "./errors";
import { modulesSpecSchema, type ModulesSpec } from "./modules";

export * from "./deployment";
export * from "./errors";
export * from "./modules";
export * from "./pulumi-config";

/** Validates a module selection, throwing a SpecError that names every bad field. */
export function parseModulesSpec(input: unknown, fieldPrefix = ""): ModulesSpec {
  const result = modulesSpecSchema.safeParse(input);
  if (!result.success) throw new SpecError(problemsFromZod(result.error, input, fieldPrefix));
  return result.data;
}

/** Validates a whole ProsodyStack spec, throwing a SpecError that names every bad field. */
export function parseDeploymentSpec(input: unknown, fieldPrefix = ""): DeploymentSpec {
  const result = deploymentSpecSchema.safeParse(input);
  if (!result.success) throw new SpecError(problemsFromZod(result.error, input, fieldPrefix));
  return result.data;
}
