/**
 * Secrets Manager: one secret per stack secret, and one for the TLS pair.
 * Containers get them through ECS `secrets`, each reference pinned to the
 * version it was written as, so a new value (a renewed certificate, a changed
 * password) is a new task definition and ECS rolls the task over to it.
 */
import * as secretsmanager from "@pulumi/aws/secretsmanager";
import * as pulumi from "@pulumi/pulumi";
import type { ContainerDescription, ContainerFile } from "../../../src/containers/description";
import { type ContainerSecret as SecretName, containerSecretPart } from "../../../src/containers/secrets";
import type { StackCertificate } from "../../certificates/contract";
import type { StackSecrets } from "../../stack-secrets";
import { type AwsContext, child, tags } from "./context";

/** An ECS container's `secrets` entry. */
export interface ContainerSecret {
  name: string;
  valueFrom: pulumi.Output<string>;
}

export interface SecretStore {
  /** the ECS `secrets` of one container: its stack secrets, then the halves of the TLS pair it reads */
  containerSecrets(description: ContainerDescription<unknown>): ContainerSecret[];
  /** ARNs of the secrets one container reads: what its execution role may read, and nothing else */
  arnsFor(description: ContainerDescription<unknown>): pulumi.Output<string>[];
}

/** Deleted secrets can be restored for this long. */
const RECOVERY_DAYS = 7;
/** The TLS secret is one JSON document: a renewal replaces both halves in one version. */
const TLS_JSON_KEYS: Record<NonNullable<ContainerFile["tls"]>, string> = {
  certificate: "certificate",
  key: "privateKey",
};

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
  const stored = new Map<SecretName, Stored>();
  for (const [key, value] of Object.entries(secrets) as [SecretName, pulumi.Output<string>][]) {
    stored.set(key, store(context, containerSecretPart(key), value, `ProsodyStack ${domain}: ${key}`));
  }
  const tls = store(
    context,
    "tls",
    pulumi.jsonStringify({
      [TLS_JSON_KEYS.certificate]: certificate.fullChainPem,
      [TLS_JSON_KEYS.key]: certificate.privateKeyPem,
    }),
    `ProsodyStack ${domain}: TLS certificate chain and key`,
  );
  const storedOf = (key: SecretName): Stored => {
    const entry = stored.get(key);
    if (!entry) throw new Error(`a container reads ${key}, which the stack does not hold`);
    return entry;
  };
  const tlsFiles = (description: ContainerDescription<unknown>) => description.files.filter((file) => file.tls);
  return {
    containerSecrets: (description) => [
      ...Object.entries(description.secretEnvironment).map(([variable, key]) => ({
        name: variable,
        valueFrom: reference(storedOf(key)),
      })),
      ...tlsFiles(description).map((file) => ({
        name: file.inlineVariable,
        valueFrom: reference(tls, TLS_JSON_KEYS[file.tls ?? "certificate"]),
      })),
    ],
    arnsFor: (description) => [
      ...Object.values(description.secretEnvironment).map((key) => storedOf(key).arn),
      ...(tlsFiles(description).length > 0 ? [tls.arn] : []),
    ],
  };
}
