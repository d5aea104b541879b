/**
 * The module part of a ProsodyStack spec: which Prosody, which tier, which
 * toggles, and what to add or remove. Plain data that a Pulumi package schema
 * can express (string enums, booleans, string lists).
 */
import { z } from "zod";
import { PLACEMENTS, PROSODY_VERSIONS } from "../catalog/types";
import { TIERS, TOGGLE_DOCS, TOGGLES } from "../catalog/tiers";

/** `name` or `name@placement`, e.g. `muc_limits` or `lastactivity@host`. */
export const MODULE_REFERENCE = new RegExp(`^[a-z0-9_]+(@(${PLACEMENTS.join("|")}))?$`);
const MODULE_NAME = /^[a-z0-9_]+$/;

const moduleReference = z.string().regex(MODULE_REFERENCE, {
  error: `not a module reference: write the module name in lower case (letters, digits, _), optionally followed by @ and one of ${PLACEMENTS.join(", ")}`,
});
const moduleName = z.string().regex(MODULE_NAME, {
  error: "not a module name: lower-case letters, digits and _ only, without the mod_ prefix",
});

const toggleFields = Object.fromEntries(
  TOGGLES.map((toggle) => [
    toggle,
    z
      .boolean()
      .optional()
      .meta({ description: `Toggle ${toggle}: ${TOGGLE_DOCS[toggle]}.`, defaultText: "the tier's" }),
  ]),
) as Record<(typeof TOGGLES)[number], z.ZodOptional<z.ZodBoolean>>;

export const modulesSpecSchema = z.strictObject({
  prosodyVersion: z.enum(PROSODY_VERSIONS).default("13").meta({
    description: 'Prosody release the server runs: "13" (our image) or "0.12" (Debian bookworm).',
  }),
  tier: z
    .enum(TIERS)
    .default("personal")
    .meta({ description: 'Module tier: "personal", "community" or "enterprise".' }),
  features: z.strictObject(toggleFields).prefault({}).meta({
    description: "Per-toggle overrides of the tier's defaults (security, modern, http, admin, beta, alpha).",
    defaultText: "the tier's",
  }),
  modules: z
    .strictObject({
      add: z.array(moduleReference).default([]).meta({
        description:
          "Modules to add, as `name` or `name@placement`. Beta and alpha modules named here are allowed with a warning.",
        defaultText: "none",
      }),
      remove: z.array(moduleName).default([]).meta({
        description: "Modules to remove from what the tier and toggles bring. Autoloaded ones go to modules_disabled.",
        defaultText: "none",
      }),
    })
    .prefault({})
    .meta({ description: "Modules beyond the tier and toggles, and modules taken out of them." }),
});

export type ModulesSpecInput = z.input<typeof modulesSpecSchema>;
export type ModulesSpec = z.output<typeof modulesSpecSchema>;
