/**
 * Compute: the ECS cluster (or the caller's), one log group, and a Fargate
 * service per program. Prosody runs as exactly one task: it does not cluster,
 * so a new task starts only after the old one stopped (a short gap on every
 * deploy), and a task that never becomes healthy is rolled back. The upload
 * gateway is stateless and rolls over without a gap.
 */
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as ecs from "@pulumi/aws/ecs";
import type * as lb from "@pulumi/aws/lb";
import * as pulumi from "@pulumi/pulumi";
import { ENV } from "../../../src/plan/plan-deployment";
import { ENTRYPOINT_VARIABLES, GATEWAY_COMMAND, PROSODY_HEALTHCHECK } from "../../images";
import { physicalName } from "../../naming";
import type { StackCertificate } from "../../certificates/self-signed";
import type { ExistingAwsResources } from "./existing";
import type { AwsNetwork } from "./network";
import type { PushedImage } from "./registry";
import { executionRole, gatewayTaskRole } from "./roles";
import type { ContainerSecret, SecretStore } from "./secret-store";
import { GATEWAY_CONTAINER_PORT, type Traffic } from "./traffic";
import type { UploadBucket } from "./uploads-bucket";
import { type AwsContext, child, tags } from "./context";

export interface ServicesInput {
  network: AwsNetwork;
  traffic: Traffic;
  images: { prosody: PushedImage; gateway?: PushedImage };
  store: SecretStore;
  certificate: StackCertificate;
  configText: string;
  databaseHost?: pulumi.Output<string>;
  bucket?: UploadBucket;
  existing: ExistingAwsResources;
}

export interface Services {
  clusterArn: pulumi.Output<string>;
  logGroupName: pulumi.Output<string>;
}

interface ContainerSpec {
  name: string;
  image: pulumi.Output<string>;
  environment: Record<string, pulumi.Input<string>>;
  secrets: ContainerSecret[];
  ports: number[];
  healthCheck: readonly string[];
  readonlyRootFilesystem: boolean;
}

/** One container's definition, as the ECS API takes it. */
function containerDefinitions(context: AwsContext, logGroup: cloudwatch.LogGroup, container: ContainerSpec) {
  return pulumi.jsonStringify([
    {
      name: container.name,
      image: container.image,
      essential: true,
      portMappings: container.ports.map((port) => ({ containerPort: port, protocol: "tcp" })),
      environment: Object.entries(container.environment).map(([name, value]) => ({ name, value })),
      secrets: container.secrets,
      healthCheck: { command: container.healthCheck, interval: 30, timeout: 5, retries: 3, startPeriod: 60 },
      readonlyRootFilesystem: container.readonlyRootFilesystem,
      linuxParameters: { initProcessEnabled: true },
      logConfiguration: {
        logDriver: "awslogs",
        options: {
          "awslogs-group": logGroup.name,
          "awslogs-region": context.region,
          "awslogs-stream-prefix": container.name,
        },
      },
    },
  ]);
}

