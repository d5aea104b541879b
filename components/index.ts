/** The Pulumi side: the ProsodyStack component and the shapes of its inputs and outputs. */
export { PROSODY_STACK_TYPE, ProsodyStack, type ProsodyStackArgs } from "./prosody-stack";
export type { ProsodyStackOutputs, SuiteSummary } from "./outputs";
export type { GivenSecrets } from "./stack-secrets";
export type { ExistingResources } from "./existing";
export type { ExistingAwsResources } from "./platforms/aws/existing";
export type { ExistingKubernetesResources } from "./platforms/kubernetes/existing";
export { ProsodyStackProvider, serveProvider } from "./pulumi-provider";
