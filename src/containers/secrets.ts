/**
 * The stack's secrets: which of our containers reads each one, from which
 * variable, and how one is generated when nobody gave it. Only names and
 * rules here; the values live in Pulumi's state (components/secrets.ts).
 */
import type { Problem } from "../common/problems";
import { ENV, type DeploymentPlan } from "../plan/plan-deployment";
import { SECRET_KEYS, type SecretKey } from "../schema/pulumi-config";
import { GATEWAY_VARIABLES } from "../../gateway/src/contract";

export interface SecretRule {
  /** what it is, for the docs of every language's SDK */
  purpose: string;
  /** the generated secret's part in child names */
  part: string;
  /** characters of a generated value, and the fewest a given one may have */
  length: number;
  minLength: number;
  /** whether the stack may make this secret up itself for this plan */
  generatable: (plan: DeploymentPlan) => boolean;
  /** what to tell someone whose plan needs it and who did not give it, when it cannot be generated */
  whyGiven: string;
}

const always = (): boolean => true;
/** Keys of an S3 server: ours to choose only when the stack runs that server (MinIO). */
const ownS3Server = (plan: DeploymentPlan): boolean => plan.uploads?.bucket?.selfHosted === true;
const S3_KEYS_WHY = "upload.s3.endpoint names an S3 server whose keys only its owner can issue";

export const SECRET_RULES: Record<SecretKey, SecretRule> = {
  databasePassword: {
    purpose: "The password of the PostgreSQL role Prosody logs in as.",
    part: "database-password",
    length: 32,
    minLength: 16,
    generatable: always,
    whyGiven: "",
  },
  // Prosody signs upload tokens with it, the gateway checks them.
  uploadSecret: {
    purpose: "The key Prosody signs upload tokens with and the upload gateway checks them with.",
    part: "upload-secret",
    length: 32,
    minLength: 16,
    generatable: always,
    whyGiven: "",
  },
  turnSecret: {
    purpose: "The secret Prosody shares with the TURN server.",
    part: "turn-secret",
    length: 32,
    minLength: 16,
    generatable: always,
    whyGiven: "",
  },
  // MinIO takes access keys of 3-20 and secret keys of 8-40 characters.
  s3AccessKeyId: {
    purpose: "The access key the upload gateway signs S3 requests with, for an S3-compatible server.",
    part: "s3-access-key",
    length: 20,
    minLength: 3,
    generatable: ownS3Server,
    whyGiven: S3_KEYS_WHY,
  },
  s3SecretAccessKey: {
    purpose: "The secret of that access key.",
    part: "s3-secret-key",
    length: 40,
    minLength: 8,
    generatable: ownS3Server,
    whyGiven: S3_KEYS_WHY,
  },
};

/** Prosody's config reads these through ENV_<variable>: which stack secret each variable holds. */
const PROSODY_SECRET_VARIABLES: Readonly<Record<string, SecretKey>> = {
  [ENV.databasePassword]: "databasePassword",
  [ENV.uploadSecret]: "uploadSecret",
  [ENV.turnSecret]: "turnSecret",
};

/** Variable → stack secret, for every secret the plan's Prosody reads. */
export function prosodySecretEnvironment(plan: DeploymentPlan): Record<string, SecretKey> {
  const environment: Record<string, SecretKey> = {};
  for (const variable of plan.environment.filter((entry) => entry.secret)) {
    const key = PROSODY_SECRET_VARIABLES[variable.name];
    if (key === undefined) throw new Error(`no stack secret feeds Prosody's ${variable.name}`);
    environment[variable.name] = key;
  }
  return environment;
}

/** Variable → stack secret, for every secret the upload gateway reads; empty without a gateway. */
export function gatewaySecretEnvironment(plan: DeploymentPlan): Record<string, SecretKey> {
  const gateway = plan.uploads?.gateway;
  if (!gateway) return {};
  return {
    [GATEWAY_VARIABLES.secret]: "uploadSecret",
    ...(gateway.credentials === "keys"
      ? {
          [GATEWAY_VARIABLES.accessKeyId]: "s3AccessKeyId",
          [GATEWAY_VARIABLES.secretAccessKey]: "s3SecretAccessKey",
        }
      : {}),
  };
}

/** Every secret some container of the plan reads, in SECRET_KEYS order, and whether it may be generated. */
export function neededSecrets(plan: DeploymentPlan): Map<SecretKey, { generate: boolean }> {
  const read = new Set([
    ...Object.values(prosodySecretEnvironment(plan)),
    ...Object.values(gatewaySecretEnvironment(plan)),
  ]);
  return new Map(
    SECRET_KEYS.filter((key) => read.has(key)).map((key) => [key, { generate: SECRET_RULES[key].generatable(plan) }]),
  );
}

/** Secrets from outside end up in files and command lines: what would break them is refused. */
export function givenSecretProblem(key: SecretKey, value: string): Problem | undefined {
  const { minLength } = SECRET_RULES[key];
  if (new RegExp(`^[\\x21-\\x7e]{${minLength},512}$`).test(value)) return undefined;
  return {
    field: `secrets.${key}`,
    value: "[secret]",
    message: "not a usable secret",
    fix: `give ${minLength} to 512 printable ASCII characters, no spaces`,
  };
}
