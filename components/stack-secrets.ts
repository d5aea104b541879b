/**
 * The secrets a plan needs (src/containers/secrets.ts says which and why),
 * each either given by the caller or generated once with @pulumi/random and
 * kept in the stack's state. Always Pulumi secrets.
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { givenSecretProblem, neededSecrets, SECRET_RULES } from "../src/containers/secrets";
import type { SecretKey } from "../src/schema/pulumi-config";
import { type ChildContext, child } from "./naming";

export type StackSecrets = Partial<Record<SecretKey, pulumi.Output<string>>>;
export type GivenSecrets = Partial<Record<SecretKey, pulumi.Input<string>>>;

/** The stack secret a variable of a container's secretEnvironment names (the plan guarantees it exists). */
export function secretValue(secrets: StackSecrets, key: SecretKey): pulumi.Output<string> {
  const value = secrets[key];
  if (value === undefined) throw new Error(`the stack has no ${key}, which a container reads`);
  return value;
}

export function stackSecrets(context: ChildContext, given: GivenSecrets = {}): StackSecrets {
  const { parent, plan } = context;
  const secrets: StackSecrets = {};
  for (const [key, { generate }] of neededSecrets(plan)) {
    const { part, length } = SECRET_RULES[key];
    const supplied = given[key];
    // The component has already refused a plan that lacks a secret nobody may generate.
    if (supplied === undefined && !generate) throw new Error(`secrets.${key} was not given`);
    secrets[key] =
      supplied === undefined
        ? new random.RandomPassword(child(context, part), { length, special: false }, { parent }).result
        : pulumi.secret(
            // Plain values were checked at construction; an output is checked once it is known.
            pulumi.output(supplied).apply((value) => {
              const problem = givenSecretProblem(key, value);
              if (problem) {
                throw new pulumi.ResourceError(`${problem.field}: ${problem.message}. Fix: ${problem.fix}`, parent);
              }
              return value;
            }),
          );
  }
  return secrets;
}
