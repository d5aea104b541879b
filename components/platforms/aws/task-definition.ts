/**
 * One container description (src/containers/) as an ECS container definition.
 * Fargate mounts no files, so each file travels in the variable the image
 * writes it from: plain files in the environment, the TLS pair by ECS
 * `secrets` from Secrets Manager. Secrets never appear in the definition.
 */
import type * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as pulumi from "@pulumi/pulumi";
import type { ContainerDescription } from "../../../src/containers/description";
import type { AwsContext } from "./context";
import type { SecretStore } from "./secret-store";

export type Value = pulumi.Output<string>;

export function containerDefinitions(
  context: AwsContext,
  description: ContainerDescription<Value>,
  image: pulumi.Output<string>,
  store: SecretStore,
  logGroup: cloudwatch.LogGroup,
  /** arguments to the image's entrypoint instead of its default (a scheduled one-shot run); a run may override them */
  command?: readonly string[],
): pulumi.Output<string> {
  const inlineFiles = description.files.filter((file) => file.tls === undefined);
  const secretFile = inlineFiles.find((file) => file.secret);
  if (secretFile) throw new Error(`the AWS platform cannot hand over the secret file ${secretFile.path} yet`);
  const environment: [string, pulumi.Input<string>][] = [
    ...Object.entries(description.environment),
    ...inlineFiles.map((file): [string, pulumi.Input<string>] => [file.inlineVariable, file.content]),
    ...Object.entries(description.inlineFilesEnvironment),
  ];
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
      healthCheck: {
        command: ["CMD", ...health.command],
        interval: health.intervalSeconds,
        timeout: health.timeoutSeconds,
        retries: health.retries,
        startPeriod: health.startSeconds,
      },
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
