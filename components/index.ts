/** The Pulumi side: the ProsodyStack component and what its outputs look like. */
export { PROSODY_STACK_TYPE, ProsodyStack, type ProsodyStackArgs } from "./prosody-stack";
export type { PlanOutputs, SuiteSummary } from "./outputs";
export type { GivenSecrets } from "./secrets";
export type { ExistingAwsResources } from "./platforms/aws/existing";