export function services(context: AwsContext, input: ServicesInput): Services {
  const { parent, plan } = context;
  const { spec } = plan;
  const opts = { parent };
  const clusterArn =
    input.existing.clusterArn !== undefined
      ? pulumi.output(input.existing.clusterArn)
      : new ecs.Cluster(child(context, "cluster"), { tags: tags(context, "cluster") }, opts).arn;
  const logGroup = new cloudwatch.LogGroup(
    child(context, "logs"),
    { retentionInDays: spec.aws.logRetentionDays, tags: tags(context, "logs") },
    opts,
  );

  const service = (
    part: "server" | "gateway",
    container: ContainerSpec,
    size: { cpu: number; memory: number },
    roles: { execution: pulumi.Output<string>; task?: pulumi.Output<string> },
    rollout: { minimumHealthyPercent: number; maximumPercent: number },
  ): ecs.Service => {
    const task = new ecs.TaskDefinition(
      child(context, `${part}-task`),
      {
        family: physicalName(context.name, part),
        requiresCompatibilities: ["FARGATE"],
        networkMode: "awsvpc",
        cpu: String(size.cpu),
        memory: String(size.memory),
        runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
        executionRoleArn: roles.execution,
        taskRoleArn: roles.task,
        containerDefinitions: containerDefinitions(context, logGroup, container),
        tags: tags(context, `${part}-task`),
      },
      opts,
    );
    const securityGroup = input.traffic.securityGroups[part];
    if (!securityGroup) throw new pulumi.ResourceError(`the ${part} service has no security group`, parent);
    return new ecs.Service(
      child(context, `${part}-service`),
      {
        cluster: clusterArn,
        taskDefinition: task.arn,
        desiredCount: 1,
        launchType: "FARGATE",
        platformVersion: "LATEST",
        networkConfiguration: {
          subnets: input.network.privateSubnetIds,
          securityGroups: [securityGroup.id],
          assignPublicIp: false,
        },
        loadBalancers: input.traffic.targets[part].map(({ targetGroupArn, containerPort }) => ({
          targetGroupArn,
          containerName: container.name,
          containerPort,
        })),
        deploymentMinimumHealthyPercent: rollout.minimumHealthyPercent,
        deploymentMaximumPercent: rollout.maximumPercent,
        deploymentCircuitBreaker: { enable: true, rollback: true },
        healthCheckGracePeriodSeconds: 120,
        propagateTags: "SERVICE",
        enableExecuteCommand: false,
        // `pulumi up` fails when the new task never becomes healthy, instead of reporting success.
        waitForSteadyState: true,
        tags: tags(context, `${part}-service`),
      },
      { parent, dependsOn: input.traffic.listeners as lb.Listener[] },
    );
  };

  const prosodyContainer: ContainerSpec = {
    name: "prosody",
    image: input.images.prosody.ref,
    environment: {
      PROSODY_HEALTH_PORT: String(spec.ports.c2s),
      ...(input.databaseHost ? { [ENV.databaseHost]: input.databaseHost } : {}),
      [ENTRYPOINT_VARIABLES.configText]: input.configText,
      [ENTRYPOINT_VARIABLES.fileStem]: input.certificate.fileStem,
      [ENTRYPOINT_VARIABLES.certificatesFolder]: spec.paths.certificates,
    },
    secrets: input.store.containerSecrets("prosody", {
      certificate: ENTRYPOINT_VARIABLES.certificate,
      key: ENTRYPOINT_VARIABLES.key,
    }),
    ports: input.traffic.targets.server.map((target) => target.containerPort),
    healthCheck: PROSODY_HEALTHCHECK,
    // The entrypoint writes the configuration and the certificate before Prosody starts.
    readonlyRootFilesystem: false,
  };
  service(
    "server",
    prosodyContainer,
    spec.aws.server,
    {
      execution: executionRole(context, "server-execution-role", {
        repositoryArn: input.images.prosody.repositoryArn,
        logGroupArn: logGroup.arn,
        secretArns: input.store.arnsFor("prosody"),
      }).arn,
    },
    { minimumHealthyPercent: 0, maximumPercent: 100 },
  );

  const gateway = plan.uploads?.gateway;
  if (gateway && input.images.gateway && input.bucket) {
    const gatewayContainer: ContainerSpec = {
      name: "upload-gateway",
      image: input.images.gateway.ref,
      environment: {
        S3_BUCKET: input.bucket.name,
        S3_REGION: input.bucket.region,
        GATEWAY_PORT: String(GATEWAY_CONTAINER_PORT),
        GATEWAY_DOWNLOAD_MODE: gateway.downloads,
      },
      secrets: input.store.containerSecrets("gateway", { certificate: "GATEWAY_TLS_CERT", key: "GATEWAY_TLS_KEY" }),
      ports: [GATEWAY_CONTAINER_PORT],
      healthCheck: ["CMD", ...GATEWAY_COMMAND, "--health"],
      readonlyRootFilesystem: true,
    };
    service(
      "gateway",
      gatewayContainer,
      spec.aws.gateway,
      {
        execution: executionRole(context, "gateway-execution-role", {
          repositoryArn: input.images.gateway.repositoryArn,
          logGroupArn: logGroup.arn,
          secretArns: input.store.arnsFor("gateway"),
        }).arn,
        task: gatewayTaskRole(context, input.bucket.arn).arn,
      },
      { minimumHealthyPercent: 100, maximumPercent: 200 },
    );
  }
  return { clusterArn, logGroupName: logGroup.name };
}
