/**
 * Traffic: a Network Load Balancer passing TCP through (Prosody and the
 * upload gateway hold their own certificates, so STARTTLS on 5222 and 5269
 * works), one listener and target group per public port, and the security
 * groups that let exactly those ports through to exactly those tasks.
 */
import * as ec2 from "@pulumi/aws/ec2";
import * as lb from "@pulumi/aws/lb";
import * as pulumi from "@pulumi/pulumi";
import { publicPorts, type ServingContainer } from "../../../src/containers/ports";
import type { AwsNetwork } from "./network";
import { type AwsContext, child, tags } from "./context";

export type Service = "server" | "gateway";

/** The service each container runs as. */
const SERVICE_OF: Record<ServingContainer, Service> = { prosody: "server", "upload-gateway": "gateway" };

export interface Traffic {
  dnsName: pulumi.Output<string>;
  zoneId: pulumi.Output<string>;
  /** the load balancer's ARN suffix, as CloudWatch names it */
  arnSuffix: pulumi.Output<string>;
  /** target groups by service, with the container port each sends to (and the ARN suffix, CloudWatch's) */
  targets: Record<
    Service,
    { targetGroupArn: pulumi.Output<string>; targetGroupArnSuffix: pulumi.Output<string>; containerPort: number }[]
  >;
  securityGroups: { server: ec2.SecurityGroup; gateway?: ec2.SecurityGroup };
  /** the listeners: services start after them, so the target groups belong to a load balancer */
  listeners: lb.Listener[];
}

const TCP_ANYWHERE = { protocol: "tcp", cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] };

/** One port the load balancer opens: what clients connect to, what the task listens on, and which service. */
interface BalancedPort {
  name: string;
  port: number;
  containerPort: number;
  service: Service;
}

export function traffic(context: AwsContext, network: AwsNetwork): Traffic {
  const ports: BalancedPort[] = publicPorts(context.plan).map(({ container, name, port, publicPort }) => ({
    name,
    port: publicPort,
    containerPort: port,
    service: SERVICE_OF[container],
  }));
  const { balancerGroup, securityGroups } = firewalls(context, network, ports);
  const balancer = new lb.LoadBalancer(
    child(context, "lb"),
    {
      loadBalancerType: "network",
      internal: false,
      subnets: network.publicSubnetIds,
      securityGroups: [balancerGroup.id],
      enableCrossZoneLoadBalancing: true,
      tags: tags(context, "lb"),
    },
    { parent: context.parent },
  );
  const targets: Traffic["targets"] = { server: [], gateway: [] };
  const listeners = ports.map((port) => {
    const { targetGroupArn, targetGroupArnSuffix, listener } = listen(context, network, balancer, port);
    targets[port.service].push({ targetGroupArn, targetGroupArnSuffix, containerPort: port.containerPort });
    return listener;
  });
  return {
    dnsName: balancer.dnsName,
    zoneId: balancer.zoneId,
    arnSuffix: balancer.arnSuffix,
    targets,
    securityGroups,
    listeners,
  };
}

/** The world reaches the load balancer on the public ports only; the load balancer reaches each task on its ports only. */
function firewalls(context: AwsContext, network: AwsNetwork, ports: readonly BalancedPort[]) {
  const opts = { parent: context.parent };
  const balancerGroup = new ec2.SecurityGroup(
    child(context, "lb-firewall"),
    {
      vpcId: network.vpcId,
      description: "ProsodyStack load balancer: the public XMPP and HTTPS ports",
      ingress: ports.map(({ name, port }) => ({ ...TCP_ANYWHERE, fromPort: port, toPort: port, description: name })),
      egress: ports.map(({ name, containerPort }) => ({
        protocol: "tcp",
        fromPort: containerPort,
        toPort: containerPort,
        cidrBlocks: [network.cidrBlock],
        description: `to ${name}`,
      })),
      tags: tags(context, "lb-firewall"),
    },
    opts,
  );
  const taskGroup = (service: Service, description: string): ec2.SecurityGroup =>
    new ec2.SecurityGroup(
      child(context, `${service}-firewall`),
      {
        vpcId: network.vpcId,
        description,
        ingress: ports
          .filter((entry) => entry.service === service)
          .map(({ name, containerPort }) => ({
            protocol: "tcp",
            fromPort: containerPort,
            toPort: containerPort,
            securityGroups: [balancerGroup.id],
            description: `${name} from the load balancer`,
          })),
        // Prosody federates with any server on any port; both pull images and secrets, and the gateway talks to S3.
        egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] }],
        tags: tags(context, `${service}-firewall`),
      },
      opts,
    );
  const securityGroups: Traffic["securityGroups"] = {
    server: taskGroup("server", "ProsodyStack Prosody task"),
    ...(context.plan.uploads?.gateway ? { gateway: taskGroup("gateway", "ProsodyStack upload gateway task") } : {}),
  };
  return { balancerGroup, securityGroups };
}

/** A TCP listener on the load balancer forwarding one public port to its target group. */
function listen(context: AwsContext, network: AwsNetwork, balancer: lb.LoadBalancer, port: BalancedPort) {
  const opts = { parent: context.parent };
  const part = port.name.replace(/_/g, "-");
  const group = new lb.TargetGroup(
    child(context, `${part}-target`),
    {
      vpcId: network.vpcId,
      targetType: "ip",
      protocol: "TCP",
      port: port.containerPort,
      // XMPP sessions last hours: on a new task, close the old one's connections so clients reconnect.
      connectionTermination: true,
      deregistrationDelay: 30,
      healthCheck: { protocol: "TCP", port: "traffic-port", interval: 30, healthyThreshold: 3, unhealthyThreshold: 3 },
      tags: tags(context, `${part}-target`),
    },
    opts,
  );
  const listener = new lb.Listener(
    child(context, `${part}-listener`),
    {
      loadBalancerArn: balancer.arn,
      protocol: "TCP",
      port: port.port,
      defaultActions: [{ type: "forward", targetGroupArn: group.arn }],
      tags: tags(context, `${part}-listener`),
    },
    opts,
  );
  return { targetGroupArn: group.arn, targetGroupArnSuffix: group.arnSuffix, listener };
}
