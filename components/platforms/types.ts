/** The contract between ProsodyStack and a platform module. */
import type * as pulumi from "@pulumi/pulumi";
import type { DeploymentPlan } from "../../src/plan/deployment";
import type { Problem } from "../../src/spec/errors";
import type { StackCertificate } from "../shared/certificates";
import type { StackSecrets } from "../shared/secrets";

export interface PlatformInput {
  /** the component's name: children are `${name}-<part>` */
  name: string;
  parent: pulumi.ComponentResource;
  plan: DeploymentPlan;
  /** renderArtifacts(plan), by file name */
  artifacts: Readonly<Record<string, string>>;
  certificate: StackCertificate;
  secrets: StackSecrets;
}

export interface PlatformOutputs {
  /** the image reference the server runs */
  image: pulumi.Output<string>;
  /** names of the stateful and certificate volumes (or their platform's equivalent) */
  volumes: {
    data: pulumi.Output<string>;
    uploads?: pulumi.Output<string>;
    certificates: pulumi.Output<string>;
    database?: pulumi.Output<string>;
  };
  /** where Prosody reaches PostgreSQL, when the plan uses it */
  databaseHost?: pulumi.Output<string>;
}

export type Platform = (input: PlatformInput) => PlatformOutputs;

/** What a platform can do today; anything else is refused up front, naming the field. */
export interface PlatformSupport {
  tlsModes: readonly string[];
  dnsProviders: readonly string[];
  uploads: readonly string[];
  /** rules of this platform beyond the lists above, as problems naming the field */
  check?: (plan: DeploymentPlan) => Problem[];
}
