/** Every field path of a zod schema, sections and leaves, for checking documentation against the schema. */
import type { z } from "zod";

type Def = { type: string; innerType?: z.ZodType; in?: z.ZodType; shape?: Record<string, z.ZodType> };

/** The schema under defaults, prefaults, optionals and pipes. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    const def = current.def as unknown as Def;
    const inner = def.innerType ?? (def.type === "pipe" ? def.in : undefined);
    if (!inner) return current;
    current = inner;
  }
}

/** Paths of every field: `{ path, leaf }`, sections before their fields. */
export function schemaFields(schema: z.ZodType, prefix = ""): { path: string; leaf: boolean }[] {
  const def = unwrap(schema).def as unknown as Def;
  if (def.type !== "object" || !def.shape) return [];
  return Object.entries(def.shape).flatMap(([key, field]) => {
    const path = prefix === "" ? key : `${prefix}.${key}`;
    const children = schemaFields(field, path);
    return [{ path, leaf: children.length === 0 }, ...children];
  });
}
