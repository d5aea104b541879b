/**
 * ProsodyStack as a Pulumi component provider, for programs in Python, Go,
 * .NET or YAML (`pulumi package add`, provider/PulumiPlugin.yaml). The engine
 * asks it for the package schema (provider/schema.json, generated from the
 * spec) and has it construct the component; the state it returns is the
 * component's outputs, by the names the schema gives them.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { packageRoot } from "./package-files";
import { PROSODY_STACK_TYPE, ProsodyStack, type ProsodyStackArgs } from "./prosody-stack";

/** The package schema every language's SDK is generated from. */
export const schemaFile = (): string => join(packageRoot(__dirname), "provider", "schema.json");

export class ProsodyStackProvider implements pulumi.provider.Provider {
  readonly version: string;
  private readonly outputNames: string[];

  constructor(readonly schema: string = readFileSync(schemaFile(), "utf8")) {
    const parsed = JSON.parse(schema) as {
      version: string;
      resources: Record<string, { properties: Record<string, unknown> }>;
    };
    this.version = parsed.version;
    this.outputNames = Object.keys(parsed.resources[PROSODY_STACK_TYPE]?.properties ?? {});
  }

  async getSchema(): Promise<string> {
    return this.schema;
  }

  async construct(
    name: string,
    type: string,
    inputs: pulumi.Inputs,
    options: pulumi.ComponentResourceOptions,
  ): Promise<pulumi.provider.ConstructResult> {
    if (type !== PROSODY_STACK_TYPE) throw new Error(`this provider constructs ${PROSODY_STACK_TYPE}, not ${type}`);
    const stack = new ProsodyStack(name, inputs as ProsodyStackArgs, options);
    const outputs = stack as unknown as Record<string, pulumi.Output<unknown>>;
    return {
      urn: stack.urn,
      state: Object.fromEntries(this.outputNames.map((output) => [output, outputs[output]])),
    };
  }
}

/** Serves the provider to the Pulumi engine (the plugin's entry point). */
export const serveProvider = (args: string[]): Promise<void> => pulumi.provider.main(new ProsodyStackProvider(), args);
