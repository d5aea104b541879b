/** What every part of the AWS platform receives: the component's name, its parent and the plan. */
import type * as pulumi from "@pulumi/pulumi";
import type { DeploymentPlan } from "../../../src/plan/plan-deployment";
import { childName } from "../../naming";

export interface AwsContext {
  name: string;
  parent: pulumi.ComponentResource;
  plan: DeploymentPlan;
  /** the provider's region */
  region: pulumi.Output<string>;
}

/** `${name}-<part>`: the logical name of a child. */
export const child = (context: AwsContext, part: string): string => childName(context.name, part);

/** Tags on every taggable resource: find a stack's resources in the console and the bill. */
export const tags = (context: AwsContext, part: string): Record<string, string> => ({
  Name: child(context, part),
  "prosody-stack:domain": context.plan.spec.domain,
});
