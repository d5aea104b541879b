/**
 * Compute: the ECS cluster (or the caller's), one log group, and a Fargate
 * service per container. Prosody runs as exactly one task: it does not
 * cluster, so a new task starts only after the old one stopped (a short gap
 * on every deploy), and a task that never becomes healthy is rolled back. The
 * upload gateway is stateless and rolls over without a gap.
 */
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as ecs from "@pulumi/aws/ecs";
import * as ec2 from "@pulumi/aws/ec2";
import type * as lb from "@pulumi/aws/lb";
import * as pulumi from "@pulumi/pulumi";
import type { ContainerDescription } from "../../../src/containers/description";
import type { ExistingAwsResources } from "./existing";
import type { AwsNetwork } from "./network";
import type { PushedImage } from "./registry";
import type * as iam from "@pulumi/aws/iam";
import { gatewayTaskRole } from "./roles";
import type { SecretStore } from "./secret-store";
import { fargateTask, type TaskPart, type Value } from "./task-definition";
import type { Service, Traffic } from "./traffic";
import type { UploadBucket } from "./uploads-bucket";
import { type AwsContext, child, tags } from "./context";

/** One container to run as a service, with the image pushed for it. */
export interface Deployable {
  description: ContainerDescription<Value>;
  image: PushedImage;
}

export interface ServicesInput {
  network: AwsNetwork;
  traffic: Traffic;
  store: SecretStore;
  prosody: Deployable;
  gateway?: Deployable & { bucket: UploadBucket };
  existing: ExistingAwsResources;
}

export interface Services {
  clusterArn: pulumi.Output<string>;
  logGroup: cloudwatch.LogGroup;
  /** Prosody's service, which a restore scales to 0 and back */
  serverServiceName: pulumi.Output<string>;
  /** the services that serve the TLS pair (Prosody's, the gateway's): what a renewed pair rolls over */
  served: ecs.Service[];
}

/** How a service replaces its task: Prosody stops the old one first, the stateless gateway overlaps. */
const ROLLOUTS: Record<Service, { minimumHealthyPercent: number; maximumPercent: number }> = {
  server: { minimumHealthyPercent: 0, maximumPercent: 100 },
  gateway: { minimumHealthyPercent: 100, maximumPercent: 200 },
};

export function services(context: AwsContext, input: ServicesInput): Services {
  const { parent, plan } = context;
  const { spec } = plan;
  const opts = { parent };
  const clusterArn =
    input.existing.clusterArn !== undefined
      ? pulumi.output(input.existing.clusterArn)
      : new ecs.Cluster(
          child(context, "cluster"),
          {
            // Per-task CPU, memory and restarts in CloudWatch, next to the stack's alarms (alarms.ts).
            settings: [{ name: "containerInsights", value: "enabled" }],
            tags: tags(context, "cluster"),
          },
          opts,
        ).arn;
  const logGroup = new cloudwatch.LogGroup(
    child(context, "logs"),
    { retentionInDays: spec.aws.logRetentionDays, tags: tags(context, "logs") },
    opts,
  );

  const service = (part: Service, { description, image }: Deployable, taskRole?: iam.Role) => {
    const { task } = fargateTask(context, part, {
      description,
      image,
      store: input.store,
      logGroup,
      ...(taskRole ? { taskRole } : {}),
    });
    const securityGroup = input.traffic.securityGroups[part];
    if (!securityGroup) throw new pulumi.ResourceError(`the ${part} service has no security group`, parent);
    return fargateService(
      context,
      part,
      {
        clusterArn,
        task,
        network: input.network,
        securityGroup,
        rollout: ROLLOUTS[part],
        loadBalancers: input.traffic.targets[part].map(({ targetGroupArn, containerPort }) => ({
          targetGroupArn,
          containerName: description.name,
          containerPort,
        })),
        healthCheckGraceSeconds: 120,
      },
      { dependsOn: input.traffic.listeners as lb.Listener[] },
    );
  };

  const server = service("server", input.prosody);
  const gateway = input.gateway
    ? service("gateway", input.gateway, gatewayTaskRole(context, input.gateway.bucket.arn))
    : undefined;
  return { clusterArn, logGroup, serverServiceName: server.name, served: gateway ? [server, gateway] : [server] };
}

export interface FargateServiceInput {
  clusterArn: pulumi.Input<string>;
  task: ecs.TaskDefinition;
  network: AwsNetwork;
  securityGroup: ec2.SecurityGroup;
  rollout: { minimumHealthyPercent: number; maximumPercent: number };
  /** the load balancer's target groups the task joins; none for a task nothing reaches */
  loadBalancers?: { targetGroupArn: pulumi.Input<string>; containerName: string; containerPort: number }[];
  /** how long ECS ignores failed load balancer health checks of a new task */
  healthCheckGraceSeconds?: number;
}

/** `${name}-<part>-service`: one task of `task` in the private subnets, no public address, rolled back when it never becomes healthy. */
export function fargateService(
  context: AwsContext,
  part: TaskPart,
  input: FargateServiceInput,
  opts: pulumi.CustomResourceOptions = {},
): ecs.Service {
  return new ecs.Service(
    child(context, `${part}-service`),
    {
      cluster: input.clusterArn,
      taskDefinition: input.task.arn,
      desiredCount: 1,
      launchType: "FARGATE",
      platformVersion: "LATEST",
      networkConfiguration: {
        subnets: input.network.privateSubnetIds,
        securityGroups: [input.securityGroup.id],
        assignPublicIp: false,
      },
      ...(input.loadBalancers ? { loadBalancers: input.loadBalancers } : {}),
      deploymentMinimumHealthyPercent: input.rollout.minimumHealthyPercent,
      deploymentMaximumPercent: input.rollout.maximumPercent,
      deploymentCircuitBreaker: { enable: true, rollback: true },
      ...(input.healthCheckGraceSeconds !== undefined
        ? { healthCheckGracePeriodSeconds: input.healthCheckGraceSeconds }
        : {}),
      propagateTags: "SERVICE",
      enableExecuteCommand: false,
      // `pulumi up` fails when the new task never becomes healthy, instead of reporting success.
      waitForSteadyState: true,
      tags: tags(context, `${part}-service`),
    },
    { parent: context.parent, ...opts },
  );
}

/**
 * A task nothing reaches, which only reaches out (Let's Encrypt and the DNS provider, the server's public
 * ports): a security group with no way in, `${name}-<part>-firewall`, and one task at a time, the old one
 * stopped before the new one starts.
 */
export function outboundOnlyService(
  context: AwsContext,
  part: TaskPart,
  input: { clusterArn: pulumi.Input<string>; task: ecs.TaskDefinition; network: AwsNetwork; what: string },
): ecs.Service {
  const firewall = new ec2.SecurityGroup(
    child(context, `${part}-firewall`),
    {
      vpcId: input.network.vpcId,
      description: `ProsodyStack ${input.what} task`,
      ingress: [],
      egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] }],
      tags: tags(context, `${part}-firewall`),
    },
    { parent: context.parent },
  );
  return fargateService(context, part, {
    clusterArn: input.clusterArn,
    task: input.task,
    network: input.network,
    securityGroup: firewall,
    rollout: { minimumHealthyPercent: 0, maximumPercent: 100 },
  });
}
