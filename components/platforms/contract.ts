/** The contract between ProsodyStack and a platform module. */
import type * as pulumi from "@pulumi/pulumi";
import type { DeploymentPlan } from "../../src/plan/plan-deployment";
import type { SecretKey } from "../../src/schema/pulumi-config";
import type { Problem } from "../../src/common/problems";
import type { StackSecrets } from "../secrets";
import type { ExistingAwsResources } from "./aws/existing";

export interface PlatformInput {
  /** the component's name: children are `${name}-<part>` */
  name: string;
  parent: pulumi.ComponentResource;
  plan: DeploymentPlan;
  /** renderArtifacts(plan), by file name */
  artifacts: Readonly<Record<string, string>>;
  secrets: StackSecrets;
  /** the caller's resources to use instead of creating them (AWS) */
  existing: ExistingAwsResources;
}

export interface PlatformOutputs {
  /** the image reference the server runs */
  image: pulumi.Output<string>;
  /** PEM of the CA clients must trust, when the certificate is self-signed */
  caCertificate?: pulumi.Output<string>;
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
}

export type Platform = (input: PlatformInput) => PlatformOutputs;

/** What the platform's rules look at beyond the plan. */
export interface PlatformContext {
  existing: ExistingAwsResources;
  /** the secret keys the caller gave (the rest are generated) */
  givenSecrets: ReadonlySet<SecretKey>;
}

/** What a platform can do today; anything else is refused up front, naming the field. */
export interface PlatformSupport {
  tlsModes: readonly string[];
  dnsProviders: readonly string[];
  uploads: readonly string[];
  /** rules of this platform beyond the lists above, as problems naming the field */
  check?: (plan: DeploymentPlan, context: PlatformContext) => Problem[];
}
