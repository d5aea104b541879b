/** Every field path of a zod schema, sections and leaves, for checking documentation against the schema. */
import type { z } from "zod";
import { sectionFields } from "../../src/schema/schema-walk";

/** Paths of every field: `{ path, leaf }`, sections before their fields. */
export function schemaFields(schema: z.ZodType, prefix = ""): { path: string; leaf: boolean }[] {
  return Object.entries(sectionFields(schema)).flatMap(([key, field]) => {
    const path = prefix === "" ? key : `${prefix}.${key}`;
    const children = schemaFields(field, path);
    return [{ path, leaf: children.length === 0 }, ...children];
  });
}
