/**
 * The AWS platform: Prosody on ECS Fargate behind a Network Load Balancer,
 * PostgreSQL on RDS, uploads in S3 behind the upload gateway. Nothing stateful
 * lives on a container's disk. Each part is a function in this folder; this
 * file wires them together. Certificates and DNS records are the component's
 * (components/certificates, components/dns): the load balancer is what the
 * DNS provider points the host names at.
 *
 * Fargate cannot mount files, so Prosody's configuration (which holds no
 * secret) travels in the task definition and the certificate through Secrets
 * Manager; our image's entrypoint writes both to files before Prosody starts.
 * One image per Prosody version thus serves every stack, and a config change
 * is a new task definition revision, not a new image. With backups, a
 * scheduled task (backups.ts) keeps them in S3. With Let's Encrypt, the
 * certificate renewer's task (renewer.ts) issues and renews the pair into
 * that secret where the server runs, and the component holds no certificate.
 */
import { getRegionOutput } from "@pulumi/aws/getRegion";
import * as pulumi from "@pulumi/pulumi";
import { describeGateway } from "../../../src/containers/gateway";
import { describeProsody } from "../../../src/containers/prosody";
import { imageFor } from "../../../src/containers/images";
import type { CertificatePair } from "../../../src/containers/description";
import { certificatePair, givenCertificate } from "../../certificates";
import type { PlatformInput, PlatformModule, PlatformOutputs } from "../contract";
import { alarms } from "./alarms";
import { backups } from "./backups";
import { checkAwsPlan } from "./check";
import { database } from "./database";
import type { ExistingAwsResources } from "./existing";
import { awsNetwork } from "./network";
import { pushImage } from "./registry";
import { renewer } from "./renewer";
import { watchdog } from "./watchdog";
import { secretStore } from "./secret-store";
import { services } from "./services";
import { traffic } from "./traffic";
import { uploadBucket } from "./uploads-bucket";

/** What the task definitions say of a pair the renewer issues: nothing of the component's (the secret holds it). */
const ISSUED_HERE: CertificatePair<pulumi.Output<string>> = {
  chain: pulumi.output("issued where the server runs by the certificate renewer"),
  key: pulumi.output("issued where the server runs by the certificate renewer"),
};

function deployAws(input: PlatformInput<ExistingAwsResources>): PlatformOutputs {
  const { name, parent, plan, secrets, existing } = input;
  const renewedHere = plan.certificate.source === "renewer";
  const certificate = renewedHere ? undefined : givenCertificate(input.certificate);
  const context = { name, parent, plan, region: getRegionOutput({}, { parent }).region };
  const network = awsNetwork(context, existing);
  const entry = traffic(context, network);
  const db = database(context, network, entry.securityGroups.server, secrets.databasePassword, existing);
  const bucket = uploadBucket(context);
  const pair = certificate ? certificatePair(certificate) : ISSUED_HERE;
  const prosody = describeProsody(plan, {
    image: input.images.prosody,
    certificate: pair,
    ...(db ? { databaseHost: db.host } : {}),
  });
  const gateway =
    plan.uploads?.gateway && bucket
      ? describeGateway(plan, {
          image: imageFor(input.images, "upload-gateway"),
          certificate: pair,
          bucket: { name: bucket.name, region: bucket.region },
        })
      : undefined;
  const prosodyImage = pushImage(context, prosody);
  const store = secretStore(context, secrets, certificate);
  const running = services(context, {
    network,
    traffic: entry,
    store,
    prosody: { description: prosody, image: prosodyImage },
    ...(gateway && bucket ? { gateway: { description: gateway, image: pushImage(context, gateway), bucket } } : {}),
    existing,
  });
  if (renewedHere) {
    renewer(context, {
      image: imageFor(input.images, "renewer"),
      network,
      store,
      clusterArn: running.clusterArn,
      logGroup: running.logGroup,
      served: running.served,
      ...(input.challenge ? { challenge: input.challenge } : {}),
    });
  }
  const scheduled = input.backupKey
    ? backups(context, {
        image: imageFor(input.images, "backup"),
        key: input.backupKey,
        network,
        store,
        clusterArn: running.clusterArn,
        logGroup: running.logGroup,
        serverGroup: entry.securityGroups.server,
        serverService: running.serverServiceName,
        ...(db ? { databaseHost: db.host } : {}),
      })
    : undefined;
  if (plan.watchdog) {
    watchdog(context, {
      image: imageFor(input.images, "watchdog"),
      network,
      store,
      clusterArn: running.clusterArn,
      logGroup: running.logGroup,
      prosodyImage: prosodyImage.ref,
      ...(input.certificate?.caPem ? { ca: input.certificate.caPem } : {}),
      ...(scheduled ? { backupsBucket: scheduled.bucket } : {}),
    });
  }
  const serverTargets = entry.targets.server.find((target) => target.containerPort === plan.spec.ports.c2s);
  if (!serverTargets) throw new Error("the load balancer forwards no client port to Prosody");
  alarms(context, {
    balancer: entry.arnSuffix,
    serverTargets: serverTargets.targetGroupArnSuffix,
    clusterArn: running.clusterArn,
    serverServiceName: running.serverServiceName,
    ...(db?.instance ? { database: db.instance } : {}),
    ...(scheduled ? { backupTaskDefinition: scheduled.taskDefinition } : {}),
  });
  return {
    image: prosodyImage.ref,
    addressTarget: { alias: { dnsName: entry.dnsName, zoneId: entry.zoneId } },
    resources: {
      ...(db ? { databaseHost: db.host } : {}),
      loadBalancer: entry.dnsName,
      ...(bucket ? { uploadBucket: bucket.name } : {}),
      serverSecurityGroupId: entry.securityGroups.server.id,
      logGroup: running.logGroup.name,
      ...(scheduled ? { backupDestination: scheduled.destination, backupTask: scheduled.task } : {}),
    },
  };
}

export const platform: PlatformModule<ExistingAwsResources> = {
  support: {
    tlsModes: ["acme", "provided", "self-signed"],
    dnsProviders: ["route53", "cloudflare", "none"],
    uploads: ["s3"],
    check: checkAwsPlan,
  },
  deploy: deployAws,
};
