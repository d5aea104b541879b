/**
 * ProsodyStack: one Prosody server from one typed spec. The class is thin:
 * it validates and plans (src/), refuses what the chosen platform, DNS
 * provider and certificate mode cannot do, creates what every platform
 * shares (the certificate by tls.mode, the secrets, the backup key, the DNS
 * records by dns.provider), hands the containers to the one platform module the spec
 * names, and registers its outputs (outputs.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import { formatProblem, type Problem, ProblemError } from "../common/problems";
import { rocksModules } from "../src/containers/images";
import { givenSecretProblem, neededSecrets, SECRET_RULES } from "../src/containers/secrets";
import type { DeploymentPlan } from "../src/plan/types";
import { planDeployment } from "../src/plan/plan-deployment";
import { renderArtifacts } from "../src/render";
import { type DeploymentSpecInput, parseDeploymentSpec } from "../src/schema";
import { foreignPlatformFields } from "../src/schema/platform-sections";
import type { SecretKey } from "../src/schema/pulumi-config";
import { backupKey } from "./backup-key";
import { certificateProblems, stackCertificate } from "./certificates";
import { dnsProvider } from "./dns";
import { COMPONENT_NAME } from "./naming";
import { stackImages } from "./image-builds";
import { missingSdks } from "./optional-sdks";
import { type ProsodyStackOutputs, stackOutputs } from "./outputs";
import { type LoadedPlatform, loadPlatform } from "./platforms/registry";
import type { ExistingResources } from "./existing";
import { existingProblems } from "./existing-rules";
import { type GivenSecrets, stackSecrets } from "./stack-secrets";

export const PROSODY_STACK_TYPE = "prosodystack:index:ProsodyStack";

/**
 * The spec fields (documented field by field in src/schema/deployment-spec.ts and
 * the README; plain data, because the plan is computed at construction so that a
 * preview shows every resource), plus secrets, which may be Pulumi secrets.
 */
export interface ProsodyStackArgs extends DeploymentSpecInput {
  /** Secrets Prosody needs; each one missing is generated with @pulumi/random and kept in the stack state. */
  secrets?: GivenSecrets;
  /** Resources of yours the stack uses instead of creating them, keyed by who reads them (aws: VPC, cluster, database; kubernetes: database; route53: hosted zone). */
  existing?: ExistingResources;
}

// The outputs are declared once, in ProsodyStackOutputs; the class takes them as its own properties.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
export interface ProsodyStack extends ProsodyStackOutputs {}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class ProsodyStack extends pulumi.ComponentResource {
  constructor(name: string, args: ProsodyStackArgs, opts: pulumi.ComponentResourceOptions = {}) {
    // The spec goes to the children, not into the component's own state.
    super(PROSODY_STACK_TYPE, name, {}, opts);
    const { secrets: givenSecrets = {}, existing = {}, ...specInput } = args;
    const plan = planOrFail(this, name, specInput);
    const platform = platformOrFail(this, name, plan, { existing, given: givenSecrets, providers: providersOf(opts) });
    const context = { name, parent: this, plan };

    const zone = dnsProvider(plan)?.zone(context, { existing, given: givenSecrets });
    const certificate = stackCertificate(context, {
      given: givenSecrets,
      ...(zone ? { challenge: zone.acmeChallenge } : {}),
    });
    const secrets = stackSecrets(context, givenSecrets);
    const backups = backupKey(context);
    const deployed = platform.module.deploy({
      ...context,
      providers: providersOf(opts),
      images: stackImages(plan),
      secrets: secrets.values,
      certificate,
      ...(zone && plan.certificate.source === "renewer" ? { challenge: zone.acmeChallenge } : {}),
      existing: platform.existing,
      ...(backups ? { backupKey: backups } : {}),
    });
    zone?.publish(deployed.addressTarget);

    const outputs = stackOutputs(plan, renderArtifacts(plan), certificate, deployed, secrets.adminPasswords, backups);
    Object.assign(this, outputs);
    this.registerOutputs(outputs);
  }
}

/** The providers the caller gave, as one list. */
const providersOf = (opts: pulumi.ComponentResourceOptions): pulumi.ProviderResource[] => [
  ...(opts.provider ? [opts.provider] : []),
  ...(Array.isArray(opts.providers) ? opts.providers : Object.values(opts.providers ?? {})),
];

function fail(resource: pulumi.Resource, name: string, problems: readonly Problem[]): never {
  throw new pulumi.ResourceError(
    `ProsodyStack "${name}" cannot be built:\n${problems.map(formatProblem).join("\n")}`,
    resource,
  );
}

