/**
 * The AWS platform under Pulumi's mocks, from the project's own prod stack
 * (enterprise tier, PostgreSQL, uploads in S3, Route53, Let's Encrypt): every
 * resource it creates, and each property a security review would look for,
 * asserted on the inputs the AWS provider would receive.
 */
import { strict as assert } from "node:assert";
import * as aws from "@pulumi/aws";
import { ProsodyStack } from "../../components/prosody-stack";
import { publicPorts } from "../../src/containers/ports";
import type { TestedRun } from "../support/mock-stack";
import { planDeployment, type DeploymentPlan } from "../../src/plan";
import { renderArtifacts } from "../../src/render";
import { stackSpec } from "../../src/schema/stack-file";
import {
  byName,
  describeResources,
  expectResourceError,
  runComponents,
  runProgram,
  stackWith,
} from "../support/mock-stack";

const prod = stackWith("prod", {});
const planOf = (config: typeof prod): DeploymentPlan => planDeployment(stackSpec(config));

interface ContainerDefinition {
  name: string;
  image: string;
  environment: { name: string; value: string }[];
  secrets: { name: string; valueFrom: string }[];
  portMappings: { containerPort: number }[];
  readonlyRootFilesystem: boolean;
}
interface PolicyStatement {
  Sid: string;
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
}
interface Rule {
  fromPort: number;
  toPort: number;
  protocol: string;
  cidrBlocks?: string[];
  ipv6CidrBlocks?: string[];
  securityGroups?: string[];
}

const inputs = <T>(run: TestedRun, name: string): T => byName(run, name).clearInputs as T;
const container = (run: TestedRun, task: string): ContainerDefinition => {
  const [definition] = JSON.parse(inputs<{ containerDefinitions: string }>(run, task).containerDefinitions);
  return definition as ContainerDefinition;
};
const statements = (run: TestedRun, policy: string): PolicyStatement[] =>
  JSON.parse(inputs<{ policy: string }>(run, policy).policy).Statement;
const list = (value: string | string[]): string[] => (Array.isArray(value) ? value : [value]);
const arnOf = (name: string) => `arn:aws:secretsmanager:eu-central-1:123456789012:${name}`;

