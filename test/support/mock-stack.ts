/**
 * The dev stack under Pulumi's mock runtime, through the same runner
 * `prosody-stack plan` uses (it sets the mocks for each run; runs never
 * overlap, so the process-global mock state is never shared).
 */
import { strict as assert } from "node:assert";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { type MockRun, type RecordedResource, runUnderMocks } from "../../components/mock-runtime";
import program from "../../program";
import { readStackConfig, type StackConfig } from "../../src/schema/stack-file";

const ROOT = join(__dirname, "..", "..");
export const devConfig = () => readStackConfig("dev", ROOT);

/** One of the project's stack files with some keys replaced. */
export function stackWith(stack: string, values: Record<string, unknown>, secretKeys: string[] = []): StackConfig {
  const config = readStackConfig(stack, ROOT);
  return { ...config, values: { ...config.values, ...values }, secretKeys: [...config.secretKeys, ...secretKeys] };
}

/** The dev stack file with some keys replaced. */
export const devWith = (values: Record<string, unknown>, secretKeys: string[] = []): StackConfig =>
  stackWith("dev", values, secretKeys);

export const runProgram = (config: Pick<StackConfig, "values" | "secretKeys">, stack = "dev") =>
  runUnderMocks(stack, config, program);

export const runComponents = (build: () => Record<string, pulumi.Output<unknown>>) =>
  runUnderMocks("test", { values: {}, secretKeys: [] }, build);

export const byName = (run: MockRun, name: string): RecordedResource => {
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
