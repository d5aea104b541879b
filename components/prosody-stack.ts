/**
 * ProsodyStack: one Prosody server from one typed spec. The class is thin:
 * it validates and plans (src/), renders the artifacts, creates the children
 * every platform shares (secrets, certificates), hands the rest to the one
 * platform module the spec names, and registers flat outputs.
 */
import * as pulumi from "@pulumi/pulumi";
import { type DeploymentPlan, planDeployment } from "../src/plan/deployment";
import { renderArtifacts } from "../src/render";
import { type DeploymentSpecInput, parseDeploymentSpec } from "../src/spec";
import { formatProblem, type Problem, SpecError } from "../src/spec/errors";
import { type PlanOutputs, planOutputs, type SuiteSummary } from "./outputs";
import { PLATFORM_MODULES, type PlatformModule } from "./platforms";
import { selfSignedCertificate } from "./shared/certificates";
import { rocksModules } from "./shared/image";
import { COMPONENT_NAME } from "./shared/names";
import { type GivenSecrets, neededSecrets, stackSecrets } from "./shared/secrets";
import type { DnsRecord } from "../src/plan/dns";

export const PROSODY_STACK_TYPE = "prosodystack:index:ProsodyStack";

/**
 * The spec fields (documented field by field in src/spec/deployment.ts and the
 * README; plain data, because the plan is computed at construction so that a
 * preview shows every resource), plus secrets, which may be Pulumi secrets.
 */
export interface ProsodyStackArgs extends DeploymentSpecInput {
  /** Secrets Prosody needs; each one missing is generated with @pulumi/random and kept in the stack state. */
  secrets?: GivenSecrets;
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
  public readonly caCertificate: pulumi.Output<string>;
  /** Volume holding Prosody's data (SQLite, archives). */
  public readonly dataVolume: pulumi.Output<string>;
  /** Volume holding uploads, with uploads "volume". */
  public readonly uploadsVolume: pulumi.Output<string | undefined>;
  /** Volume Prosody reads its certificates from. */
  public readonly certificatesVolume: pulumi.Output<string>;
  /** Volume holding PostgreSQL's data, with storage "postgresql". */
  public readonly databaseVolume: pulumi.Output<string | undefined>;
  /** Where Prosody reaches PostgreSQL, with storage "postgresql". */
  public readonly databaseHost: pulumi.Output<string | undefined>;

  constructor(name: string, args: ProsodyStackArgs, opts: pulumi.ComponentResourceOptions = {}) {
    // The spec goes to the children, not into the component's own state.
    super(PROSODY_STACK_TYPE, name, {}, opts);
    const { secrets: givenSecrets, ...specInput } = args;
    const plan = planOrFail(this, name, specInput);
    const platform = platformOrFail(this, name, plan, givenSecrets ?? {});
    const artifacts = renderArtifacts(plan);

    const secrets = stackSecrets(name, this, plan, givenSecrets);
    const certificate = selfSignedCertificate(name, this, plan);
    const deployed = platform.deploy({ name, parent: this, plan, artifacts, certificate, secrets });

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
    this.caCertificate = certificate.caPem;
    this.dataVolume = deployed.volumes.data;
    this.uploadsVolume = pulumi.output(deployed.volumes.uploads);
    this.certificatesVolume = deployed.volumes.certificates;
    this.databaseVolume = pulumi.output(deployed.volumes.database);
    this.databaseHost = pulumi.output(deployed.databaseHost);

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
    if (error instanceof SpecError) fail(resource, name, error.problems);
    throw error;
  }
}

function platformOrFail(
  resource: pulumi.Resource,
  name: string,
  plan: DeploymentPlan,
  givenSecrets: GivenSecrets,
): PlatformModule {
  const { spec } = plan;
  const load = PLATFORM_MODULES[spec.platform];
  if (!load) {
    fail(resource, name, [
      {
        field: "platform",
        value: JSON.stringify(spec.platform),
        message: "this platform is not built yet",
        fix: 'use "docker" for now; `prosody-stack render` already shows what this stack would run',
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
      message: `the ${spec.platform} platform does not offer this yet`,
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
  problems.push(...(platform.support.check?.(plan) ?? []));
  for (const [key, { generate }] of neededSecrets(plan)) {
    if (generate || givenSecrets[key] !== undefined) continue;
    problems.push({
      field: `secrets.${key}`,
      message: "upload.s3.endpoint names an S3 server whose keys only its owner can issue",
      fix: `\`pulumi config set --secret prosody:${key} ...\` (or pass secrets.${key} to the component)`,
    });
  }
  if (problems.length > 0) fail(resource, name, problems);
  return platform;
}
