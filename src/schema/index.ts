import { distance } from "fastest-levenshtein";
import type { z } from "zod";
import { problemsFromZod, ProblemError } from "../common/problems";
import { deploymentSpecSchema, type DeploymentSpec } from "./deployment-spec";
import { modulesSpecSchema, type ModulesSpec } from "./modules-spec";

/** What a refused spec is called in every message. */
export const INVALID_SPEC = "invalid ProsodyStack spec";

export * from "./deployment-spec";
export * from "../common/problems";
export * from "./modules-spec";
export * from "./pulumi-config";
export type * from "./spec-input";

type Def = { innerType?: z.ZodType; shape?: Record<string, z.ZodType> };

/** A schema's definition under its defaults, prefaults and optionals. */
function unwrap(schema: z.ZodType): Def {
  let def = schema.def as unknown as Def;
  while (def.innerType) def = def.innerType.def as unknown as Def;
  return def;
}

/** The fields of the section at `path` of a schema. */
function fieldsAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let def = unwrap(schema);
  for (const key of path) {
    const next = def.shape?.[String(key)];
    if (!next) return [];
    def = unwrap(next);
  }
  return Object.keys(def.shape ?? {});
}

/** The known field an unknown one most likely meant, when it is close. */
const closestIn =
  (schema: z.ZodType) =>
  (path: readonly PropertyKey[], key: string): string | undefined => {
    const [best] = fieldsAt(schema, path)
      .map((field) => ({ field, score: distance(key.toLowerCase(), field.toLowerCase()) }))
      .filter(({ score }) => score <= Math.max(2, Math.floor(key.length / 3)))
      .sort((a, b) => a.score - b.score);
    return best?.field;
  };

function parseWith<T>(schema: z.ZodType<T>, input: unknown, fieldPrefix: string): T {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new ProblemError(problemsFromZod(result.error, input, fieldPrefix, closestIn(schema)), INVALID_SPEC);
  }
  return result.data;
}

/** Validates a module selection, throwing a ProblemError that names every bad field. */
export const parseModulesSpec = (input: unknown, fieldPrefix = ""): ModulesSpec =>
  parseWith(modulesSpecSchema, input, fieldPrefix);

/** Validates a whole ProsodyStack spec, throwing a ProblemError that names every bad field. */
export const parseDeploymentSpec = (input: unknown, fieldPrefix = ""): DeploymentSpec =>
  parseWith(deploymentSpecSchema, input, fieldPrefix);
