/** What every part of the AWS platform receives: the component's name, its parent, the plan and the region. */
import type * as pulumi from "@pulumi/pulumi";
import { type ChildContext, child } from "../../naming";

export { child };

export interface AwsContext extends ChildContext {
  /** the provider's region */
  region: pulumi.Output<string>;
}

/** Tags on every taggable resource: find a stack's resources in the console and the bill. */
export const tags = (context: AwsContext, part: string): Record<string, string> => ({
  Name: child(context, part),
  "prosody-stack:domain": context.plan.spec.domain,
});
