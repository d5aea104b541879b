/** The AWS platform inside the caller's estate (VPC, cluster, zone, database, provider), and each refusal naming its field. */
import { strict as assert } from "node:assert";
import * as aws from "@pulumi/aws";
import { ProsodyStack } from "../../../components/prosody-stack";
import { byName, describeResources, expectResourceError, runComponents } from "../../support/mock-stack";

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
  const hostedZoneId = "Z0123456789ABCDEFGHIJ";
  const existing = {
    vpc: {
      vpcId: "vpc-0a1b2c3d4e5f60718",
      publicSubnetIds: ["subnet-0000000000000000a", "subnet-0000000000000000b"],
      privateSubnetIds: ["subnet-0000000000000000c", "subnet-0000000000000000d"],
    },
    clusterArn: "arn:aws:ecs:eu-west-1:123456789012:cluster/platform",
    database: { host: "db.internal.example.org", securityGroupId: "sg-0123456789abcdef0" },
  };

  it("uses the caller's VPC, subnets, cluster, zone and database, and the caller's AWS provider for every AWS child", async () => {
    const run = await runComponents(() => {
      const provider = new aws.Provider("estate", { region: "eu-west-1" });
      new ProsodyStack(
        "chat",
        {
          ...spec,
          existing: { aws: existing, route53: { hostedZoneId } },
          secrets: { databasePassword: "given-password-0123456789" },
        },
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
    assert.equal(byName(run, "chat-dns-example.org-alias").clearInputs.zoneId, hostedZoneId);
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