function planOrFail(resource: pulumi.Resource, name: string, specInput: DeploymentSpecInput): DeploymentPlan {
  if (!COMPONENT_NAME.test(name)) {
    fail(resource, name, [
      {
        field: "name",
        value: JSON.stringify(name),
        message: "not a usable component name (it prefixes container, volume and network names)",
        fix: "use 1 to 40 lower-case letters, digits and '-', starting with a letter",
      },
    ]);
  }
  try {
    return planDeployment(parseDeploymentSpec(specInput));
  } catch (error) {
    if (error instanceof ProblemError) fail(resource, name, error.problems);
    throw error;
  }
}

const givenKeys = (given: GivenSecrets): ReadonlySet<SecretKey> =>
  new Set((Object.keys(given) as SecretKey[]).filter((key) => given[key] !== undefined));

/** Given secrets that are plain text are checked now; outputs are checked once known (stack-secrets.ts). */
const unusableSecrets = (given: GivenSecrets): Problem[] =>
  (Object.entries(given) as [SecretKey, unknown][]).flatMap(([key, value]) => {
    const problem = typeof value === "string" ? givenSecretProblem(key, value) : undefined;
    return problem ? [problem] : [];
  });

/** The platform module, once every rule of the platform, the DNS provider and the certificate mode holds. */
function platformOrFail(
  resource: pulumi.Resource,
  name: string,
  plan: DeploymentPlan,
  {
    existing,
    given,
    providers,
  }: { existing: ExistingResources; given: GivenSecrets; providers: pulumi.ProviderResource[] },
): LoadedPlatform {
  const givenSecrets = givenKeys(given);
  const { spec } = plan;
  const missing = missingSdks(plan);
  if (missing.length > 0) fail(resource, name, missing);
  const platform = loadPlatform(spec.platform, existing);
  const { support } = platform.module;
  // A provider or mode the platform refuses is reported as that, not checked further.
  const dnsOffered = support.dnsProviders.includes(spec.dns.provider);
  const dns = dnsOffered ? dnsProvider(plan) : undefined;
  const problems: Problem[] = [
    ...unsupportedChoices(plan, support),
    ...unpinnedRocks(plan),
    ...(support.check?.(plan, { existing: platform.existing, givenSecrets, providers }) ?? []),
    ...existingProblems(existing, plan),
    ...foreignPlatformFields(spec),
    ...(dns?.check(plan) ?? []),
    ...(dnsOffered && support.tlsModes.includes(spec.tls.mode)
      ? certificateProblems(plan, dns !== undefined, given)
      : []),
    ...missingSecrets(plan, givenSecrets),
    ...unusableSecrets(given),
  ];
  if (problems.length > 0) fail(resource, name, problems);
  return platform;
}

function unsupportedChoices(plan: DeploymentPlan, support: LoadedPlatform["module"]["support"]): Problem[] {
  const { spec } = plan;
  const choices: [string, string, readonly string[]][] = [
    ["tls.mode", spec.tls.mode, support.tlsModes],
    ["dns.provider", spec.dns.provider, support.dnsProviders],
    ["uploads", spec.uploads, support.uploads],
  ];
  return choices
    .filter(([, value, supported]) => !supported.includes(value))
    .map(([field, value, supported]) => ({
      field,
      value: JSON.stringify(value),
      message: `the ${spec.platform} platform does not offer this`,
      fix: `use ${supported.map((choice) => JSON.stringify(choice)).join(" or ")} on ${spec.platform}`,
    }));
}

const unpinnedRocks = (plan: DeploymentPlan): Problem[] =>
  rocksModules(plan)
    .filter((module) => plan.spec.image.rocks[module] === undefined)
    .map((module) => ({
      field: `image.rocks.${module}`,
      message: `${module} comes from the rocks server, and images only install pinned versions`,
      fix: `set image.rocks.${module} to the version the rocks server lists for it`,
    }));

const missingSecrets = (plan: DeploymentPlan, givenSecrets: ReadonlySet<SecretKey>): Problem[] =>
  [...neededSecrets(plan)]
    .filter(([key, { generate }]) => !generate && !givenSecrets.has(key))
    .map(([key]) => ({
      field: `secrets.${key}`,
      message: SECRET_RULES[key].whyGiven,
      fix: `\`pulumi config set --secret prosody:${key} ...\` (or pass secrets.${key} to the component)`,
    }));
