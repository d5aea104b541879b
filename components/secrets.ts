/**
 * The secrets a plan needs (by the names in plan.environment), each either
 * given by the caller or generated once with @pulumi/random and kept in the
 * stack's state. Always Pulumi secrets.
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { DeploymentPlan } from "../src/plan/plan-deployment";
import { ENV } from "../src/plan/plan-deployment";
import type { SecretKey } from "../src/schema/pulumi-config";
import { childName } from "./naming";

export type StackSecrets = Partial<Record<SecretKey, pulumi.Output<string>>>;
export type GivenSecrets = Partial<Record<SecretKey, pulumi.Input<string>>>;

/** Each secret key: the variable each program reads it from, and the child that generates it. */
export const SECRET_VARIABLES: Record<
  SecretKey,
  { readers: Partial<Record<SecretReader, string>>; part: string; length: number; minLength: number }
> = {
  databasePassword: {
    readers: { prosody: ENV.databasePassword },
    part: "database-password",
    length: 32,
    minLength: 16,
  },
  // Prosody signs upload tokens with it, the gateway checks them.
  uploadSecret: {
    readers: { prosody: ENV.uploadSecret, gateway: "GATEWAY_SECRET" },
    part: "upload-secret",
    length: 32,
    minLength: 16,
  },
  turnSecret: { readers: { prosody: ENV.turnSecret }, part: "turn-secret", length: 32, minLength: 16 },
  // MinIO takes access keys of 3-20 and secret keys of 8-40 characters.
  s3AccessKeyId: { readers: { gateway: "AWS_ACCESS_KEY_ID" }, part: "s3-access-key", length: 20, minLength: 3 },
  s3SecretAccessKey: { readers: { gateway: "AWS_SECRET_ACCESS_KEY" }, part: "s3-secret-key", length: 40, minLength: 8 },
};

export type SecretReader = "prosody" | "gateway";

/** The secrets one program reads, as [variable, key, value]: each platform hands them over its own way. */
export function secretsOf(reader: SecretReader, secrets: StackSecrets): [string, SecretKey, pulumi.Output<string>][] {
  return (Object.keys(SECRET_VARIABLES) as SecretKey[]).flatMap((key) => {
    const value = secrets[key];
    const variable = SECRET_VARIABLES[key].readers[reader];
    return value && variable ? [[variable, key, value] as [string, SecretKey, pulumi.Output<string>]] : [];
  });
}

const S3_KEYS: readonly SecretKey[] = ["s3AccessKeyId", "s3SecretAccessKey"];

/** Secrets from outside end up in files and command lines: refuse what would break them. */
const printable = (minLength: number): RegExp => new RegExp(`^[\\x21-\\x7e]{${minLength},512}$`);

/** The secret keys a plan needs, and whether each may be generated (keys of someone else's S3 server may not). */
export function neededSecrets(plan: DeploymentPlan): Map<SecretKey, { generate: boolean }> {
  const variables = new Set(plan.environment.filter((variable) => variable.secret).map((variable) => variable.name));
  const needed = new Map<SecretKey, { generate: boolean }>();
  for (const key of Object.keys(SECRET_VARIABLES) as SecretKey[]) {
    const variable = SECRET_VARIABLES[key].readers.prosody;
    if (variable !== undefined && variables.has(variable)) {
      needed.set(key, { generate: true });
    }
  }
  if (plan.uploads?.gateway?.credentials === "keys") {
    for (const key of S3_KEYS) needed.set(key, { generate: plan.uploads.bucket?.selfHosted === true });
  }
  return needed;
}

export function stackSecrets(
  name: string,
  parent: pulumi.Resource,
  plan: DeploymentPlan,
  given: GivenSecrets = {},
): StackSecrets {
  const secrets: StackSecrets = {};
  for (const [key, { generate }] of neededSecrets(plan)) {
    const { part, length, minLength } = SECRET_VARIABLES[key];
    const supplied = given[key];
    // platformOrFail has already refused a plan that lacks a secret nobody may generate.
    if (supplied === undefined && !generate) throw new Error(`secrets.${key} was not given`);
    secrets[key] =
      supplied === undefined
        ? new random.RandomPassword(childName(name, part), { length, special: false }, { parent }).result
        : pulumi.secret(
            pulumi.output(supplied).apply((value) => {
              if (!printable(minLength).test(value)) {
                throw new pulumi.ResourceError(
                  `secrets.${key}: not a usable secret. Fix: give ${minLength} to 512 printable ASCII characters, no spaces`,
                  parent,
                );
              }
              return value;
            }),
          );
  }
  return secrets;
}
