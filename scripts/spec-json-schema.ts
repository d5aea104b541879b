/** The spec as JSON Schema (its input side): what the documentation generators read, with each field's .meta(). */
import { z } from "zod";
import { deploymentSpecSchema } from "../src/schema/deployment-spec";

export interface SpecNode {
  /** the TypeScript type, for values JSON Schema cannot describe (src/schema/fields.ts) */
  tsType?: string;
  type?: string;
  description?: string;
  defaultText?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  anyOf?: SpecNode[];
  items?: SpecNode;
  properties?: Record<string, SpecNode>;
  additionalProperties?: SpecNode | boolean;
  required?: string[];
  format?: string;
  minimum?: number;
  maximum?: number;
}

export const specJsonSchema = (): SpecNode =>
  z.toJSONSchema(deploymentSpecSchema, { io: "input", unrepresentable: "any" }) as unknown as SpecNode;

/** A field path as one PascalCase name, e.g. upload.s3 → UploadS3: how generated types are named. */
export const pascalName = (path: readonly string[]): string =>
  path.map((part) => part[0]?.toUpperCase() + part.slice(1)).join("");
