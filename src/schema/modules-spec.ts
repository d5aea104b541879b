/**
 * The module part of a ProsodyStack spec: which Prosody, which tier, which
 * toggles, and what to add or remove. Plain data that a Pulumi package schema
 * can express (string enums, booleans, string lists).
 */
import { z } from "zod";
import { PLACEMENTS, PROSODY_VERSIONS } from "../catalog/types";
import { TIERS, TOGGLES } from "../catalog/tiers";

/** `name` or `name@placement`, e.g. `muc_limits` or `lastactivity@host`. */
export const MODULE_REFERENCE = new RegExp(`^[a-z0-9_]+(@(${PLACEMENTS.join("|")}))?$`);
const MODULE_NAME = /^[a-z0-9_]+$/;

const moduleReference = z.string().regex(MODULE_REFERENCE, {
  error: `not a module reference: write the module name in lower case (letters, digits, _), optionally followed by @ and one of ${PLACEMENTS.join(", ")}`,
});
const moduleName = z.string().regex(MODULE_NAME, {
  error: "not a module name: lower-case letters, digits and _ only, without the mod_ prefix",
});

const toggleFields = Object.fromEntries(TOGGLES.map((toggle) => [toggle, z.boolean().optional()])) as Record<
  (typeof TOGGLES)[number],
  z.ZodOptional<z.ZodBoolean>
>;

export const modulesSpecSchema = z.strictObject({
  /** Prosody release the server runs: "13" (our image) or "0.12" (Debian bookworm). Default "13". */
  prosodyVersion: z.enum(PROSODY_VERSIONS).default("13"),
  /** Module tier: "personal", "community" or "enterprise". Default "personal". */
  tier: z.enum(TIERS).default("personal"),
  /** Per-toggle overrides of the tier's defaults (security, modern, http, admin, beta, alpha). Default: the tier's. */
  features: z.strictObject(toggleFields).prefault({}),
  modules: z
    .strictObject({
      /** Modules to add, as `name` or `name@placement`. Beta and alpha modules named here are allowed with a warning. Default none. */
      add: z.array(moduleReference).default([]),
      /** Modules to remove from what the tier and toggles bring. Autoloaded ones go to modules_disabled. Default none. */
      remove: z.array(moduleName).default([]),
    })
    .prefault({}),
});

export type ModulesSpecInput = z.input<typeof modulesSpecSchema>;
export type ModulesSpec = z.output<typeof modulesSpecSchema>;
