/**
 * The contract between ProsodyStack and a platform module: what every
 * platform receives (nothing platform-specific but its own part of
 * `existing`) and what it gives back. A platform turns the plan's container
 * descriptions (src/containers/) into its own resources.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { Problem } from "../../common/problems";
import type { StackImages } from "../../src/containers/images";
import type { DeploymentPlan } from "../../src/plan/types";
import type { SecretKey } from "../../src/schema/pulumi-config";
import type { BackupKey } from "../backup-key";
import type { StackCertificate } from "../certificates/contract";
import type { AddressTarget } from "../dns/contract";
import type { ChildContext } from "../naming";
import type { StackSecrets } from "../stack-secrets";

export interface PlatformInput<Existing> extends ChildContext {
  /** the providers the caller gave the component (opts.provider, opts.providers), which its children inherit */
  providers: readonly pulumi.ProviderResource[];
  secrets: StackSecrets;
  /** the builds of the plan's images (components/image-builds.ts), which the container descriptions take */
  images: StackImages;
  /** the stack's certificate; undefined when the platform has it issued where it runs (tls.mode "cert-manager") */
  certificate: StackCertificate | undefined;
  /** the caller's resources for this platform, already checked by its `support.check` */
  existing: Existing;
  /** with backups: the recipients every backup is encrypted to */
  backupKey?: BackupKey;
}

export interface PlatformOutputs {
  /** the image reference the server runs */
  image: pulumi.Output<string>;
  /** names of the stateful and certificate volumes, where the platform has volumes (Docker) */
  volumes?: {
    data: pulumi.Output<string>;
    uploads?: pulumi.Output<string>;
    certificates: pulumi.Output<string>;
    database?: pulumi.Output<string>;
  };
  /** where Prosody reaches PostgreSQL, when the plan uses it */
  databaseHost?: pulumi.Output<string>;
  /** DNS name of the load balancer in front of Prosody (cloud platforms) */
  loadBalancer?: pulumi.Output<string>;
  /** the S3 bucket uploads go to, when the platform created or was given one */
  uploadBucket?: pulumi.Output<string>;
  /** the security group of Prosody's task: let it into a database or service of yours */
  serverSecurityGroupId?: pulumi.Output<string>;
  /** where the containers' logs go */
  logGroup?: pulumi.Output<string>;
  /** where the DNS provider points the host names */
  addressTarget: AddressTarget;
  /** when the served certificate expires, where the platform has it issued (tls.mode "cert-manager") */
  certificateExpires?: pulumi.Output<string>;
  /** with backups: where they go, e.g. "volume prosody-dev-backups" or "s3://bucket" */
  backupDestination?: pulumi.Output<string>;
  /** with backups on AWS: how to run the backup task by hand (a restore) */
  backupTask?: pulumi.Output<BackupTask>;
}

/** How to run the AWS backup task by hand, for a restore (`prosody-stack restore --task`). */
export interface BackupTask {
  cluster: string;
  /** the task definition's family: its latest revision runs */
  taskDefinition: string;
  subnets: string[];
  securityGroups: string[];
  /** Prosody's ECS service, which a restore scales to 0 and back to 1 */
  service: string;
}

/** What the platform's rules look at beyond the plan. */
export interface PlatformContext<Existing> {
  existing: Existing;
  /** the secret keys the caller gave (the rest are generated) */
  givenSecrets: ReadonlySet<SecretKey>;
  /** the providers the caller gave the component */
  providers: readonly pulumi.ProviderResource[];
}

/** What a platform can do today; anything else is refused up front, naming the field. */
export interface PlatformSupport<Existing> {
  tlsModes: readonly string[];
  dnsProviders: readonly string[];
  uploads: readonly string[];
  /** rules of this platform beyond the lists above, as problems naming the field */
  check?: (plan: DeploymentPlan, context: PlatformContext<Existing>) => Problem[];
}

export interface PlatformModule<Existing> {
  deploy(input: PlatformInput<Existing>): PlatformOutputs;
  support: PlatformSupport<Existing>;
}
