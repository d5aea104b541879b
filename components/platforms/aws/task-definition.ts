/**
 * One container description (src/containers/) as a Fargate task definition:
 * the task's size, its execution role, its own role, and the container
 * definition. Fargate mounts no files, so each file travels in the variable
 * the image writes it from: plain files in the environment, the TLS pair by
 * ECS `secrets` from Secrets Manager. Secrets never appear in the definition.
 */
import type * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as ecs from "@pulumi/aws/ecs";
import type * as iam from "@pulumi/aws/iam";
import * as pulumi from "@pulumi/pulumi";
import type { ContainerDescription } from "../../../src/containers/description";
import { physicalName } from "../../naming";
import { type AwsContext, child, tags } from "./context";
import type { PushedImage } from "./registry";
import { executionRole } from "./roles";
import type { SecretStore } from "./secret-store";

/** Each Fargate task by its part in child names, and the spec's size for it (aws.server, aws.gateway, aws.backup). */
export type TaskPart = "server" | "gateway" | "backup" | "renewer" | "watchdog";

export interface FargateTaskInput {
  description: ContainerDescription<Value>;
  image: PushedImage;
  store: SecretStore;
  logGroup: cloudwatch.LogGroup;
  /** the task's own identity, when its program calls AWS (S3) */
  taskRole?: iam.Role;
  /** arguments to the image's entrypoint instead of its default (a scheduled one-shot run) */
  command?: readonly string[];
  /** false: ECS does not run the health check, so it never replaces the task for it (default true) */
  replaceWhenUnhealthy?: boolean;
}

/**
 * The task definition `${name}-<part>-task` (family `<name>-<stack>-<part>`) with its execution role
 * `${name}-<part>-execution-role`, which may pull its image, write its logs and read its secrets only.
 */
export function fargateTask(
  context: AwsContext,
  part: TaskPart,
  input: FargateTaskInput,
): { task: ecs.TaskDefinition; execution: iam.Role } {
  const { description, image, store, logGroup } = input;
  const execution = executionRole(context, `${part}-execution-role`, {
    repositoryArn: image.repositoryArn,
    logGroupArn: logGroup.arn,
    secretArns: store.arnsFor(description),
  });
  const size = context.plan.spec.aws[part];
  const task = new ecs.TaskDefinition(
    child(context, `${part}-task`),
    {
      family: physicalName(context.name, part),
      requiresCompatibilities: ["FARGATE"],
      networkMode: "awsvpc",
      cpu: String(size.cpu),
      memory: String(size.memory),
      runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
      executionRoleArn: execution.arn,
      taskRoleArn: input.taskRole?.arn,
      containerDefinitions: containerDefinitions(context, description, image.ref, store, logGroup, {
        ...(input.command ? { command: input.command } : {}),
        healthCheck: input.replaceWhenUnhealthy ?? true,
      }),
      tags: tags(context, `${part}-task`),
    },
    { parent: context.parent },
  );
  return { task, execution };
}

export type Value = pulumi.Output<string>;

function containerDefinitions(
  context: AwsContext,
  description: ContainerDescription<Value>,
  image: pulumi.Output<string>,
  store: SecretStore,
  logGroup: cloudwatch.LogGroup,
  options: {
    /** arguments to the image's entrypoint instead of its default (a scheduled one-shot run); a run may override them */
    command?: readonly string[];
    /** whether ECS runs the description's health check (and replaces the task when it fails) */
    healthCheck: boolean;
  },
): pulumi.Output<string> {
  const { command } = options;
  const inlineFiles = description.files.filter((file) => file.tls === undefined);
  const secretFile = inlineFiles.find((file) => file.secret);
  if (secretFile) throw new Error(`the AWS platform cannot hand over the secret file ${secretFile.path} yet`);
  // One entry per name: the inline files' variables may repeat one the container sets anyway (its certificates folder).
  const environment = Object.entries({
    ...description.environment,
    ...Object.fromEntries(inlineFiles.map((file) => [file.inlineVariable, file.content])),
    ...description.inlineFilesEnvironment,
  } as Record<string, pulumi.Input<string>>);
  const { health } = description;
  return pulumi.jsonStringify([
    {
      name: description.name,
      image,
      ...(command ? { command: [...command] } : {}),
      essential: true,
      portMappings: description.ports
        .filter((port) => port.publicPort !== undefined)
        .map((port) => ({ containerPort: port.port, protocol: "tcp" })),
      environment: environment.map(([name, value]) => ({ name, value })),
      secrets: store.containerSecrets(description),
      ...(options.healthCheck
        ? {
            healthCheck: {
              command: ["CMD", ...health.command],
              interval: health.intervalSeconds,
              timeout: health.timeoutSeconds,
              retries: health.retries,
              startPeriod: health.startSeconds,
            },
          }
        : {}),
      readonlyRootFilesystem: description.readOnlyRootFilesystem,
      linuxParameters: { initProcessEnabled: true },
      logConfiguration: {
        logDriver: "awslogs",
        options: {
          "awslogs-group": logGroup.name,
          "awslogs-region": context.region,
          "awslogs-stream-prefix": description.name,
        },
      },
    },
  ]);
}
