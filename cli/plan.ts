/**
 * `prosody-stack plan --stack NAME [--json]`: the resources the project's
 * program would create for a stack, from a run under Pulumi's mock runtime.
 * People read the tree to review a change (a tier switch, a new platform);
 * CI diffs the JSON.
 */
import { createHash } from "node:crypto";
import { readStackConfig, SECRET_PLACEHOLDER, stackSpec } from "../src/schema/stack-file";
import type { MockRun, RecordedResource } from "../components/mock-runtime";

export interface PlanJson {
  stack: string;
  resources: {
    type: string;
    name: string;
    parent: string | null;
    urn: string;
    protect: boolean;
    deleteBeforeReplace: boolean;
    retainOnDelete: boolean;
    dependsOn: string[];
    inputs: Record<string, unknown>;
  }[];
  outputs: Record<string, unknown>;
}

/** The component refused the stack's spec (a pulumi.ResourceError naming the fields). */
export class StackError extends Error {}

/** Loads Pulumi and the program only for this command: the other commands stay fast. */
export async function planStack(stack: string, directory = process.cwd()): Promise<MockRun> {
  const config = readStackConfig(stack, directory);
  // The same reader as `render`, before Pulumi loads: a stack file is refused the same way by every command.
  stackSpec(config);
  const { ResourceError } = await import("@pulumi/pulumi");
  const { runUnderMocks } = await import("../components/mock-runtime");
  const { default: program } = await import("../program");
  // Pulumi's SDK records a stack trace for every promise and resource it makes; a plan never shows
  // them, and capturing them is a sixth of its time. Refusals carry their own messages.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return await runUnderMocks(stack, config, program);
  } catch (error) {
    if (ResourceError.isInstance(error)) {
      // The engine's wrapping says where the value went, not what is wrong with it.
      const message = error.message.replace(/^(error serializing property "[^"]*": )+/, "");
      throw new StackError(message, { cause: error });
    }
    throw error;
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

/** Resources sorted parent first, then by name, so the output is stable from run to run. */
function ordered(resources: readonly RecordedResource[]): { resource: RecordedResource; depth: number }[] {
  const children = new Map<string | undefined, RecordedResource[]>();
  for (const resource of resources) {
    const siblings = children.get(resource.parent) ?? [];
    siblings.push(resource);
    children.set(resource.parent, siblings);
  }
  const out: { resource: RecordedResource; depth: number }[] = [];
  const visit = (parent: string | undefined, depth: number) => {
    const siblings = [...(children.get(parent) ?? [])].sort((a, b) => a.name.localeCompare(b.name));
    for (const resource of siblings) {
      out.push({ resource, depth });
      visit(resource.name, depth + 1);
    }
  };
  visit(undefined, 0);
  return out;
}

export function planJson(run: MockRun): PlanJson {
  return {
    stack: run.stack,
    resources: ordered(run.resources).map(({ resource }) => ({
      type: resource.type,
      name: resource.name,
      parent: resource.parent ?? null,
      urn: resource.urn,
      protect: resource.protect,
      deleteBeforeReplace: resource.deleteBeforeReplace,
      retainOnDelete: resource.retainOnDelete,
      dependsOn: resource.dependsOn,
      inputs: resource.inputs,
    })),
    outputs: run.outputs,
  };
}

const LONG_TEXT = 240;

/** One input value on one line: long or multi-line text becomes a summary a diff still catches. */
function brief(value: unknown): string {
  if (typeof value === "string") {
    if (value === SECRET_PLACEHOLDER) return value;
    if (value.length <= LONG_TEXT && !value.includes("\n")) return JSON.stringify(value);
    const lines = value.split("\n").length;
    const digest = createHash("sha256").update(value).digest("hex").slice(0, 12);
    return `<text, ${lines} lines, sha256 ${digest}>`;
  }
  if (Array.isArray(value)) return `[${value.map(brief).join(", ")}]`;
  if (typeof value === "object" && value !== null) {
    return `{ ${Object.entries(value)
      .map(([key, entry]) => `${key}: ${brief(entry)}`)
      .join(", ")} }`;
  }
  return value === undefined ? "none" : JSON.stringify(value);
}

export function planText(run: MockRun): string {
  const lines = [`Stack ${run.stack}: ${run.resources.length} resources (Pulumi mock runtime; nothing was deployed)`];
  for (const { resource, depth } of ordered(run.resources)) {
    const indent = "  ".repeat(depth);
    const flags = [
      resource.protect ? "protected" : undefined,
      resource.deleteBeforeReplace ? "delete before replace" : undefined,
      resource.retainOnDelete ? "kept by destroy" : undefined,
      resource.dependsOn.length > 0 ? `after ${resource.dependsOn.join(", ")}` : undefined,
    ].filter((flag) => flag !== undefined);
    lines.push(`${indent}${resource.name}  ${resource.type}${flags.length > 0 ? `  (${flags.join("; ")})` : ""}`);
    for (const key of Object.keys(resource.inputs).sort()) {
      lines.push(`${indent}    ${key}: ${brief(resource.inputs[key])}`);
    }
  }
  lines.push("", "Outputs:");
  for (const [key, value] of Object.entries(run.outputs)) lines.push(`  ${key}: ${brief(value)}`);
  return lines.join("\n");
}
