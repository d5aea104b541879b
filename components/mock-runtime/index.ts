/**
 * Runs the project's real Pulumi program under Pulumi's mock runtime: no CLI,
 * no engine, no provider plugins, no credentials. Every resource the program
 * registers is recorded with its type, name, parent, options and inputs,
 * secret values replaced by "[secret]". Providers' computed outputs are
 * stood in for by deterministic placeholders (MOCK_OUTPUTS).
 */
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { encodeProgramConfig, PROJECT } from "../../src/schema/pulumi-config";
import { SECRET_PLACEHOLDER, type StackConfig } from "../../src/schema/stack-file";

export interface RecordedResource {
  type: string;
  name: string;
  urn: string;
  /** the parent's logical name; undefined at the top */
  parent?: string;
  custom: boolean;
  /** the explicit provider reference ("<urn>::<id>"), when one applies */
  provider?: string;
  protect: boolean;
  deleteBeforeReplace: boolean;
  /** logical names of explicit dependencies */
  dependsOn: string[];
  /** as the provider would receive them, secrets as "[secret]" */
  inputs: Record<string, unknown>;
  /** every secret value in the inputs, unmasked: for tests that prove where secrets go */
  secretValues: string[];
  /** the inputs with secrets in the clear: for tests that replay a resource; never printed */
  clearInputs: Record<string, unknown>;
}

export interface MockRun {
  stack: string;
  resources: RecordedResource[];
  /** the program's stack outputs, secrets as "[secret]" */
  outputs: Record<string, unknown>;
}

const fakeDigest = (seed: string): string => createHash("sha256").update(seed).digest("hex");
const fakePem = (kind: string, seed: string): string =>
  `-----BEGIN ${kind}-----\nmock-${fakeDigest(`${kind}:${seed}`).slice(0, 32)}\n-----END ${kind}-----\n`;

/** The account every mock ARN names. */
const MOCK_ACCOUNT = "123456789012";

/** Where a mock resource lives: the stack's aws:region, as the provider would take it. */
interface MockWhere {
  region: string;
}

type MockOutputs = (name: string, inputs: Record<string, unknown>, where: MockWhere) => Record<string, unknown>;

/** What each provider computes, stood in for so that downstream inputs are complete. */
const MOCK_OUTPUTS: Record<string, MockOutputs> = {
  "random:index/randomPassword:RandomPassword": (name) => ({ result: `mock${fakeDigest(name).slice(0, 28)}` }),
  "tls:index/privateKey:PrivateKey": (name) => ({
    privateKeyPem: fakePem("PRIVATE KEY", name),
    publicKeyPem: fakePem("PUBLIC KEY", name),
  }),
  "tls:index/selfSignedCert:SelfSignedCert": (name) => ({ certPem: fakePem("CERTIFICATE", name) }),
  "tls:index/certRequest:CertRequest": (name) => ({ certRequestPem: fakePem("CERTIFICATE REQUEST", name) }),
  "tls:index/locallySignedCert:LocallySignedCert": (name) => ({ certPem: fakePem("CERTIFICATE", name) }),
  "docker-build:index:Image": (name, inputs) => {
    const digest = `sha256:${fakeDigest(name)}`;
    const [tag] = (inputs.tags as string[] | undefined) ?? [name];
    return { digest, ref: `${tag}@${digest}` };
  },
  "docker:index/remoteImage:RemoteImage": (name, inputs) => ({
    imageId: `sha256:${fakeDigest(name)}`,
    repoDigest: `${String(inputs.name)}@sha256:${fakeDigest(name)}`,
  }),
  "acme:index/certificate:Certificate": (name) => ({
    certificatePem: fakePem("CERTIFICATE", name),
    issuerPem: fakePem("CERTIFICATE", `${name}-issuer`),
    privateKeyPem: fakePem("PRIVATE KEY", name),
    certificateSerial: fakeDigest(name).slice(0, 32),
  }),
  "aws:ecr/repository:Repository": (name, _inputs, { region }) => ({
    name: autoName(name),
    registryId: MOCK_ACCOUNT,
    repositoryUrl: `${MOCK_ACCOUNT}.dkr.ecr.${region}.amazonaws.com/${autoName(name)}`,
  }),
  "aws:lb/loadBalancer:LoadBalancer": (name, _inputs, { region }) => ({
    dnsName: `${autoName(name)}.elb.${region}.amazonaws.com`,
    zoneId: "Z1MOCKELBZONE",
  }),
  "aws:rds/instance:Instance": (name, _inputs, { region }) => ({
    address: `${autoName(name)}.mock.${region}.rds.amazonaws.com`,
  }),
  "aws:s3/bucket:Bucket": (name, _inputs, { region }) => ({ bucket: autoName(name), region }),
  "aws:secretsmanager/secretVersion:SecretVersion": (name) => ({ versionId: fakeUuid(name) }),
  "aws:cloudwatch/logGroup:LogGroup": (name) => ({ name: autoName(name) }),
  "aws:rds/subnetGroup:SubnetGroup": (name) => ({ name: autoName(name) }),
};

