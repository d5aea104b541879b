/**
 * The project's Pulumi program (Pulumi.yaml `main`): the stack's `prosody:`
 * config, validated by the same schema as the CLI, becomes one ProsodyStack.
 * Exported as a function, which Pulumi calls, so `prosody-stack plan` can
 * run it again under the mock runtime; its result becomes the stack outputs.
 */
import * as pulumi from "@pulumi/pulumi";
import { ProsodyStack } from "./components/prosody-stack";
import type { ProsodyStackOutputs } from "./components/outputs";
import { parseExistingConfig } from "./components/existing-rules";
import type { GivenSecrets } from "./components/stack-secrets";
import { parseDeploymentSpec } from "./src/schema";
import { PROJECT, readProgramConfig } from "./src/schema/pulumi-config";

/** The component's name, fixed so that every child keeps its name from stack to stack and run to run. */
const COMPONENT = "prosody";

/** The component's outputs the stack exports (`pulumi stack output`), in this order. */
const STACK_OUTPUTS: readonly (keyof ProsodyStackOutputs)[] = [
  "domain",
  "clientEndpoint",
  "directTlsEndpoint",
  "serverEndpoint",
  "httpsUrl",
  "uploadUrl",
  "admins",
  "adminPasswords",
  "dnsRecords",
  "zoneFile",
  "stabilityProfile",
  "compliance",
  "image",
  "caCertificate",
  "certificateExpires",
  "dataVolume",
  "databaseHost",
  "loadBalancer",
  "uploadBucket",
  "logGroup",
  "backupDestination",
  "backupRecipient",
  "backupIdentity",
  "backupTask",
];

/**
 * The config keys Pulumi's CLI says are `secure:` (its language host sets
 * PULUMI_CONFIG_SECRET_KEYS for the program); undefined when it says nothing,
 * and then a secret in plain text cannot be told apart and is not refused.
 */
function secureConfigKeys(): Set<string> | undefined {
  const listed = process.env.PULUMI_CONFIG_SECRET_KEYS;
  if (listed === undefined) return undefined;
  try {
    const keys: unknown = JSON.parse(listed);
    return Array.isArray(keys) ? new Set(keys.filter((key): key is string => typeof key === "string")) : undefined;
  } catch {
    return undefined;
  }
}

function program(): Record<string, pulumi.Output<unknown>> {
  const secure = secureConfigKeys();
  const decoded = readProgramConfig(pulumi.runtime.allConfig(), secure, "", secure !== undefined);
  const spec = parseDeploymentSpec(decoded.spec, `${PROJECT}:`);
  const secrets: GivenSecrets = {};
  // Read as text, so the component checks them at once; it keeps every one a Pulumi secret.
  for (const key of decoded.secrets) secrets[key] = pulumi.runtime.getConfig(`${PROJECT}:${key}`);

  const existing = parseExistingConfig(decoded.existing, `${PROJECT}:`);

  const server = new ProsodyStack(COMPONENT, { ...spec, secrets, existing });
  return Object.fromEntries(STACK_OUTPUTS.map((key) => [key, server[key]]));
}

// Pulumi runs a CommonJS program whose module.exports is a function by calling it.
export = program;
