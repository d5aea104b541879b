/**
 * The caller's resource the route53 DNS provider uses instead of looking it
 * up: the hosted zone. On any platform, so it is the provider's part of
 * `existing`, not a platform's. No SDK here: it is read before one loads.
 */
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { type Problem, problemsFromZod, ProblemError } from "../../common/problems";

/** The route53 DNS provider's part of `existing`. */
export interface ExistingRoute53Resources {
  /** The Route53 hosted zone of dns.zone (its ID); default: looked up by that name. */
  hostedZoneId?: pulumi.Input<string>;
}

const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,31}$/;

/** Problems with the plain values among the existing resources (outputs are checked by AWS itself). */
export function checkExistingRoute53(existing: ExistingRoute53Resources): Problem[] {
  const id = existing.hostedZoneId;
  if (typeof id !== "string" || HOSTED_ZONE_ID.test(id)) return [];
  return [
    {
      field: "existing.route53.hostedZoneId",
      value: JSON.stringify(id),
      message: "does not look like one",
      fix: "give the ID AWS shows, e.g. Z0123456789ABCDEFGHIJ",
    },
  ];
}

const existingConfigSchema = z.strictObject({ hostedZoneId: z.string().optional() });

/** The `prosody:existing.route53` stack config: the same fields, as plain strings. */
export function parseExistingRoute53Config(value: unknown, prefix: string): ExistingRoute53Resources {
  const parsed = existingConfigSchema.safeParse(value);
  if (!parsed.success) throw new ProblemError(problemsFromZod(parsed.error, value, prefix), "invalid stack config");
  return parsed.data;
}
