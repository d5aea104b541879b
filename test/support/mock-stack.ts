/**
 * Stacks under Pulumi's mock runtime for tests, through the same runner
 * `prosody-stack plan` uses (it sets the mocks for each run; runs never
 * overlap, so the process-global mock state is never shared). Each recorded
 * resource also carries what only tests may see: its secret values and its
 * inputs with secrets in the clear.
 */
import { strict as assert } from "node:assert";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import {
  isSecretValue,
  type MockOptions,
  type MockRun,
  type RecordedResource,
  runUnderMocks,
} from "../../components/mock-runtime";
import program from "../../program";
import { readStackConfig, type StackConfig } from "../../src/schema/stack-file";

const ROOT = join(__dirname, "..", "..");
export const devConfig = () => readStackConfig("dev", ROOT);

export interface TestedResource extends RecordedResource {
  /** every secret value in the inputs, unmasked: where secrets go */
  secretValues: string[];
  /** the inputs with secrets in the clear: for replaying a resource; never printed */
  clearInputs: Record<string, unknown>;
}

export interface TestedRun extends MockRun {
  resources: TestedResource[];
}

/** The string values inside secrets. */
function secretStrings(value: unknown, inSecret = false): string[] {
  if (isSecretValue(value)) return secretStrings(value.value, true);
  if (typeof value === "string") return inSecret ? [value] : [];
  if (Array.isArray(value)) return value.flatMap((entry) => secretStrings(entry, inSecret));
  if (typeof value === "object" && value !== null) {
    return Object.values(value).flatMap((entry) => secretStrings(entry, inSecret));
  }
  return [];
}

function revealSecrets(value: unknown): unknown {
  if (isSecretValue(value)) return revealSecrets(value.value);
  if (Array.isArray(value)) return value.map(revealSecrets);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, revealSecrets(entry)]));
  }
  return value;
}

/** runUnderMocks, keeping each resource's wire inputs for the tests. */
export async function runTested(
  stack: string,
  config: Pick<StackConfig, "values" | "secretKeys">,
  build: () => Record<string, pulumi.Output<unknown>>,
  options: Omit<MockOptions, "observe"> = {},
): Promise<TestedRun> {
  const wires = new Map<string, Record<string, unknown>>();
  const run = await runUnderMocks(stack, config, build, {
    ...options,
    observe: (name, wire) => wires.set(name, wire),
  });
  return {
    ...run,
    resources: run.resources.map((resource) => {
      const wire = wires.get(resource.name) ?? {};
      return {
        ...resource,
        secretValues: secretStrings(wire),
        clearInputs: revealSecrets(wire) as Record<string, unknown>,
      };
    }),
  };
}

/** The project's program, plus adminPasswords in the clear as `shownAdminPasswords`: what `pulumi stack output --show-secrets` prints. */
export const programShowingAdminPasswords = (): Record<string, pulumi.Output<unknown>> => {
  const outputs = program();
  return { ...outputs, shownAdminPasswords: pulumi.unsecret(outputs.adminPasswords ?? pulumi.output({})) };
};

/** One of the project's stack files with some keys replaced. */
export function stackWith(stack: string, values: Record<string, unknown>, secretKeys: string[] = []): StackConfig {
  const config = readStackConfig(stack, ROOT);
  return { ...config, values: { ...config.values, ...values }, secretKeys: [...config.secretKeys, ...secretKeys] };
}

/** The dev stack file with some keys replaced. */
export const devWith = (values: Record<string, unknown>, secretKeys: string[] = []): StackConfig =>
  stackWith("dev", values, secretKeys);

export const runProgram = (config: Pick<StackConfig, "values" | "secretKeys">, stack = "dev") =>
  runTested(stack, config, program);

export const runComponents = (build: () => Record<string, pulumi.Output<unknown>>) =>
  runTested("test", { values: {}, secretKeys: [] }, build);

export const byName = <R extends RecordedResource>(run: { resources: R[] }, name: string): R => {
  const found = run.resources.find((resource) => resource.name === name);
  assert.ok(found, `no resource named ${name} in ${run.resources.map((resource) => resource.name).join(", ")}`);
  return found;
};

export const describeResources = (run: MockRun) =>
  run.resources.map((resource) => `${resource.type} ${resource.name}`).sort();

export async function expectResourceError(build: () => void): Promise<string> {
  try {
    await runComponents(() => {
      build();
      return {};
    });
  } catch (error) {
    assert.ok(pulumi.ResourceError.isInstance(error), `expected a ResourceError, got ${String(error)}`);
    return (error as Error).message;
  }
  assert.fail("the component accepted the spec");
}

/** A container's "NAME=value" environment entries by name (a value may hold "=" itself). */
export const envsByName = (envs: readonly string[]): Map<string, string> =>
  new Map(envs.map((entry) => [entry.slice(0, entry.indexOf("=")), entry.slice(entry.indexOf("=") + 1)]));
