/**
 * The secrets a plan needs (by the names in plan.environment), each either
 * given by the caller or generated once with @pulumi/random and kept in the
 * stack's state. Always Pulumi secrets.
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { DeploymentPlan } from "../../src/plan/deployment";
import { ENV } from "../../src/plan/deployment";
import type { SecretKey } from "../../src/spec/pulumi-config";
import { childName } from "./names";

export type StackSecrets = Partial<Record<SecretKey, pulumi.Output<string>>>;
export type GivenSecrets = Partial<Record<SecretKey, pulumi.Input<string>>>;

/** Each secret key, the variable Prosody reads it from, and the child that generates it. */
export const SECRET_VARIABLES: Record<SecretKey, { variable: string; part: string }> = {
  databasePassword: { variable: ENV.databasePassword, part: "database-password" },
  uploadSecret: { variable: ENV.uploadSecret, part: "upload-secret" },
  turnSecret: { variable: ENV.turnSecret, part: "turn-secret" },
};

/** Secrets from outside end up in files and command lines: refuse what would break them. */
const PRINTABLE = /^[\x21-\x7e]{16,512}$/;

export function stackSecrets(
  name: string,
  parent: pulumi.Resource,
  plan: DeploymentPlan,
  given: GivenSecrets = {},
): StackSecrets {
  const needed = new Set(plan.environment.filter((variable) => variable.secret).map((variable) => variable.name));
  const secrets: StackSecrets = {};
  for (const key of Object.keys(SECRET_VARIABLES) as SecretKey[]) {
    const { variable, part } = SECRET_VARIABLES[key];
    if (!needed.has(variable)) continue;
    const supplied = given[key];
    secrets[key] =
      supplied === undefined
        ? new random.RandomPassword(childName(name, part), { length: 32, special: false }, { parent }).result
        : pulumi.secret(
            pulumi.output(supplied).apply((value) => {
              if (!PRINTABLE.test(value)) {
                throw new pulumi.ResourceError(
                  `secrets.${key}: not a usable secret. Fix: give 16 to 512 printable ASCII characters, no spaces`,
                  parent,
                );
              }
              return value;
            }),
          );
  }
  return secrets;
}
