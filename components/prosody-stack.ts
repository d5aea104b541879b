/**
 * ProsodyStack: one Prosody server from one typed spec. The class is thin:
 * it validates and plans (src/), renders the artifacts, creates the children
 * every platform shares (secrets, certificates), hands the rest to the one
 * platform module the spec names, and registers flat outputs.
 */
import * as pulumi from "@pulumi/pulumi";
import { type DeploymentPlan, planDeployment } from "../src/plan/plan-deployment";
import { renderArtifacts } from "../src/render";
import { type DeploymentSpecInput, parseDeploymentSpec } from "../src/schema";
import { formatProblem, type Problem, ProblemError } from "../src/common/problems";
import { type PlanOutputs, planOutputs, type SuiteSummary } from "./outputs";
import { PLATFORM_MODULES, type PlatformModule } from "./platforms";
import { rocksModules } from "./images";
import { COMPONENT_NAME } from "./naming";
import { type GivenSecrets, neededSecrets, stackSecrets } from "./secrets";
import type { DnsRecord } from "../src/plan/dns";
import type { SecretKey } from "../src/schema/pulumi-config";
import type { ExistingAwsResources } from "./platforms/aws/existing";
import type { PlatformContext } from "./platforms/contract";

export const PROSODY_STACK_TYPE = "prosodystack:index:ProsodyStack";

/**
 * The spec fields (documented field by field in src/spec/deployment.ts and the
 * README; plain data, because the plan is computed at construction so that a
 * preview shows every resource), plus secrets, which may be Pulumi secrets.
 */
export interface ProsodyStackArgs extends DeploymentSpecInput {
  /** Secrets Prosody needs; each one missing is generated with @pulumi/random and kept in the stack state. */
  secrets?: GivenSecrets;
  /** Resources of yours the AWS platform uses instead of creating them (VPC, cluster, hosted zone, database). */
  existing?: ExistingAwsResources;
}

export class ProsodyStack extends pulumi.ComponentResource {
  /** The XMPP domain. */
  public readonly domain: pulumi.Output<string>;
  /** Every virtual host, the domain first. */
  public readonly domains: pulumi.Output<string[]>;
  /** Bare JIDs with admin rights. */
  public readonly admins: pulumi.Output<string[]>;
  /** host:port for clients (STARTTLS). */
  public readonly clientEndpoint: pulumi.Output<string>;
  /** host:port for clients with direct TLS. */
  public readonly directTlsEndpoint: pulumi.Output<string>;
  /** host:port other servers federate with. */
  public readonly serverEndpoint: pulumi.Output<string>;
  /** Base URL of Prosody's HTTPS services (BOSH, WebSocket). */
  public readonly httpsUrl: pulumi.Output<string>;
  /** Base URL uploads go to, when the plan has an upload component. */
  public readonly uploadUrl: pulumi.Output<string | undefined>;
  /** The DNS records to publish (with dns.provider "none", publish them yourself). */
  public readonly dnsRecords: pulumi.Output<DnsRecord[]>;
  /** The same records as zone-file text. */
  public readonly zoneFile: pulumi.Output<string>;
  /** The generated prosody.cfg.lua (it holds no secret: those are ENV_ references). */
  public readonly prosodyConfig: pulumi.Output<string>;
  /** e.g. "34 modules: core 31, community stable 1, beta 2, alpha 0". */
  public readonly stabilityProfile: pulumi.Output<string>;
  /** XEP-0479 result per suite. */
  public readonly compliance: pulumi.Output<SuiteSummary[]>;
  /** The image the server runs. */
  public readonly image: pulumi.Output<string>;
  /** The CA certificate clients must trust (self-signed TLS). */
  public readonly caCertificate: pulumi.Output<string | undefined>;
  /** Volume holding Prosody's data (SQLite, archives), on Docker. */
  public readonly dataVolume: pulumi.Output<string | undefined>;
  /** Volume holding uploads, with uploads "volume". */
  public readonly uploadsVolume: pulumi.Output<string | undefined>;
  /** Volume Prosody reads its certificates from, on Docker. */
  public readonly certificatesVolume: pulumi.Output<string | undefined>;
  /** Volume holding PostgreSQL's data, with storage "postgresql". */
  public readonly databaseVolume: pulumi.Output<string | undefined>;
  /** Where Prosody reaches PostgreSQL, with storage "postgresql". */
  public readonly databaseHost: pulumi.Output<string | undefined>;
  /** DNS name of the load balancer in front of Prosody, on AWS. */
  public readonly loadBalancer: pulumi.Output<string | undefined>;
  /** The S3 bucket uploads go to, on AWS. */
  public readonly uploadBucket: pulumi.Output<string | undefined>;
  /** Security group of Prosody's task, on AWS: let it into services of yours. */
  public readonly serverSecurityGroupId: pulumi.Output<string | undefined>;
  /** Where the containers' logs go, on AWS (a CloudWatch log group). */
  public readonly logGroup: pulumi.Output<string | undefined>;

