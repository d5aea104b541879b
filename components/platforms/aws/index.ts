/**
 * The AWS platform: Prosody on ECS Fargate behind a Network Load Balancer,
 * PostgreSQL on RDS, uploads in S3 behind the upload gateway, records in
 * Route53 and Let's Encrypt certificates. Nothing stateful lives on a
 * container's disk. Each part is a function in aws/; this file decides what
 * the platform accepts and wires the parts together.
 *
 * Fargate cannot mount files, so Prosody's configuration (which holds no
 * secret) travels in the task definition and the certificate through Secrets
 * Manager; our image's entrypoint writes both to files before Prosody starts.
 * One image per Prosody version thus serves every stack, and a config change
 * is a new task definition revision, not a new image.
 */
import { getRegionOutput } from "@pulumi/aws/getRegion";
import type { DeploymentPlan } from "../../../src/plan/plan-deployment";
import type { Problem } from "../../../src/common/problems";
import { fargateMemoryFits, FARGATE_SIZES } from "../../../src/schema/aws-spec";
import { selfSignedCertificate } from "../../certificates/self-signed";
import { acmeCertificate } from "../../certificates/acme";
import { database } from "./database";
import { hostedZoneId, publishRecords } from "../../dns/route53";
import { checkExisting } from "./existing";
import { awsNetwork } from "./network";
import { pushImages } from "./registry";
import { secretStore } from "./secret-store";
import { services } from "./services";
import { traffic } from "./traffic";
import { uploadBucket } from "./uploads-bucket";
import type { PlatformContext, PlatformInput, PlatformOutputs, PlatformSupport } from "../contract";

export const support: PlatformSupport = {
  tlsModes: ["acme", "self-signed"],
  dnsProviders: ["route53", "none"],
  uploads: ["s3"],
  check: checkAwsPlan,
};

function checkAwsPlan(plan: DeploymentPlan, { existing, givenSecrets }: PlatformContext): Problem[] {
  const { spec } = plan;
  const problems: Problem[] = [...checkExisting(existing)];
  const refuse = (when: boolean, problem: Problem) => {
    if (when) problems.push(problem);
  };
  refuse(spec.storage !== "postgresql", {
    field: "storage",
    value: JSON.stringify(spec.storage),
    message: "a Fargate task has no lasting disk: SQLite would lose every account and message on the next deploy",
    fix: 'set storage: "postgresql" (a new RDS instance, or existing.database)',
  });
  refuse(spec.tls.mode === "acme" && spec.dns.provider !== "route53", {
    field: "dns.provider",
    value: JSON.stringify(spec.dns.provider),
    message: "Let's Encrypt certificates are proven through DNS records, and only Route53 is wired for that",
    fix: 'set dns.provider: "route53" (with a hosted zone for dns.zone), or tls.mode: "self-signed"',
  });
  for (const field of ["ipv4", "ipv6"] as const) {
    refuse(spec.dns[field].length > 0, {
      field: `dns.${field}`,
      value: JSON.stringify(spec.dns[field]),
      message: "on AWS every host name is an alias of the load balancer, whose addresses AWS chooses",
      fix: `remove dns.${field}`,
    });
  }
  const zone = spec.dns.zone ?? spec.domain;
  if (spec.dns.provider === "route53") {
    for (const host of plan.certificateNames.filter((name) => name !== zone && !name.endsWith(`.${zone}`))) {
      problems.push({
        field: "dns.zone",
        value: JSON.stringify(zone),
        message: `the host ${host} is outside this zone, so neither its records nor its certificate can be published there`,
        fix: "use host names under one zone, or set dns.zone to their common parent",
      });
    }
  }
  refuse(spec.upload.s3.endpoint !== undefined, {
    field: "upload.s3.endpoint",
    value: JSON.stringify(spec.upload.s3.endpoint),
    message: "on AWS uploads go to S3 itself, reached with the gateway's IAM role",
    fix: "remove upload.s3.endpoint (and set upload.s3.bucket to use a bucket of yours)",
  });
  refuse(plan.turn !== undefined && spec.turn.coturn, {
    field: "turn.coturn",
    value: "true",
    message: "the AWS platform does not run coturn",
    fix: "set turn.coturn: false, with turn.host naming the TURN server you run",
  });
  for (const task of ["server", "gateway"] as const) {
    const { cpu, memory } = spec.aws[task];
    refuse(!fargateMemoryFits(cpu, memory), {
      field: `aws.${task}.memory`,
      value: JSON.stringify(memory),
      message: `Fargate does not offer ${memory} MiB with ${cpu} CPU units`,
      fix: `for ${cpu} CPU units use ${JSON.stringify(FARGATE_SIZES[cpu])} MiB`,
    });
  }
  refuse(spec.aws.database.maxStorageGb < spec.aws.database.storageGb, {
    field: "aws.database.maxStorageGb",
    value: JSON.stringify(spec.aws.database.maxStorageGb),
    message: `smaller than aws.database.storageGb (${spec.aws.database.storageGb})`,
    fix: "give a limit at least as large as the storage",
  });
  refuse(existing.database !== undefined && !givenSecrets.has("databasePassword"), {
    field: "secrets.databasePassword",
    message: "existing.database names a server of yours, whose password only you know",
    fix: "`pulumi config set --secret prosody:databasePassword ...` (or pass secrets.databasePassword)",
  });
  return problems;
}

export function deployAws(input: PlatformInput): PlatformOutputs {
  const { name, parent, plan, artifacts, secrets, existing } = input;
  const context = { name, parent, plan, region: getRegionOutput({}, { parent }).region };
  const zoneId = plan.spec.dns.provider === "route53" ? hostedZoneId(context, existing) : undefined;
  const certificate =
    plan.spec.tls.mode === "acme" && zoneId
      ? acmeCertificate(context, zoneId)
      : selfSignedCertificate(name, parent, plan);
  const network = awsNetwork(context, existing);
  const images = pushImages(context);
  const store = secretStore(context, secrets, certificate);
  const entry = traffic(context, network);
  const db = database(context, network, entry.securityGroups.server, secrets.databasePassword, existing);
  const bucket = uploadBucket(context);
  const running = services(context, {
    network,
    traffic: entry,
    images,
    store,
    certificate,
    configText: artifacts["prosody.cfg.lua"] ?? "",
    ...(db ? { databaseHost: db.host } : {}),
    ...(bucket ? { bucket } : {}),
    existing,
  });
  if (zoneId) publishRecords(context, zoneId, entry);
  return {
    image: images.prosody.ref,
    ...(certificate.caPem ? { caCertificate: certificate.caPem } : {}),
    ...(db ? { databaseHost: db.host } : {}),
    loadBalancer: entry.dnsName,
    ...(bucket ? { uploadBucket: bucket.name } : {}),
    serverSecurityGroupId: entry.securityGroups.server.id,
    logGroup: running.logGroupName,
  };
}
