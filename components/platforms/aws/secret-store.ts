/**
 * Secrets Manager: one secret per stack secret, and one for the TLS pair.
 * Containers get them through ECS `secrets`, each reference pinned to the
 * version it was written as, so a new value (a renewed certificate, a changed
 * password) is a new task definition and ECS rolls the task over to it.
 *
 * A certificate the renewer issues where the server runs is the exception: the
 * stack writes the TLS secret once, empty (the servers then start on a
 * temporary pair), and never again; the renewer writes each pair as the
 * secret's current version and starts new deployments, whose tasks read the
 * current version. No certificate is in Pulumi's state, so none drifts.
 */
import * as secretsmanager from "@pulumi/aws/secretsmanager";
import * as pulumi from "@pulumi/pulumi";
import { RENEWER_SECRET_KEYS } from "../../../renewer/src/contract";
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
  /** the TLS secret: what the renewer writes each pair to */
  tlsArn: pulumi.Output<string>;
}

/** Deleted secrets can be restored for this long. */
const RECOVERY_DAYS = 7;
/** The TLS secret is one JSON document, in the renewer's keys: a renewal replaces both halves in one version. */
const TLS_JSON_KEYS: Record<NonNullable<ContainerFile["tls"]>, string> = RENEWER_SECRET_KEYS;

/** The TLS secret's value before the renewer's first pair: both halves empty, so the servers make a temporary pair. */
const AWAITING_FIRST_PAIR = JSON.stringify({ [TLS_JSON_KEYS.certificate]: "", [TLS_JSON_KEYS.key]: "" });

interface Stored {
  arn: pulumi.Output<string>;
  /** the version references read; undefined: whichever is current (written by the renewer) */
  versionId?: pulumi.Output<string>;
}

function store(
  context: AwsContext,
  part: string,
  value: pulumi.Output<string>,
  description: string,
  writtenBy: "stack" | "renewer" = "stack",
): Stored {
  const { parent } = context;
  const secret = new secretsmanager.Secret(
    child(context, `${part}-secret`),
    { description, recoveryWindowInDays: RECOVERY_DAYS, tags: tags(context, `${part}-secret`) },
    { parent },
  );
  const version = new secretsmanager.SecretVersion(
    child(context, `${part}-secret-version`),
    { secretId: secret.id, secretString: pulumi.secret(value) },
    // The renewer's versions follow this one: a later `pulumi up` must neither see them as drift nor undo them.
    { parent, ...(writtenBy === "renewer" ? { ignoreChanges: ["secretString", "versionStages"] } : {}) },
  );
  return { arn: secret.arn, ...(writtenBy === "stack" ? { versionId: version.versionId } : {}) };
}

/** `arn:json-key:version-stage:version-id`, the form ECS takes to read one key of one version (none: the current one). */
const reference = ({ arn, versionId }: Stored, jsonKey = ""): pulumi.Output<string> =>
  pulumi.interpolate`${arn}:${jsonKey}::${versionId ?? ""}`;

/** The TLS pair's secret: the component's certificate, or, issued where the server runs, the renewer's. */
export function secretStore(
  context: AwsContext,
  secrets: StackSecrets,
  certificate: StackCertificate | undefined,
): SecretStore {
  const { domain } = context.plan.spec;
  const stored = new Map<SecretName, Stored>();
  for (const [key, value] of Object.entries(secrets) as [SecretName, pulumi.Output<string>][]) {
    stored.set(key, store(context, containerSecretPart(key), value, `ProsodyStack ${domain}: ${key}`));
  }
  const tlsDescription = `ProsodyStack ${domain}: TLS certificate chain and key`;
  const tls = certificate
    ? store(
        context,
        "tls",
        pulumi.jsonStringify({
          [TLS_JSON_KEYS.certificate]: certificate.fullChainPem,
          [TLS_JSON_KEYS.key]: certificate.privateKeyPem,
        }),
        tlsDescription,
      )
    : store(context, "tls", pulumi.output(AWAITING_FIRST_PAIR), `${tlsDescription}, written by the renewer`, "renewer");
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
    tlsArn: tls.arn,
  };
}
