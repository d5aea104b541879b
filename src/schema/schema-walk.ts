/** Reading a zod schema's own shape: what a field is under its defaults, and the fields of a section. */
import type { z } from "zod";

type Def = { type: string; innerType?: z.ZodType; in?: z.ZodType; shape?: Record<string, z.ZodType> };

/** The schema under its defaults, prefaults, optionals and pipes. */
export function innerSchema(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    const def = current.def as unknown as Def;
    const inner = def.innerType ?? (def.type === "pipe" ? def.in : undefined);
    if (!inner) return current;
    current = inner;
  }
}

/** The fields of a section (an object schema), by name; none for anything else. */
export function sectionFields(schema: z.ZodType): Record<string, z.ZodType> {
  const def = innerSchema(schema).def as unknown as Def;
  return def.type === "object" ? (def.shape ?? {}) : {};
}

/** The fields of the section at `path` of a schema. */
export function fieldsAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let fields = sectionFields(schema);
  for (const key of path) {
    const next = fields[String(key)];
    if (!next) return [];
    fields = sectionFields(next);
  }
  return Object.keys(fields);
}
