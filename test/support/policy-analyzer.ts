/**
 * The policy pack as Pulumi's CLI runs it, with no CLI: policy/index.js in a
 * Node process of its own (built rules from dist/ are not needed: ts-node loads
 * components/policy/pack.ts), which prints its gRPC port; the test speaks
 * Pulumi's Analyzer protocol to it, as `pulumi preview --policy-pack` does.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import type { PolicyResource } from "../../components/policy/rules";

/* eslint-disable @typescript-eslint/no-require-imports -- the generated protocol stubs are CommonJS without types */
const { AnalyzerClient } = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
const analyzer = require("@pulumi/pulumi/proto/analyzer_pb");
const { Empty } = require("google-protobuf/google/protobuf/empty_pb");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
/* eslint-enable @typescript-eslint/no-require-imports */

const PACK = join(__dirname, "..", "..", "components", "policy", "pack.ts");

export const ENFORCEMENT = analyzer.EnforcementLevel as Record<string, number>;

export interface Diagnostic {
  policy: string;
  urn: string;
  message: string;
  enforcement: number;
}

export interface Analyzer {
  info(): Promise<{ name: string; policies: { name: string; enforcement: number }[] }>;
  analyzeStack(resources: readonly PolicyResource[]): Promise<Diagnostic[]>;
  stop(): void;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- generated stubs
type Message = any;

const call = <T>(client: Message, method: string, request: Message): Promise<T> =>
  new Promise((resolve, reject) =>
    client[method](request, (error: Error | null, response: T) => (error ? reject(error) : resolve(response))),
  );

export async function startAnalyzer(): Promise<Analyzer> {
  const child: ChildProcess = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", PACK], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let errors = "";
  child.stderr?.on("data", (chunk: Buffer) => (errors += chunk.toString()));
  const port = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the policy pack printed no port:\n${errors}`)), 30_000);
    child.stdout?.once("data", (chunk: Buffer) => {
      clearTimeout(timer);
      resolve(chunk.toString().trim());
    });
    child.once("exit", (code) => reject(new Error(`the policy pack exited ${code}:\n${errors}`)));
  });
  const client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  return {
    async info() {
      const info: Message = await call(client, "getAnalyzerInfo", new Empty());
      return {
        name: info.getName(),
        policies: info.getPoliciesList().map((policy: Message) => ({
          name: policy.getName(),
          enforcement: policy.getEnforcementlevel(),
        })),
      };
    },
    async analyzeStack(resources) {
      const request = new analyzer.AnalyzeStackRequest();
      request.setResourcesList(
        resources.map((resource) => {
          const entry = new analyzer.AnalyzerResource();
          entry.setType(resource.type);
          entry.setName(resource.name);
          entry.setUrn(resource.urn);
          entry.setProperties(Struct.fromJavaScript(JSON.parse(JSON.stringify(resource.props))));
          const options = new analyzer.AnalyzerResourceOptions();
          options.setProtect(resource.protect);
          entry.setOptions(options);
          return entry;
        }),
      );
      const response: Message = await call(client, "analyzeStack", request);
      return response.getDiagnosticsList().map((diagnostic: Message) => ({
        policy: diagnostic.getPolicyname(),
        urn: diagnostic.getUrn(),
        message: diagnostic.getMessage(),
        enforcement: diagnostic.getEnforcementlevel(),
      }));
    },
    stop() {
      client.close();
      child.kill();
    },
  };
}
