/**
 * ProsodyStack inside an existing AWS estate: the platform team's program
 * already has a network, an ECS cluster and a hosted zone; the chat server
 * joins them instead of creating its own. Everything ProsodyStack still
 * creates (database, bucket, load balancer, services, records, certificate)
 * goes through the provider passed in `providers`.
 *
 * Run it as a Pulumi program (`pulumi up` in this folder, with prosody-stack
 * and @pulumi/aws installed). The project's tests type-check it against the
 * built package and run it under Pulumi's mocks.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { type ExistingAwsResources, ProsodyStack } from "@prosodystack/pulumi";

export = function estate(): Record<string, pulumi.Output<unknown>> {
  const config = new pulumi.Config();
  const provider = new aws.Provider("estate", {
    region: config.get("region") ?? "eu-central-1",
    defaultTags: { tags: { team: "communications" } },
  });
  const opts = { provider };

  // The estate's network, as the platform team's code already defines it.
  const vpc = new aws.ec2.Vpc("estate", { cidrBlock: "10.20.0.0/16", enableDnsHostnames: true }, opts);
  const zones = ["a", "b"];
  const subnets = (side: "public" | "private", offset: number) =>
    zones.map(
      (zone, index) =>
        new aws.ec2.Subnet(
          `estate-${side}-${zone}`,
          {
            vpcId: vpc.id,
            cidrBlock: `10.20.${offset + index}.0/24`,
            availabilityZone: pulumi.interpolate`${provider.region}${zone}`,
          },
          opts,
        ),
    );
  const cluster = new aws.ecs.Cluster("estate", {}, opts);

  const existing: ExistingAwsResources = {
    vpc: {
      vpcId: vpc.id,
      publicSubnetIds: subnets("public", 0).map((subnet) => subnet.id),
      privateSubnetIds: subnets("private", 10).map((subnet) => subnet.id),
    },
    clusterArn: cluster.arn,
  };

  const chat = new ProsodyStack(
    "chat",
    {
      domain: config.get("domain") ?? "chat.example.com",
      platform: "aws",
      tier: "enterprise",
      admins: [`ops@${config.get("domain") ?? "chat.example.com"}`],
      storage: "postgresql",
      uploads: "s3",
      tls: { mode: "acme", acme: { directory: "staging", renewDaysBefore: 30 } },
      dns: { provider: "route53", zone: config.get("zone") ?? "example.com" },
      aws: { database: { multiAz: true, backupRetentionDays: 14 } },
      existing: { aws: existing, route53: { hostedZoneId: config.get("hostedZoneId") ?? "Z0123456789EXAMPLE" } },
    },
    { providers: { aws: provider } },
  );

  return {
    loadBalancer: chat.loadBalancer,
    serverSecurityGroupId: chat.serverSecurityGroupId,
    clientEndpoint: chat.clientEndpoint,
    uploadBucket: chat.uploadBucket,
  };
};
