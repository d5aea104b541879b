/**
 * Runs the project's real Pulumi program under Pulumi's mock runtime: no CLI,
 * no engine, no provider plugins, no credentials. Every resource the program
 * registers is recorded with its type, name, parent, options and inputs,
 * secret values replaced by "[secret]". Providers' computed outputs are
 * stood in for by deterministic placeholders, which each part of the
 * component brings (its mocks.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import { PLATFORMS } from "../../src/catalog/platforms";
import { encodeProgramConfig, PROJECT } from "../../src/schema/pulumi-config";
import { SECRET_PLACEHOLDER, type StackConfig } from "../../src/schema/stack-file";
import { dnsMocks } from "../dns/mocks";
import { componentMocks } from "../mocks";
import { PLATFORM_REGISTRY } from "../platforms/registry";
import type { MockContext, ProviderMocks } from "./fakes";

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
  /** `pulumi destroy` leaves it where it is and only forgets it */
  retainOnDelete: boolean;
  /** inputs a later `pulumi up` leaves as they are (what something else writes after creation) */
  ignoreChanges: string[];
  /** logical names of explicit dependencies */
  dependsOn: string[];
  /** as the provider would receive them, secrets as "[secret]" */
  inputs: Record<string, unknown>;
}

export interface MockRun {
  stack: string;
  resources: RecordedResource[];
  /** the program's stack outputs, secrets as "[secret]" */
  outputs: Record<string, unknown>;
}

/** Every part's mocks: the component's own children, the DNS providers, each platform. */
const MOCKS: readonly ProviderMocks[] = [
  componentMocks,
  dnsMocks,
  ...PLATFORMS.map((platform) => PLATFORM_REGISTRY[platform].mocks),
];

function mockOutputs(type: string, name: string, inputs: Record<string, unknown>, context: MockContext) {
  const provider = type.split(":")[0];
  return Object.assign(
    {},
    ...MOCKS.map(({ everyResource }) =>
      everyResource !== undefined && everyResource.provider === provider
        ? everyResource.outputs(type, name, context)
        : {},
    ),
    ...MOCKS.map((mocks) => mocks.resources?.[type]?.(name, inputs, context) ?? {}),
  ) as Record<string, unknown>;
}

function mockCall(token: string, inputs: Record<string, unknown>, context: MockContext): Record<string, unknown> {
  for (const mocks of MOCKS) {
    const call = mocks.calls?.[token];
    if (call) return call(inputs, context);
  }
  return {};
}

/** A value the runtime marks secret on the wire. */
export const isSecretValue = (value: unknown): value is { value: unknown } =>
  typeof value === "object" &&
  value !== null &&
  (value as Record<string, unknown>)[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig;

/** Replaces secrets by the placeholder. */
function maskSecrets(value: unknown): unknown {
  if (isSecretValue(value)) return SECRET_PLACEHOLDER;
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, maskSecrets(entry)]));
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
  getRetainondelete(): boolean | undefined;
  getIgnorechangesList(): string[];
  getDependenciesList(): string[];
  getObject(): { toJavaScript(): Record<string, unknown> };
}

export interface MockOptions {
  project?: string;
  /** computed outputs to use instead of the placeholders (e.g. real certificates for a replay) */
  outputs?: (type: string, name: string) => Record<string, unknown> | undefined;
  /** data source answers to use instead of the stand-ins (e.g. records a zone already holds) */
  calls?: (token: string, inputs: Record<string, unknown>) => Record<string, unknown> | undefined;
  /** sees each registration's wire inputs, secrets still marked (tests read where secrets go) */
  observe?: (name: string, wire: Record<string, unknown>) => void;
}

/** Runs `program` with the stack's config and records what it registers. */
export async function runUnderMocks(
  stack: string,
  config: Pick<StackConfig, "values" | "secretKeys">,
  program: () => Record<string, pulumi.Output<unknown>>,
  options: MockOptions = {},
): Promise<MockRun> {
  const project = options.project ?? PROJECT;
  const context: MockContext = { config: config.values };
  await pulumi.runtime.setMocks(
    {
      newResource: ({ type, name, inputs }) => ({
        id: `${name}-id`,
        state: { ...inputs, ...(options.outputs?.(type, name) ?? mockOutputs(type, name, inputs, context)) },
      }),
      call: ({ token, inputs }) => ({
        ...inputs,
        ...(options.calls?.(token, inputs) ?? mockCall(token, inputs, context)),
      }),
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
    // The wire form, not deserializeProperties: that marks a whole list secret when one element is.
    const wire = request.getObject().toJavaScript();
    options.observe?.(request.getName(), wire);
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
      retainOnDelete: request.getRetainondelete() ?? false,
      ignoreChanges: request.getIgnorechangesList(),
      dependsOn: request.getDependenciesList().map(nameOfUrn),
      inputs: maskSecrets(wire) as Record<string, unknown>,
    });
    return register(request, callback);
  };
  pulumi.runtime.setAllConfig(encodeProgramConfig(config.values), config.secretKeys);

  // A resource whose inputs fail to resolve (a given secret refused in an apply) rejects outside any
  // promise the program returns; the engine would report it, so the run does.
  let failed: (reason: unknown) => void = () => undefined;
  const failure = new Promise<never>((_resolve, reject) => (failed = reject));
  process.on("unhandledRejection", failed);
  try {
    const exported = program();
    const outputs = await Promise.race([stackOutputs(exported), failure]);
    // Registrations still under way (a record waiting on a check) may fail after the outputs are known.
    // Node reports an unhandled rejection once the microtasks drain, so one macrotask later it has been seen.
    const drained = pulumi.runtime.disconnect().then(() => new Promise((resolve) => setImmediate(resolve)));
    await Promise.race([drained, failure]);
    return { stack, resources: withUrns(resources, stack, project), outputs };
  } finally {
    process.off("unhandledRejection", failed);
  }
}

/** The program's outputs once known, secrets as the placeholder. */
async function stackOutputs(exported: Record<string, pulumi.Output<unknown>>): Promise<Record<string, unknown>> {
  const outputs: Record<string, unknown> = {};
  for (const [key, output] of Object.entries(exported)) {
    const lifted: pulumi.Output<unknown> = pulumi.output(output);
    const value = await new Promise<unknown>((resolve) => lifted.apply(resolve));
    outputs[key] = (await pulumi.isSecret(lifted)) ? SECRET_PLACEHOLDER : value;
  }
  return outputs;
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