describe("AWS platform: the prod stack under Pulumi mocks", function () {
  this.timeout(60000);
  let run: TestedRun;
  const plan = planOf(prod);
  before(async () => {
    run = await runProgram(prod, "prod");
  });

  it("creates exactly the network, registry, compute, traffic, database, uploads, DNS and TLS resources", () => {
    const types = new Map<string, number>();
    for (const resource of run.resources) types.set(resource.type, (types.get(resource.type) ?? 0) + 1);
    assert.deepEqual(Object.fromEntries([...types].sort()), {
      "acme:index/certificate:Certificate": 1,
      "acme:index/registration:Registration": 1,
      "aws:cloudwatch/logGroup:LogGroup": 1,
      "aws:ec2/eip:Eip": 1,
      "aws:ec2/internetGateway:InternetGateway": 1,
      "aws:ec2/natGateway:NatGateway": 1,
      "aws:ec2/routeTable:RouteTable": 2,
      "aws:ec2/routeTableAssociation:RouteTableAssociation": 4,
      "aws:ec2/securityGroup:SecurityGroup": 4,
      "aws:ec2/subnet:Subnet": 4,
      "aws:ec2/vpc:Vpc": 1,
      "aws:ec2/vpcEndpoint:VpcEndpoint": 1,
      "aws:ecr/lifecyclePolicy:LifecyclePolicy": 2,
      "aws:ecr/repository:Repository": 2,
      "aws:ecs/cluster:Cluster": 1,
      "aws:ecs/service:Service": 2,
      "aws:ecs/taskDefinition:TaskDefinition": 2,
      "aws:iam/role:Role": 3,
      "aws:iam/rolePolicy:RolePolicy": 3,
      // c2s, c2s direct TLS, s2s, HTTPS, proxy65 (the enterprise tier's file-transfer proxy) and the gateway
      "aws:lb/listener:Listener": 6,
      "aws:lb/loadBalancer:LoadBalancer": 1,
      "aws:lb/targetGroup:TargetGroup": 6,
      "aws:rds/instance:Instance": 1,
      "aws:rds/subnetGroup:SubnetGroup": 1,
      // 4 host aliases, 4 SRV records
      "aws:route53/record:Record": 8,
      "aws:s3/bucket:Bucket": 1,
      "aws:s3/bucketCorsConfiguration:BucketCorsConfiguration": 1,
      "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": 1,
      "aws:s3/bucketOwnershipControls:BucketOwnershipControls": 1,
      "aws:s3/bucketPolicy:BucketPolicy": 1,
      "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": 1,
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": 1,
      "aws:secretsmanager/secret:Secret": 3,
      "aws:secretsmanager/secretVersion:SecretVersion": 3,
      "docker-build:index:Image": 2,
      "prosodystack:index:ProsodyStack": 1,
      "pulumi:providers:acme": 1,
      "random:index/randomPassword:RandomPassword": 2,
      "tls:index/privateKey:PrivateKey": 1,
    });
    for (const resource of run.resources.filter((entry) => entry.type !== "prosodystack:index:ProsodyStack")) {
      assert.equal(resource.parent, "prosody", `${resource.name} is not a child of the component`);
      assert.match(resource.name, /^prosody-/);
    }
    assert.ok(!describeResources(run).some((entry) => entry.startsWith("docker:")), "no Docker engine resources");
  });

  it("spans two zones with public and private subnets; nothing gets a public address but the load balancer", () => {
    const subnets = ["public-1", "public-2", "private-1", "private-2"].map((part) =>
      inputs<{ availabilityZone: string; cidrBlock: string; mapPublicIpOnLaunch: boolean }>(run, `prosody-${part}`),
    );
    assert.deepEqual(
      subnets.map((subnet) => [subnet.availabilityZone, subnet.cidrBlock]),
      [
        ["eu-central-1a", "10.0.0.0/20"],
        ["eu-central-1b", "10.0.16.0/20"],
        ["eu-central-1a", "10.0.128.0/20"],
        ["eu-central-1b", "10.0.144.0/20"],
      ],
    );
    assert.ok(subnets.every((subnet) => subnet.mapPublicIpOnLaunch === false));
    for (const service of ["prosody-server-service", "prosody-gateway-service"]) {
      const network = inputs<{ networkConfiguration: { assignPublicIp: boolean; subnets: string[] } }>(
        run,
        service,
      ).networkConfiguration;
      assert.equal(network.assignPublicIp, false);
      assert.deepEqual(network.subnets, ["prosody-private-1-id", "prosody-private-2-id"]);
    }
    const balancer = inputs<{ subnets: string[]; loadBalancerType: string; internal: boolean }>(run, "prosody-lb");
    assert.deepEqual(balancer, { ...balancer, loadBalancerType: "network", internal: false });
    assert.deepEqual(balancer.subnets, ["prosody-public-1-id", "prosody-public-2-id"]);
  });

  it("keeps the database private, encrypted, backed up, Multi-AZ only when asked, and protected for enterprise", () => {
    const database = inputs<Record<string, unknown>>(run, "prosody-database");
    assert.equal(database.storageEncrypted, true);
    assert.equal(database.publiclyAccessible, false);
    assert.equal(database.backupRetentionPeriod, 7);
    assert.equal(database.multiAz, false);
    assert.equal(database.deletionProtection, true);
    assert.equal(database.skipFinalSnapshot, false);
    assert.equal(database.finalSnapshotIdentifier, "prosody-prod-final-snapshot");
    assert.equal(database.engine, "postgres");
    assert.equal(database.dbName, plan.spec.database.name);
    assert.equal(database.username, plan.spec.database.user);
    assert.equal(byName(run, "prosody-database").protect, true);
    assert.equal(byName(run, "prosody-database").inputs.password, "[secret]");
    assert.deepEqual(inputs<{ subnetIds: string[] }>(run, "prosody-database-subnets").subnetIds, [
      "prosody-private-1-id",
      "prosody-private-2-id",
    ]);
  });

  it("blocks every public access to the bucket, encrypts it, refuses plain HTTP and expires uploads", () => {
    assert.equal(byName(run, "prosody-uploads").protect, true);
    assert.deepEqual(inputs<Record<string, unknown>>(run, "prosody-uploads-public-access"), {
      bucket: "prosody-uploads-id",
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    const encryption = inputs<{ rules: { applyServerSideEncryptionByDefault: { sseAlgorithm: string } }[] }>(
      run,
      "prosody-uploads-encryption",
    );
    assert.equal(encryption.rules[0]?.applyServerSideEncryptionByDefault.sseAlgorithm, "AES256");
    const [tlsOnly] = statements(run, "prosody-uploads-policy") as (PolicyStatement & { Condition: unknown })[];
    assert.equal(tlsOnly?.Effect, "Deny");
    assert.deepEqual(tlsOnly?.Condition, { Bool: { "aws:SecureTransport": "false" } });
    const arn = "arn:aws:s3:eu-central-1:123456789012:prosody-uploads";
    assert.deepEqual(tlsOnly?.Resource, [arn, `${arn}/*`]);
    const expiry = inputs<{ rules: { expiration: { days: number } }[] }>(run, "prosody-uploads-expiry");
    assert.equal(expiry.rules[0]?.expiration.days, plan.uploads?.bucket?.expiryDays);
    assert.equal(expiry.rules[0]?.expiration.days, 7);
  });

  it("opens exactly the plan's public ports on the load balancer, and only from it to the tasks", () => {
    const ports = publicPorts(plan);
    assert.deepEqual(
      ports.map((port) => [port.publicPort, port.port]),
      [
        [5222, 5222],
        [5223, 5223],
        [5269, 5269],
        [5281, 5281],
        [5000, 5000],
        [443, 8443],
      ],
    );
    const firewall = (name: string) => inputs<{ ingress: Rule[]; egress: Rule[] }>(run, name);
    const lb = firewall("prosody-lb-firewall");
    assert.deepEqual(
      lb.ingress.map((rule) => [rule.fromPort, rule.toPort, rule.protocol]),
      ports.map((port) => [port.publicPort, port.publicPort, "tcp"]),
    );
    assert.deepEqual(
      lb.egress.map((rule) => [rule.fromPort, rule.cidrBlocks]),
      ports.map((port) => [port.port, ["10.0.0.0/16"]]),
    );
    const fromBalancer = (name: string, expected: number[]) => {
      const { ingress } = firewall(name);
      assert.deepEqual(
        ingress.map((rule) => [rule.fromPort, rule.toPort, rule.securityGroups, rule.cidrBlocks]),
        expected.map((port) => [port, port, ["prosody-lb-firewall-id"], undefined]),
      );
    };
    fromBalancer("prosody-server-firewall", [5222, 5223, 5269, 5281, 5000]);
    fromBalancer("prosody-gateway-firewall", [8443]);
    const database = firewall("prosody-database-firewall");
    assert.deepEqual(
      database.ingress.map((rule) => [rule.fromPort, rule.toPort, rule.securityGroups]),
      [[5432, 5432, ["prosody-server-firewall-id"]]],
    );
    assert.deepEqual(database.egress, []);
    // The private HTTP port (health, metrics) is never reachable from outside.
    assert.ok(!ports.some((port) => port.publicPort === plan.spec.ports.http));
  });

  it("scopes IAM: the gateway may use objects in its bucket only, each execution role reads its own secrets only", () => {
    const bucketArn = "arn:aws:s3:eu-central-1:123456789012:prosody-uploads";
    const gateway = statements(run, "prosody-gateway-task-role-policy");
    assert.deepEqual(
      gateway.map((statement) => [list(statement.Action), list(statement.Resource)]),
      [
        [["s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload"], [`${bucketArn}/*`]],
        [["s3:ListBucket"], [bucketArn]],
      ],
    );
    assert.ok(gateway.every((statement) => statement.Effect === "Allow"));
    const taskDefinition = (name: string) => inputs<{ taskRoleArn?: string }>(run, name);
    assert.equal(taskDefinition("prosody-server-task").taskRoleArn, undefined, "Prosody needs no AWS permission");

    const readable = (policy: string) =>
      list(statements(run, policy).find((statement) => statement.Sid === "ReadSecrets")?.Resource ?? []);
    assert.deepEqual(readable("prosody-server-execution-role-policy"), [
      arnOf("prosody-database-password-secret"),
      arnOf("prosody-upload-secret-secret"),
      arnOf("prosody-tls-secret"),
    ]);
    assert.deepEqual(readable("prosody-gateway-execution-role-policy"), [
      arnOf("prosody-upload-secret-secret"),
      arnOf("prosody-tls-secret"),
    ]);
    for (const [policy, repository] of [
      ["prosody-server-execution-role-policy", "prosody-image-repository"],
      ["prosody-gateway-execution-role-policy", "prosody-gateway-image-repository"],
    ] as const) {
      const all = statements(run, policy);
      const wildcard = all.filter((statement) => list(statement.Resource).includes("*"));
      assert.deepEqual(
        wildcard.map((statement) => statement.Action),
        ["ecr:GetAuthorizationToken"],
        "only the token ECR cannot scope may name every resource",
      );
      const pull = all.find((statement) => statement.Sid === "PullImage");
      assert.deepEqual(list(pull?.Resource ?? []), [`arn:aws:ecr:eu-central-1:123456789012:${repository}`]);
    }
  });

  it("hands every secret over through ECS secrets pinned to their version, never through plain environment", () => {
    const secretValues = run.resources
      .flatMap((resource) => resource.secretValues)
      .filter((value) => value.length >= 8);
    assert.ok(secretValues.length > 0);
    for (const task of ["prosody-server-task", "prosody-gateway-task"]) {
      const recorded = byName(run, task).inputs as { containerDefinitions: string };
      assert.notEqual(
        recorded.containerDefinitions,
        "[secret]",
        "the definition is plain text, so it must hold no secret",
      );
      for (const value of secretValues) {
        assert.ok(!recorded.containerDefinitions.includes(value), `${task} holds a secret value in plain text`);
      }
    }
    const prosody = container(run, "prosody-server-task");
    assert.deepEqual(
      prosody.secrets.map((secret) => secret.name),
      ["PROSODY_DB_PASSWORD", "PROSODY_UPLOAD_SECRET", "PROSODY_TLS_CERTIFICATE", "PROSODY_TLS_KEY"],
    );
    for (const secret of prosody.secrets) {
      assert.match(
        secret.valueFrom,
        /^arn:aws:secretsmanager:eu-central-1:123456789012:prosody-[a-z-]+-secret:[a-zA-Z]*::[0-9a-f-]{36}$/,
      );
    }
    assert.match(prosody.secrets[3]?.valueFrom ?? "", /prosody-tls-secret:privateKey::/);
    const plainNames = prosody.environment.map((variable) => variable.name);
    assert.deepEqual(plainNames, [
      "PROSODY_HEALTH_PORT",
      "PROSODY_DB_HOST",
      "PROSODY_CONFIG_TEXT",
      "PROSODY_TLS_NAME",
      "PROSODY_CERTIFICATES",
    ]);
    const environment = new Map(prosody.environment.map((variable) => [variable.name, variable.value]));
    assert.equal(environment.get("PROSODY_CONFIG_TEXT"), renderArtifacts(plan)["prosody.cfg.lua"]);
    // The RDS instance's address, the same one the stack exports.
    assert.match(environment.get("PROSODY_DB_HOST") ?? "", /^prosody-database-[0-9a-f]{7}\.mock\.eu-central-1\.rds\./);
    assert.equal(environment.get("PROSODY_DB_HOST"), run.outputs.databaseHost);
    assert.equal(environment.get("PROSODY_TLS_NAME"), "example.org");

    const gateway = container(run, "prosody-gateway-task");
    assert.deepEqual(
      gateway.secrets.map((secret) => secret.name),
      ["GATEWAY_SECRET", "GATEWAY_TLS_CERT", "GATEWAY_TLS_KEY"],
    );
    assert.deepEqual(Object.fromEntries(gateway.environment.map((variable) => [variable.name, variable.value])), {
      S3_BUCKET: run.outputs.uploadBucket,
      S3_REGION: "eu-central-1",
      GATEWAY_PORT: "8443",
      GATEWAY_DOWNLOAD_MODE: "redirect",
    });
    assert.equal(gateway.readonlyRootFilesystem, true);
    assert.ok(!gateway.environment.some((variable) => variable.name.startsWith("AWS_")), "the task role signs");
  });

  it("runs one Prosody task, stopping the old before the new, and waits for it to become healthy", () => {
    const service = inputs<Record<string, unknown>>(run, "prosody-server-service");
    assert.equal(service.desiredCount, 1);
    assert.equal(service.deploymentMaximumPercent, 100);
    assert.equal(service.deploymentMinimumHealthyPercent, 0);
    assert.deepEqual(service.deploymentCircuitBreaker, { enable: true, rollback: true });
    assert.equal(service.waitForSteadyState, true);
    const task = inputs<Record<string, unknown>>(run, "prosody-server-task");
    assert.equal(task.family, "prosody-prod-server");
    assert.deepEqual(task.requiresCompatibilities, ["FARGATE"]);
    const [definition] = JSON.parse(String(task.containerDefinitions));
    assert.deepEqual(definition.healthCheck.command, ["CMD", "/usr/local/bin/prosody-healthcheck"]);
    assert.equal(definition.logConfiguration.options["awslogs-group"], run.outputs.logGroup);
    assert.match(
      definition.image,
      /^123456789012\.dkr\.ecr\.eu-central-1\.amazonaws\.com\/prosody-image-repository-[0-9a-f]{7}:13-[0-9a-f]{12}@sha256:/,
    );
    assert.equal(inputs<{ retentionInDays: number }>(run, "prosody-logs").retentionInDays, 30);
    const repository = inputs<Record<string, unknown>>(run, "prosody-image-repository");
    assert.deepEqual(repository.imageScanningConfiguration, { scanOnPush: true });
    const lifecycle = JSON.parse(inputs<{ policy: string }>(run, "prosody-image-lifecycle").policy);
    assert.equal(lifecycle.rules.length, 2);
  });

  it("publishes the plan's SRV records as they are, and every host as an alias of the load balancer", () => {
    const records = run.resources
      .filter((resource) => resource.type === "aws:route53/record:Record")
      .map((resource) => resource.clearInputs as { name: string; type: string; records?: string[]; zoneId: string });
    const srv = records.filter((record) => record.type === "SRV");
    assert.deepEqual(
      srv.map((record) => [record.name, record.records]),
      plan.dns.records.filter((record) => record.type === "SRV").map((record) => [record.name, [record.value]]),
    );
    assert.deepEqual(
      srv.map((record) => record.records?.[0]),
      ["0 5 5222 example.org.", "0 5 5223 example.org.", "0 5 5269 example.org.", "0 5 5269 example.org."],
    );
    const aliases = records.filter((record) => record.type === "A");
    assert.deepEqual(
      aliases.map((record) => record.name),
      plan.dns.addressHosts,
    );
    const zones = new Set(records.map((record) => record.zoneId));
    assert.equal(zones.size, 1, "every record goes into the one hosted zone");
  });

  it("asks Let's Encrypt for one certificate naming exactly the plan's hosts, through DNS-01, never revoking it", () => {
    const certificate = inputs<Record<string, unknown>>(run, "prosody-acme-production-certificate");
    assert.deepEqual(
      [certificate.commonName, ...(certificate.subjectAlternativeNames as string[])],
      plan.certificateNames,
    );
    assert.deepEqual(plan.certificateNames, [
      "example.org",
      "groups.example.org",
      "share.example.org",
      "proxy.example.org",
    ]);
    assert.equal(certificate.revokeCertificateOnDestroy, false);
    assert.equal(certificate.minDaysRemaining, 30);
    const [challenge] = certificate.dnsChallenges as { provider: string; config: Record<string, string> }[];
    assert.equal(challenge?.provider, "route53");
    const zoneId = (byName(run, "prosody-dns-example.org-alias").clearInputs as { zoneId: string }).zoneId;
    assert.equal(challenge?.config.AWS_HOSTED_ZONE_ID, zoneId);
    assert.equal(
      inputs<{ serverUrl: string }>(run, "prosody-acme-production-provider").serverUrl,
      "https://acme-v02.api.letsencrypt.org/directory",
    );
    assert.match(byName(run, "prosody-acme-production-certificate").provider ?? "", /prosody-acme-production-provider/);
  });

  it("exports the load balancer, the bucket and the log group, and no CA for a public certificate", () => {
    assert.match(String(run.outputs.loadBalancer), /^prosody-lb-[0-9a-f]{7}\.elb\.eu-central-1\.amazonaws\.com$/);
    assert.match(String(run.outputs.uploadBucket), /^prosody-uploads-[0-9a-f]{7}$/);
    assert.match(String(run.outputs.logGroup), /^prosody-logs-[0-9a-f]{7}$/);
    assert.equal(run.outputs.caCertificate, undefined);
    assert.match(
      String(run.outputs.databaseHost),
      /^prosody-database-[0-9a-f]{7}\.mock\.eu-central-1\.rds\.amazonaws\.com$/,
    );
  });
});

describe("AWS platform: changing the stack", function () {
  this.timeout(60000);

  it("keeps the database and the bucket (same URNs, still protected) when the tier changes", async () => {
    const enterprise = await runProgram(prod, "prod");
    const community = await runProgram(stackWith("prod", { "prosody:tier": "community" }), "prod");
    for (const name of ["prosody-database", "prosody-uploads"]) {
      assert.equal(byName(community, name).urn, byName(enterprise, name).urn);
      assert.equal(byName(community, name).protect, true);
    }
    const database = byName(community, "prosody-database").clearInputs;
    assert.equal(database.deletionProtection, false, "community: no deletion protection");
    assert.equal(database.skipFinalSnapshot, false, "community: still a final snapshot");
  });

  it("lets the database go (no protection, no deletion protection) once protectData is false", async () => {
    const run = await runProgram(stackWith("prod", { "prosody:protectData": false }), "prod");
    assert.equal(byName(run, "prosody-database").protect, false);
    assert.equal(byName(run, "prosody-uploads").protect, false);
    assert.equal(byName(run, "prosody-database").clearInputs.deletionProtection, false);
    assert.equal(byName(run, "prosody-database").clearInputs.skipFinalSnapshot, false, "the last snapshot stays");
  });

  it("follows the spec's sizes: Multi-AZ, backups, task size, log retention, three zones with a NAT each", async () => {
    const run = await runProgram(
      stackWith("prod", {
        "prosody:aws": {
          zones: 3,
          natGateways: "per-zone",
          server: { cpu: 1024, memory: 2048 },
          logRetentionDays: 90,
          database: { multiAz: true, backupRetentionDays: 14, instanceClass: "db.m7g.large" },
        },
      }),
      "prod",
    );
    const database = byName(run, "prosody-database").clearInputs;
    assert.equal(database.multiAz, true);
    assert.equal(database.backupRetentionPeriod, 14);
    assert.equal(database.instanceClass, "db.m7g.large");
    assert.equal(byName(run, "prosody-server-task").clearInputs.cpu, "1024");
    assert.equal(byName(run, "prosody-logs").clearInputs.retentionInDays, 90);
    assert.equal(run.resources.filter((resource) => resource.type === "aws:ec2/natGateway:NatGateway").length, 3);
    assert.equal(byName(run, "prosody-private-3").clearInputs.availabilityZone, "eu-central-1c");
  });

  it("uses Let's Encrypt's staging directory when asked, under names of its own", async () => {
    const run = await runProgram(
      stackWith("prod", { "prosody:tls": { mode: "acme", acme: { directory: "staging" } } }),
      "prod",
    );
    assert.equal(
      byName(run, "prosody-acme-staging-provider").clearInputs.serverUrl,
      "https://acme-staging-v02.api.letsencrypt.org/directory",
    );
    assert.ok(!run.resources.some((resource) => resource.name.includes("acme-production")));
  });

  it("with a self-signed certificate and no DNS provider: no records, no ACME, and the CA as an output", async () => {
    const run = await runProgram(
      stackWith("prod", { "prosody:tls": { mode: "self-signed" }, "prosody:dns": { provider: "none" } }),
      "prod",
    );
    assert.ok(!run.resources.some((resource) => resource.type.startsWith("acme:")));
    assert.ok(!run.resources.some((resource) => resource.type === "aws:route53/record:Record"));
    assert.match(String(run.outputs.caCertificate), /BEGIN CERTIFICATE/);
    assert.ok(byName(run, "prosody-tls-certificate"));
  });

  it("uses a bucket of yours by name, scoping the gateway's role to it, and creates none", async () => {
    const run = await runProgram(
      stackWith("prod", { "prosody:upload": { s3: { bucket: "acme-chat-files" } } }),
      "prod",
    );
    assert.ok(!run.resources.some((resource) => resource.type.startsWith("aws:s3/")));
    const policy = JSON.parse(String(byName(run, "prosody-gateway-task-role-policy").clearInputs.policy));
    assert.deepEqual(policy.Statement[0].Resource, "arn:aws:s3:::acme-chat-files/*");
    assert.equal(run.outputs.uploadBucket, "acme-chat-files");
  });
});

describe("AWS platform: inside an existing estate", function () {
  this.timeout(60000);
  const spec = {
    domain: "example.org",
    platform: "aws",
    tier: "enterprise",
    storage: "postgresql",
    uploads: "s3",
    tls: { mode: "acme" },
    dns: { provider: "route53" },
  } as const;
  const existing = {
    vpc: {
      vpcId: "vpc-0a1b2c3d4e5f60718",
      publicSubnetIds: ["subnet-0000000000000000a", "subnet-0000000000000000b"],
      privateSubnetIds: ["subnet-0000000000000000c", "subnet-0000000000000000d"],
    },
    clusterArn: "arn:aws:ecs:eu-west-1:123456789012:cluster/platform",
    hostedZoneId: "Z0123456789ABCDEFGHIJ",
    database: { host: "db.internal.example.org", securityGroupId: "sg-0123456789abcdef0" },
  };

  it("uses the caller's VPC, subnets, cluster, zone and database, and the caller's AWS provider for every AWS child", async () => {
    const run = await runComponents(() => {
      const provider = new aws.Provider("estate", { region: "eu-west-1" });
      new ProsodyStack(
        "chat",
        { ...spec, existing: { aws: existing }, secrets: { databasePassword: "given-password-0123456789" } },
        { providers: { aws: provider } },
      );
      return {};
    });
    const names = describeResources(run);
    for (const absent of [
      "ec2/vpc:Vpc",
      "ec2/subnet:Subnet",
      "ecs/cluster:Cluster",
      "rds/instance:Instance",
      "ec2/natGateway",
    ]) {
      assert.ok(!names.some((name) => name.includes(absent)), `${absent} must not be created`);
    }
    const network = byName(run, "chat-server-service").clearInputs.networkConfiguration as { subnets: string[] };
    assert.deepEqual(network.subnets, existing.vpc.privateSubnetIds);
    assert.equal(byName(run, "chat-server-service").clearInputs.cluster, existing.clusterArn);
    assert.deepEqual(byName(run, "chat-lb").clearInputs.subnets, existing.vpc.publicSubnetIds);
    assert.equal(byName(run, "chat-lb-firewall").clearInputs.vpcId, existing.vpc.vpcId);
    assert.equal(byName(run, "chat-dns-example.org-alias").clearInputs.zoneId, existing.hostedZoneId);
    const access = byName(run, "chat-database-access").clearInputs;
    assert.deepEqual(
      [access.type, access.securityGroupId, access.sourceSecurityGroupId, access.fromPort],
      ["ingress", "sg-0123456789abcdef0", "chat-server-firewall-id", 5432],
    );
    const [prosody] = JSON.parse(String(byName(run, "chat-server-task").clearInputs.containerDefinitions));
    const host = prosody.environment.find((variable: { name: string }) => variable.name === "PROSODY_DB_HOST");
    assert.equal(host.value, "db.internal.example.org");
    // The given password still reaches Prosody through Secrets Manager only.
    assert.equal(byName(run, "chat-database-password-secret-version").inputs.secretString, "[secret]");
    assert.ok(!names.some((name) => name.endsWith(" chat-database-password")), "a given password is not generated");

    const awsChildren = run.resources.filter((resource) => resource.type.startsWith("aws:"));
    assert.ok(awsChildren.length > 30);
    for (const resource of awsChildren) {
      assert.match(resource.provider ?? "", /pulumi:providers:aws::estate::/, `${resource.name} ignores the provider`);
    }
  });

  const refusal = async (args: Record<string, unknown>, expected: RegExp) => {
    const message = await expectResourceError(() => new ProsodyStack("chat", { ...spec, ...args }));
    assert.match(message, expected);
    assert.match(message, /Fix: /);
  };

  it("refuses SQLite, a disk for uploads, ACME without Route53, and A records of its own", async () => {
    await refusal({ storage: "sqlite" }, /storage \(given "sqlite"\): a Fargate task has no lasting disk/);
    await refusal(
      { uploads: "volume" },
      /uploads \(given "volume"\): the aws platform does not offer this\. Fix: use "s3"/,
    );
    await refusal(
      { dns: { provider: "none" } },
      /dns\.provider \(given "none"\): Let's Encrypt .* Fix: set dns\.provider: "route53"/,
    );
    await refusal(
      { dns: { provider: "route53", ipv4: ["192.0.2.10"] } },
      /dns\.ipv4 \(given \["192\.0\.2\.10"\]\): .* Fix: remove dns\.ipv4/,
    );
  });

  it("refuses hosts outside the zone, an S3 endpoint, coturn, and task sizes Fargate does not sell", async () => {
    await refusal(
      { extraDomains: ["example.net"] },
      /dns\.zone \(given "example\.org"\): the host example\.net is outside this zone/,
    );
    await refusal(
      { upload: { s3: { endpoint: "http://minio:9000" } } },
      /upload\.s3\.endpoint \(given "http:\/\/minio:9000"\)/,
    );
    await refusal(
      { turn: { host: "turn.example.org" } },
      /turn\.coturn \(given true\): the AWS platform does not run coturn/,
    );
    await refusal(
      { aws: { server: { cpu: 256, memory: 4096 } } },
      /aws\.server\.memory \(given 4096\): Fargate does not offer 4096 MiB with 256 CPU units\. Fix: .*\[512,1024,2048\]/,
    );
  });

  it("refuses existing resources that cannot be right, and a database of yours without its password", async () => {
    await refusal(
      {
        existing: {
          aws: { vpc: { ...existing.vpc, vpcId: "my-vpc", privateSubnetIds: ["subnet-0000000000000000c"] } },
        },
      },
      /existing\.aws\.vpc\.vpcId \(given "my-vpc"\): does not look like one\. Fix: .*vpc-0123456789abcdef0[\s\S]*existing\.aws\.vpc\.privateSubnetIds \(given 1\): fewer than two subnets/,
    );
    await refusal(
      { existing: { aws: { database: existing.database } } },
      /secrets\.databasePassword: existing\.aws\.database names a server of yours/,
    );
  });
});
