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
  const { parent, plan } = context;
  if (existing.vpc) {
    const { vpcId, publicSubnetIds, privateSubnetIds } = existing.vpc;
    const vpc = ec2.getVpcOutput({ id: vpcId }, { parent });
    return {
      vpcId: pulumi.output(vpcId),
      cidrBlock: vpc.cidrBlock,
      publicSubnetIds: publicSubnetIds.map((id) => pulumi.output(id)),
      privateSubnetIds: privateSubnetIds.map((id) => pulumi.output(id)),
    };
  }
  const { zones, vpcCidr, natGateways } = plan.spec.aws;
  const ranges = subnetRanges(vpcCidr, zones);
  const zoneNames = getAvailabilityZonesOutput({ state: "available" }, { parent }).names;
  const opts = { parent };
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
  const publicRoutes = new ec2.RouteTable(
    child(context, "public-routes"),
    {
      vpcId: vpc.id,
      routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: internet.id }],
      tags: tags(context, "public-routes"),
    },
    opts,
  );
  const subnet = (side: "public" | "private", zone: number): ec2.Subnet =>
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
    );
  const zoneIndexes = [...Array(zones).keys()];
  const publicSubnets = zoneIndexes.map((zone) => subnet("public", zone));
  const privateSubnets = zoneIndexes.map((zone) => subnet("private", zone));
  publicSubnets.forEach(
    (publicSubnet, zone) =>
      new ec2.RouteTableAssociation(
        child(context, `public-${zone + 1}-association`),
        { subnetId: publicSubnet.id, routeTableId: publicRoutes.id },
        opts,
      ),
  );

  const natZones = natGateways === "per-zone" ? zoneIndexes : [0];
  const nats = natZones.map((zone) => {
    const address = new ec2.Eip(
      child(context, `nat-${zone + 1}-address`),
      { domain: "vpc", tags: tags(context, `nat-${zone + 1}-address`) },
      opts,
    );
    return new ec2.NatGateway(
      child(context, `nat-${zone + 1}`),
      { allocationId: address.id, subnetId: publicSubnets[zone]?.id ?? "", tags: tags(context, `nat-${zone + 1}`) },
      { parent, dependsOn: [internet] },
    );
  });
  const privateRoutes = natZones.map(
    (zone, index) =>
      new ec2.RouteTable(
        child(context, `private-${zone + 1}-routes`),
        {
          vpcId: vpc.id,
          routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: nats[index]?.id }],
          tags: tags(context, `private-${zone + 1}-routes`),
        },
        opts,
      ),
  );
  privateSubnets.forEach((privateSubnet, zone) => {
    const routes = privateRoutes[natGateways === "per-zone" ? zone : 0];
    new ec2.RouteTableAssociation(
      child(context, `private-${zone + 1}-association`),
      { subnetId: privateSubnet.id, routeTableId: routes?.id ?? "" },
      opts,
    );
  });
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
    publicSubnetIds: publicSubnets.map((publicSubnet) => publicSubnet.id),
    privateSubnetIds: privateSubnets.map((privateSubnet) => privateSubnet.id),
  };
}
