/** What the AWS platform's tests share: the prod stack, run once under mocks, and readers of its resources. */
import type { DeploymentPlan } from "../../../src/plan";
import { planDeployment } from "../../../src/plan";
import { stackSpec } from "../../../src/schema/stack-file";
import { byName, runProgram, stackWith, type TestedRun } from "../../support/mock-stack";

export const prod = stackWith("prod", {});
export const planOf = (config: typeof prod): DeploymentPlan => planDeployment(stackSpec(config));

let prodRun: Promise<TestedRun> | undefined;

/** In a describe: the prod stack's plan, and its run under mocks (one run for every file), ready in each test. */
export function prodStack(): { plan: DeploymentPlan; run: TestedRun } {
  const stack = { plan: planOf(prod) } as { plan: DeploymentPlan; run: TestedRun };
  before(async () => {
    stack.run = await (prodRun ??= runProgram(prod, "prod"));
  });
  return stack;
}

export interface ContainerDefinition {
  name: string;
  image: string;
  environment: { name: string; value: string }[];
  secrets: { name: string; valueFrom: string }[];
  portMappings: { containerPort: number }[];
  readonlyRootFilesystem: boolean;
}
export interface PolicyStatement {
  Sid: string;
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
}
export interface Rule {
  fromPort: number;
  toPort: number;
  protocol: string;
  cidrBlocks?: string[];
  ipv6CidrBlocks?: string[];
  securityGroups?: string[];
}

export const inputs = <T>(run: TestedRun, name: string): T => byName(run, name).clearInputs as T;
export const container = (run: TestedRun, task: string): ContainerDefinition => {
  const [definition] = JSON.parse(inputs<{ containerDefinitions: string }>(run, task).containerDefinitions);
  return definition as ContainerDefinition;
};
export const statements = (run: TestedRun, policy: string): PolicyStatement[] =>
  JSON.parse(inputs<{ policy: string }>(run, policy).policy).Statement;
export const list = (value: string | string[]): string[] => (Array.isArray(value) ? value : [value]);
export const arnOf = (name: string) => `arn:aws:secretsmanager:eu-central-1:123456789012:${name}`;
