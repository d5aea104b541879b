/**
 * @prosodystack/pulumi: the ProsodyStack component for Pulumi programs, and the
 * component provider other languages use. What users may rely on, chosen on
 * purpose: test/unit/public-api.test.ts pins this list. Planning, rendering
 * and the module catalog, with no Pulumi, no cloud and no credentials, are the
 * other entry: @prosodystack/pulumi/offline (offline.ts).
 */
export { PROSODY_STACK_TYPE, ProsodyStack, type ProsodyStackArgs } from "./components/prosody-stack";
export type { ProsodyStackOutputs, SuiteSummary } from "./components/outputs";
export type { GivenSecrets } from "./components/stack-secrets";
export type { ExistingResources } from "./components/existing";
export type { ExistingAwsResources } from "./components/platforms/aws/existing";
export type { ExistingKubernetesResources } from "./components/platforms/kubernetes/existing";
export type { ExistingRoute53Resources } from "./components/dns/route53-existing";
export type { BackupTask } from "./components/platforms/aws/backup-task";
export { ProsodyStackProvider, serveProvider } from "./components/pulumi-provider";
