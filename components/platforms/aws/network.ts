/**
 * The network: a VPC with a public and a private subnet in each zone, an
 * internet gateway for the public ones, NAT for the private ones' way out
 * (Prosody federates with any server, and pulls images and secrets), and an
 * S3 gateway endpoint so uploads do not pay for NAT. Or the caller's VPC.
 */
import { getAvailabilityZonesOutput } from "@pulumi/aws/getAvailabilityZones";
import * as ec2 from "@pulumi/aws/ec2";
import * as pulumi from "@pulumi/pulumi";
import type { ExistingAwsResources } from "./existing";
import { type AwsContext, child, tags } from "./context";

export interface AwsNetwork {
  vpcId: pulumi.Output<string>;
  /** the VPC's IPv4 range: the load balancer may only reach into it */
  cidrBlock: pulumi.Output<string>;
  publicSubnetIds: pulumi.Output<string>[];
  privateSubnetIds: pulumi.Output<string>[];
}

/** Subnet ranges of a new VPC: the range cut into 16; public subnets from the first, private from the ninth. */
export function subnetRanges(vpcCidr: string, zones: number): { public: string[]; private: string[] } {
  const [address = "", bits = ""] = vpcCidr.split("/");
  const base = address.split(".").reduce((value, octet) => value * 256 + Number(octet), 0);
  const subnetBits = Number(bits) + 4;
  const size = 2 ** (32 - subnetBits);
  const range = (index: number): string => {
    const start = base + index * size;
    const octets = [24, 16, 8, 0].map((shift) => Math.floor(start / 2 ** shift) % 256);
    return `${octets.join(".")}/${subnetBits}`;
  };
  const indexes = [...Array(zones).keys()];
  return { public: indexes.map(range), private: indexes.map((zone) => range(8 + zone)) };
}

export function awsNetwork(context: AwsContext, existing: ExistingAwsResources): AwsNetwork {
  if (existing.vpc) return existingNetwork(context, existing.vpc);
  const { zones, vpcCidr } = context.plan.spec.aws;
  const opts = { parent: context.parent };
  const vpc = new ec2.Vpc(
    child(context, "vpc"),
    { cidrBlock: vpcCidr, enableDnsHostnames: true, enableDnsSupport: true, tags: tags(context, "vpc") },
    opts,
  );
  const internet = new ec2.InternetGateway(
    child(context, "internet"),
    { vpcId: vpc.id, tags: tags(context, "internet") },
    opts,
  );
  const ranges = subnetRanges(vpcCidr, zones);
  const zoneNames = getAvailabilityZonesOutput({ state: "available" }, opts).names;
  const subnets = (side: "public" | "private"): ec2.Subnet[] =>
    [...Array(zones).keys()].map(
      (zone) =>
        new ec2.Subnet(
          child(context, `${side}-${zone + 1}`),
          {
            vpcId: vpc.id,
            cidrBlock: ranges[side][zone] ?? "",
            availabilityZone: zoneNames.apply((names) => names[zone] ?? ""),
            mapPublicIpOnLaunch: false,
            tags: tags(context, `${side}-${zone + 1}`),
          },
          opts,
        ),
    );
  const publicSubnets = subnets("public");
  const privateSubnets = subnets("private");
  routePublicSubnets(context, vpc, internet, publicSubnets);
  const privateRoutes = routePrivateSubnets(context, vpc, internet, publicSubnets, privateSubnets);
  new ec2.VpcEndpoint(
    child(context, "s3-endpoint"),
    {
      vpcId: vpc.id,
      serviceName: pulumi.interpolate`com.amazonaws.${context.region}.s3`,
      vpcEndpointType: "Gateway",
      routeTableIds: privateRoutes.map((routes) => routes.id),
      tags: tags(context, "s3-endpoint"),
    },
    opts,
  );
  return {
    vpcId: vpc.id,
    cidrBlock: vpc.cidrBlock,
    publicSubnetIds: publicSubnets.map((subnet) => subnet.id),
    privateSubnetIds: privateSubnets.map((subnet) => subnet.id),
  };
}

function existingNetwork(context: AwsContext, given: NonNullable<ExistingAwsResources["vpc"]>): AwsNetwork {
  const { vpcId, publicSubnetIds, privateSubnetIds } = given;
  const vpc = ec2.getVpcOutput({ id: vpcId }, { parent: context.parent });
  return {
    vpcId: pulumi.output(vpcId),
    cidrBlock: vpc.cidrBlock,
    publicSubnetIds: publicSubnetIds.map((id) => pulumi.output(id)),
    privateSubnetIds: privateSubnetIds.map((id) => pulumi.output(id)),
  };
}

/** The public subnets' one route out: the internet gateway. */
function routePublicSubnets(
  context: AwsContext,
  vpc: ec2.Vpc,
  internet: ec2.InternetGateway,
  publicSubnets: readonly ec2.Subnet[],
): void {
  const opts = { parent: context.parent };
  const routes = new ec2.RouteTable(
    child(context, "public-routes"),
    {
      vpcId: vpc.id,
      routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: internet.id }],
      tags: tags(context, "public-routes"),
    },
    opts,
  );
  publicSubnets.forEach(
    (subnet, zone) =>
      new ec2.RouteTableAssociation(
        child(context, `public-${zone + 1}-association`),
        { subnetId: subnet.id, routeTableId: routes.id },
        opts,
      ),
  );
}

/** The private subnets' way out through NAT: one gateway in the first zone, or one per zone. Returns their route tables. */
function routePrivateSubnets(
  context: AwsContext,
  vpc: ec2.Vpc,
  internet: ec2.InternetGateway,
  publicSubnets: readonly ec2.Subnet[],
  privateSubnets: readonly ec2.Subnet[],
): ec2.RouteTable[] {
  const { parent } = context;
  const perZone = context.plan.spec.aws.natGateways === "per-zone";
  const natZones = perZone ? privateSubnets.map((_subnet, zone) => zone) : [0];
  const routeTables = natZones.map((zone) => {
    const address = new ec2.Eip(
      child(context, `nat-${zone + 1}-address`),
      { domain: "vpc", tags: tags(context, `nat-${zone + 1}-address`) },
      { parent },
    );
    const nat = new ec2.NatGateway(
      child(context, `nat-${zone + 1}`),
      { allocationId: address.id, subnetId: publicSubnets[zone]?.id ?? "", tags: tags(context, `nat-${zone + 1}`) },
      { parent, dependsOn: [internet] },
    );
    return new ec2.RouteTable(
      child(context, `private-${zone + 1}-routes`),
      {
        vpcId: vpc.id,
        routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: nat.id }],
        tags: tags(context, `private-${zone + 1}-routes`),
      },
      { parent },
    );
  });
  privateSubnets.forEach((subnet, zone) => {
    const routes = routeTables[perZone ? zone : 0];
    new ec2.RouteTableAssociation(
      child(context, `private-${zone + 1}-association`),
      { subnetId: subnet.id, routeTableId: routes?.id ?? "" },
      { parent },
    );
  });
  return routeTables;
}