  constructor(name: string, args: ProsodyStackArgs, opts: pulumi.ComponentResourceOptions = {}) {
    // The spec goes to the children, not into the component's own state.
    super(PROSODY_STACK_TYPE, name, {}, opts);
    const { secrets: givenSecrets = {}, existing = {}, ...specInput } = args;
    const plan = planOrFail(this, name, specInput);
    const platform = platformOrFail(this, name, plan, { existing, givenSecrets: givenKeys(givenSecrets) });
    const artifacts = renderArtifacts(plan);

    const secrets = stackSecrets(name, this, plan, givenSecrets);
    const deployed = platform.deploy({ name, parent: this, plan, artifacts, secrets, existing });

    const fromPlan = planOutputs(plan);
    const plain = <K extends keyof PlanOutputs>(key: K) => pulumi.output(fromPlan[key]);
    this.domain = plain("domain");
    this.domains = plain("domains");
    this.admins = plain("admins");
    this.clientEndpoint = plain("clientEndpoint");
    this.directTlsEndpoint = plain("directTlsEndpoint");
    this.serverEndpoint = plain("serverEndpoint");
    this.httpsUrl = plain("httpsUrl");
    this.uploadUrl = plain("uploadUrl");
    this.dnsRecords = plain("dnsRecords");
    this.stabilityProfile = plain("stabilityProfile");
    this.compliance = plain("compliance");
    this.zoneFile = pulumi.output(artifacts["dns.zone"] ?? "");
    this.prosodyConfig = pulumi.output(artifacts["prosody.cfg.lua"] ?? "");
    this.image = deployed.image;
    this.caCertificate = pulumi.output(deployed.caCertificate);
    this.dataVolume = pulumi.output(deployed.volumes?.data);
    this.uploadsVolume = pulumi.output(deployed.volumes?.uploads);
    this.certificatesVolume = pulumi.output(deployed.volumes?.certificates);
    this.databaseVolume = pulumi.output(deployed.volumes?.database);
    this.databaseHost = pulumi.output(deployed.databaseHost);
    this.loadBalancer = pulumi.output(deployed.loadBalancer);
    this.uploadBucket = pulumi.output(deployed.uploadBucket);
    this.serverSecurityGroupId = pulumi.output(deployed.serverSecurityGroupId);
    this.logGroup = pulumi.output(deployed.logGroup);

    this.registerOutputs({
      domain: this.domain,
      domains: this.domains,
      admins: this.admins,
      clientEndpoint: this.clientEndpoint,
      directTlsEndpoint: this.directTlsEndpoint,
      serverEndpoint: this.serverEndpoint,
      httpsUrl: this.httpsUrl,
      uploadUrl: this.uploadUrl,
      dnsRecords: this.dnsRecords,
      zoneFile: this.zoneFile,
      prosodyConfig: this.prosodyConfig,
      stabilityProfile: this.stabilityProfile,
      compliance: this.compliance,
      image: this.image,
      caCertificate: this.caCertificate,
      dataVolume: this.dataVolume,
      uploadsVolume: this.uploadsVolume,
      certificatesVolume: this.certificatesVolume,
      databaseVolume: this.databaseVolume,
      databaseHost: this.databaseHost,
      loadBalancer: this.loadBalancer,
      uploadBucket: this.uploadBucket,
      serverSecurityGroupId: this.serverSecurityGroupId,
      logGroup: this.logGroup,
    });
  }
}

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

function platformOrFail(
  resource: pulumi.Resource,
  name: string,
  plan: DeploymentPlan,
  context: PlatformContext,
): PlatformModule {
  const { spec } = plan;
  const load = PLATFORM_MODULES[spec.platform];
  if (!load) {
    fail(resource, name, [
      {
        field: "platform",
        value: JSON.stringify(spec.platform),
        message: "this platform is not built yet",
        fix: 'use "docker" or "aws" for now; `prosody-stack render` already shows what this stack would run',
      },
    ]);
  }
  const platform = load();
  const problems: Problem[] = [];
  const choices: [string, string, readonly string[]][] = [
    ["tls.mode", spec.tls.mode, platform.support.tlsModes],
    ["dns.provider", spec.dns.provider, platform.support.dnsProviders],
    ["uploads", spec.uploads, platform.support.uploads],
  ];
  for (const [field, value, supported] of choices) {
    if (supported.includes(value)) continue;
    problems.push({
      field,
      value: JSON.stringify(value),
      message: `the ${spec.platform} platform does not offer this`,
      fix: `use ${supported.map((choice) => JSON.stringify(choice)).join(" or ")} on ${spec.platform}`,
    });
  }
  for (const module of rocksModules(plan).filter((entry) => spec.image.rocks[entry] === undefined)) {
    problems.push({
      field: `image.rocks.${module}`,
      message: `${module} comes from the rocks server, and images only install pinned versions`,
      fix: `set image.rocks.${module} to the version the rocks server lists for it`,
    });
  }
  problems.push(...(platform.support.check?.(plan, context) ?? []));
  for (const [key, { generate }] of neededSecrets(plan)) {
    if (generate || context.givenSecrets.has(key)) continue;
    problems.push({
      field: `secrets.${key}`,
      message: "upload.s3.endpoint names an S3 server whose keys only its owner can issue",
      fix: `\`pulumi config set --secret prosody:${key} ...\` (or pass secrets.${key} to the component)`,
    });
  }
  if (problems.length > 0) fail(resource, name, problems);
  return platform;
}