/** What each data source (invoke) answers. */
const MOCK_CALLS: Record<string, (inputs: Record<string, unknown>, where: MockWhere) => Record<string, unknown>> = {
  "aws:index/getRegion:getRegion": (_inputs, { region }) => ({ region, name: region }),
  "aws:index/getAvailabilityZones:getAvailabilityZones": (_inputs, { region }) => ({
    names: ["a", "b", "c"].map((zone) => `${region}${zone}`),
  }),
  "aws:ecr/getAuthorizationToken:getAuthorizationToken": (_inputs, { region }) => ({
    userName: "AWS",
    password: "mock-registry-token",
    proxyEndpoint: `https://${MOCK_ACCOUNT}.dkr.ecr.${region}.amazonaws.com`,
  }),
  "aws:route53/getZone:getZone": (inputs) => ({
    zoneId: `Z${fakeDigest(String(inputs.name)).slice(0, 20).toUpperCase()}`,
  }),
  "aws:ec2/getVpc:getVpc": () => ({ cidrBlock: "10.0.0.0/16" }),
  "aws:s3/getBucket:getBucket": (inputs, { region }) => ({ arn: `arn:aws:s3:::${String(inputs.bucket)}`, region }),
};

/** A name the way Pulumi auto-names: the logical name and a suffix. */
const autoName = (name: string): string => `${name}-${fakeDigest(name).slice(0, 7)}`;
const fakeUuid = (seed: string): string => {
  const hex = fakeDigest(seed);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
};

/** Every AWS resource has an ARN; what the provider computes beyond that comes from MOCK_OUTPUTS. */
function mockOutputs(type: string, name: string, inputs: Record<string, unknown>, where: MockWhere) {
  const [provider, token = ""] = type.split(":");
  const service = token.split("/")[0] ?? "";
  const arn = provider === "aws" ? { arn: `arn:aws:${service}:${where.region}:${MOCK_ACCOUNT}:${name}` } : {};
  return { ...arn, ...(MOCK_OUTPUTS[type]?.(name, inputs, where) ?? {}) };
}

const isSecretValue = (value: unknown): value is { value: unknown } =>
  typeof value === "object" &&
  value !== null &&
  (value as Record<string, unknown>)[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig;

/** Replaces secrets by the placeholder, collecting the string values they held. */
function maskSecrets(value: unknown, found: string[], inSecret = false): unknown {
  if (isSecretValue(value)) {
    maskSecrets(value.value, found, true);
    return SECRET_PLACEHOLDER;
  }
  if (typeof value === "string") {
    if (inSecret) found.push(value);
    return value;
  }
  if (Array.isArray(value)) return value.map((entry) => maskSecrets(entry, found, inSecret));
  if (typeof value === "object" && value !== null) {
    const masked: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(value)) masked[key] = maskSecrets(entry, found, inSecret);
    return masked;
  }
  return value;
}

