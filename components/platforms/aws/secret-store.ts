/**
 * Secrets Manager: one secret per stack secret, and one for the TLS pair.
 * Containers get them through ECS `secrets`, each reference pinned to the
 * version it was written as, so a new value (a renewed certificate, a changed
 * password) is a new task definition and ECS rolls the task over to it.
 */
import * as secretsmanager from "@pulumi/aws/secretsmanager";
import * as pulumi from "@pulumi/pulumi";
import type { SecretKey } from "../../../src/schema/pulumi-config";
import type { StackCertificate } from "../../certificates/self-signed";
import { SECRET_VARIABLES, secretsOf, type SecretReader, type StackSecrets } from "../../secrets";
import { type AwsContext, child, tags } from "./context";

/** An ECS container's `secrets` entry. */
export interface ContainerSecret {
  name: string;
  valueFrom: pulumi.Output<string>;
}

export interface SecretStore {
  /** the ECS `secrets` of one program: its stack secrets, then the TLS pair under the given names */
  containerSecrets(reader: SecretReader, tlsVariables: { certificate: string; key: string }): ContainerSecret[];
  /** ARNs of the secrets one program reads: what its execution role may read, and nothing else */
  arnsFor(reader: SecretReader): pulumi.Output<string>[];
}

/** Deleted secrets can be restored for this long. */
const RECOVERY_DAYS = 7;

interface Stored {
  arn: pulumi.Output<string>;
  versionId: pulumi.Output<string>;
}

function store(context: AwsContext, part: string, value: pulumi.Output<string>, description: string): Stored {
  const { parent } = context;
  const secret = new secretsmanager.Secret(
    child(context, `${part}-secret`),
    { description, recoveryWindowInDays: RECOVERY_DAYS, tags: tags(context, `${part}-secret`) },
    { parent },
  );
  const version = new secretsmanager.SecretVersion(
    child(context, `${part}-secret-version`),
    { secretId: secret.id, secretString: pulumi.secret(value) },
    { parent },
  );
  return { arn: secret.arn, versionId: version.versionId };
}

/** `arn:json-key:version-stage:version-id`, the form ECS takes to read one key of one version. */
const reference = ({ arn, versionId }: Stored, jsonKey = ""): pulumi.Output<string> =>
  pulumi.interpolate`${arn}:${jsonKey}::${versionId}`;

export function secretStore(context: AwsContext, secrets: StackSecrets, certificate: StackCertificate): SecretStore {
  const { domain } = context.plan.spec;
  const stored = new Map<SecretKey, Stored>();
  for (const key of Object.keys(SECRET_VARIABLES) as SecretKey[]) {
    const value = secrets[key];
    if (value === undefined) continue;
    stored.set(key, store(context, SECRET_VARIABLES[key].part, value, `ProsodyStack ${domain}: ${key}`));
  }
  const tls = store(
    context,
    "tls",
    pulumi.jsonStringify({ certificate: certificate.fullChainPem, privateKey: certificate.privateKeyPem }),
    `ProsodyStack ${domain}: TLS certificate chain and key`,
  );
  // The stored secrets one program reads, with the variable it reads each from.
  const storedFor = (reader: SecretReader): [string, Stored][] =>
    secretsOf(reader, secrets).flatMap(([variable, key]) => {
      const entry = stored.get(key);
      return entry ? [[variable, entry] as [string, Stored]] : [];
    });
  return {
    containerSecrets: (reader, tlsVariables) => [
      ...storedFor(reader).map(([variable, entry]) => ({ name: variable, valueFrom: reference(entry) })),
      { name: tlsVariables.certificate, valueFrom: reference(tls, "certificate") },
      { name: tlsVariables.key, valueFrom: reference(tls, "privateKey") },
    ],
    arnsFor: (reader) => [...storedFor(reader).map(([, entry]) => entry.arn), tls.arn],
  };
}
