/**
 * The secrets a plan needs (src/containers/secrets.ts says which and why),
 * each either given by the caller or generated once with @pulumi/random and
 * kept in the stack's state, plus the first admins' initial passwords and the
 * lines that create their accounts and the watchdog's.
 * Always Pulumi secrets.
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import {
  ADMIN_ACCOUNTS,
  type ContainerSecret,
  containerSecretKeys,
  ensuredAccounts,
  givenSecretProblem,
  SECRET_RULES,
} from "../src/containers/secrets";
import type { SecretKey } from "../src/schema/pulumi-config";
import { type ChildContext, child } from "./naming";

/** What the containers read, by the name their descriptions give it. */
export type StackSecrets = Partial<Record<ContainerSecret, pulumi.Output<string>>>;
export type GivenSecrets = Partial<Record<SecretKey, pulumi.Input<string>>>;

/** Characters of a first admin's initial password. */
const ADMIN_PASSWORD_LENGTH = 24;

export interface Secrets {
  /** the secrets the containers read */
  values: StackSecrets;
  /** each first admin's initial password, by bare JID (a secret output) */
  adminPasswords: Record<string, pulumi.Output<string>>;
}

/** The stack secret a variable of a container's secretEnvironment names (the plan guarantees it exists). */
export function secretValue(secrets: StackSecrets, key: ContainerSecret): pulumi.Output<string> {
  const value = secrets[key];
  if (value === undefined) throw new Error(`the stack has no ${key}, which a container reads`);
  return value;
}

/** A secret the caller gave, as a Pulumi secret; plain values were checked at construction, an output is checked once it is known. */
export function givenSecret(
  parent: pulumi.Resource,
  key: SecretKey,
  value: pulumi.Input<string>,
): pulumi.Output<string> {
  return pulumi.secret(
    pulumi.output(value).apply((known) => {
      const problem = givenSecretProblem(key, known);
      if (problem) throw new pulumi.ResourceError(`${problem.field}: ${problem.message}. Fix: ${problem.fix}`, parent);
      return known;
    }),
  );
}

export function stackSecrets(context: ChildContext, given: GivenSecrets = {}): Secrets {
  const { parent, plan } = context;
  const values: StackSecrets = {};
  for (const key of containerSecretKeys(plan)) {
    const { part, length } = SECRET_RULES[key];
    const supplied = given[key];
    if (supplied !== undefined) {
      values[key] = givenSecret(parent, key, supplied);
      continue;
    }
    // The component has already refused a plan that lacks a secret nobody may generate.
    if (length === undefined || !SECRET_RULES[key].generatable(plan)) throw new Error(`secrets.${key} was not given`);
    values[key] = new random.RandomPassword(child(context, part), { length, special: false }, { parent }).result;
  }
  const adminPasswords = Object.fromEntries(
    plan.firstAccounts.map((jid) => [
      jid,
      // Named by the JID: a later deploy keeps the password, and a removed admin's password goes with it.
      new random.RandomPassword(
        child(context, `admin-password-${jid}`),
        { length: ADMIN_PASSWORD_LENGTH, special: false },
        { parent },
      ).result,
    ]),
  );
  const initialPasswords: Record<string, pulumi.Output<string>> = { ...adminPasswords };
  if (plan.watchdog) initialPasswords[plan.watchdog.account] = secretValue(values, "watchdogPassword");
  const accounts = ensuredAccounts(plan);
  if (accounts.length > 0) {
    const lines = accounts.map((jid) => pulumi.interpolate`${jid} ${initialPasswords[jid]}\n`);
    values[ADMIN_ACCOUNTS] = pulumi.secret(pulumi.all(lines).apply((all) => all.join("")));
  }
  return { values, adminPasswords };
}