function revealSecrets(value: unknown): unknown {
  if (isSecretValue(value)) return revealSecrets(value.value);
  if (Array.isArray(value)) return value.map(revealSecrets);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, revealSecrets(entry)]));
  }
  return value;
}

const nameOfUrn = (urn: string): string => urn.split("::").pop() ?? urn;

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getProvider(): string;
  getProtect(): boolean;
  getDeletebeforereplace(): boolean;
  getDependenciesList(): string[];
  getObject(): { toJavaScript(): Record<string, unknown> };
}

export interface MockOptions {
  project?: string;
  /** computed outputs to use instead of the placeholders (e.g. real certificates for a replay) */
  outputs?: (type: string, name: string) => Record<string, unknown> | undefined;
}

/** Runs `program` with the stack's config and records what it registers. */
export async function runUnderMocks(
  stack: string,
  config: Pick<StackConfig, "values" | "secretKeys">,
  program: () => Record<string, pulumi.Output<unknown>>,
  options: MockOptions = {},
): Promise<MockRun> {
  const project = options.project ?? PROJECT;
  const region = config.values["aws:region"];
  const where: MockWhere = { region: typeof region === "string" ? region : "us-east-1" };
  await pulumi.runtime.setMocks(
    {
      newResource: ({ type, name, inputs }) => ({
        id: `${name}-id`,
        state: { ...inputs, ...(options.outputs?.(type, name) ?? mockOutputs(type, name, inputs, where)) },
      }),
      call: ({ token, inputs }) => ({ ...inputs, ...(MOCK_CALLS[token]?.(inputs, where) ?? {}) }),
    },
    project,
    stack,
    false,
  );
  const resources: RecordedResource[] = [];
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource(request: RegisterRequest, callback: unknown): Promise<void>;
  };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (request, callback) => {
    const secretValues: string[] = [];
    // The wire form, not deserializeProperties: that marks a whole list secret when one element is.
    const wire = request.getObject().toJavaScript();
    const inputs = maskSecrets(wire, secretValues) as Record<string, unknown>;
    const parent = request.getParent();
    resources.push({
      type: request.getType(),
      name: request.getName(),
      urn: "",
      parent: parent ? nameOfUrn(parent) : undefined,
      custom: request.getCustom(),
      provider: request.getProvider() || undefined,
      protect: request.getProtect(),
      deleteBeforeReplace: request.getDeletebeforereplace(),
      dependsOn: request.getDependenciesList().map(nameOfUrn),
      inputs,
      secretValues,
      clearInputs: revealSecrets(wire) as Record<string, unknown>,
    });
    return register(request, callback);
  };
  pulumi.runtime.setAllConfig(encodeProgramConfig(config.values), config.secretKeys);

  const exported = program();
  const outputs: Record<string, unknown> = {};
  for (const [key, output] of Object.entries(exported)) {
    const lifted: pulumi.Output<unknown> = pulumi.output(output);
    const value = await new Promise<unknown>((resolve) => lifted.apply(resolve));
    outputs[key] = (await pulumi.isSecret(lifted)) ? SECRET_PLACEHOLDER : value;
  }
  await pulumi.runtime.disconnect();
  return { stack, resources: withUrns(resources, stack, project), outputs };
}

/** URNs as the engine writes them: the stack, the project, the type of every ancestor, the name. */
function withUrns(resources: RecordedResource[], stack: string, project: string): RecordedResource[] {
  const byName = new Map(resources.map((resource) => [resource.name, resource]));
  return resources.map((resource) => {
    const types: string[] = [resource.type];
    for (let parent = resource.parent; parent !== undefined; parent = byName.get(parent)?.parent) {
      types.unshift(byName.get(parent)?.type ?? "?");
    }
    return { ...resource, urn: `urn:pulumi:${stack}::${project}::${types.join("$")}::${resource.name}` };
  });
}
