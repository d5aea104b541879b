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
import type { AcmeChallenge, StackCertificate } from "../certificates/contract";
import type { PlatformResourceOutputs } from "../outputs";
import type { AddressTarget } from "../dns/contract";
import type { ChildContext } from "../naming";
import type { StackSecrets } from "../stack-secrets";

/** The part of `existing` a platform that takes no existing resources gets. */
export type NoExisting = Record<string, never>;

export interface PlatformInput<Existing> extends ChildContext {
  /** the providers the caller gave the component (opts.provider, opts.providers), which its children inherit */
  providers: readonly pulumi.ProviderResource[];
  secrets: StackSecrets;
  /** the builds of the plan's images (components/image-builds.ts), which the container descriptions take */
  images: StackImages;
  /** the stack's certificate; undefined when it is issued where the server runs (the renewer, cert-manager) */
  certificate: StackCertificate | undefined;
  /** the DNS provider's ACME challenge, where the renewer issues the certificate: the zone its identity may change */
  challenge?: AcmeChallenge;
  /** the caller's resources for this platform, already checked by its `support.check` */
  existing: Existing;
  /** with backups: the recipients every backup is encrypted to */
  backupKey?: BackupKey;
}

export interface PlatformOutputs {
  /** the image reference the server runs */
  image: pulumi.Output<string>;
  /** where the DNS provider points the host names */
  addressTarget: AddressTarget;
  /** the component's outputs that name what this platform made, where it made it; the others stay undefined */
  resources: PlatformResourceOutputs;
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
