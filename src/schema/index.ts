import type { z } from "zod";
import { closestWord } from "../../common/closest";
import { problemsFromZod, ProblemError } from "../../common/problems";
import { deploymentSpecSchema, type DeploymentSpec } from "./deployment-spec";
import { modulesSpecSchema, type ModulesSpec } from "./modules-spec";
import { renamedFieldProblems } from "./renamed-fields";
import { fieldsAt } from "./schema-walk";
import { textShapeProblems } from "./text-shape";

/** What a refused spec is called in every message. */
export const INVALID_SPEC = "invalid ProsodyStack spec";

export * from "./deployment-spec";
export * from "../../common/problems";
export * from "./modules-spec";
export * from "./pulumi-config";
export type * from "./spec-input";

/** The known field an unknown one most likely meant, when it is close. */
const closestIn =
  (schema: z.ZodType) =>
  (path: readonly PropertyKey[], key: string): string | undefined =>
    closestWord(key, fieldsAt(schema, path), { ignoreCase: true });

function parseWith<T>(schema: z.ZodType<T>, input: unknown, fieldPrefix: string): T {
  const shape = textShapeProblems(input, fieldPrefix);
  if (shape.length > 0) throw new ProblemError(shape, INVALID_SPEC);
  const renamed = renamedFieldProblems(input, fieldPrefix);
  const result = schema.safeParse(input);
  if (!result.success || renamed.length > 0) {
    // A renamed field is an unknown one to the schema too: it is reported once, with its new name.
    const named = new Set(renamed.map((problem) => problem.field));
    const others = result.success
      ? []
      : problemsFromZod(result.error, input, fieldPrefix, closestIn(schema)).filter(
          (problem) => !named.has(problem.field),
        );
    throw new ProblemError([...renamed, ...others], INVALID_SPEC);
  }
  return result.data;
}

/** Validates a module selection, throwing a ProblemError that names every bad field. */
export const parseModulesSpec = (input: unknown, fieldPrefix = ""): ModulesSpec =>
  parseWith(modulesSpecSchema, input, fieldPrefix);

/** Validates a whole ProsodyStack spec, throwing a ProblemError that names every bad field. */
export const parseDeploymentSpec = (input: unknown, fieldPrefix = ""): DeploymentSpec =>
  parseWith(deploymentSpecSchema, input, fieldPrefix);
