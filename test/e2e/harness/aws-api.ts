/**
 * The part of Secrets Manager and ECS that the certificate renewer calls on
 * AWS (read the TLS secret, write a new current version, start a new
 * deployment of a service), on loopback in AWS's JSON protocol: the
 * renewer's AWS SDK reaches it through its own endpoint settings
 * (AWS_ENDPOINT_URL_SECRETS_MANAGER, AWS_ENDPOINT_URL_ECS), with no AWS
 * account. A new deployment calls back, so the test can replace the task the
 * way ECS would.
 */
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";

export interface AwsApi {
  /** http://127.0.0.1:port, for both endpoint variables */
  endpoint: string;
  /** the secret's current value (AWSCURRENT) */
  current(arn: string): string | undefined;
  /** every UpdateService asked for: cluster and service */
  deployments: { cluster: string; service: string }[];
  stop(): Promise<void>;
}

export async function startAwsApi(
  port: number,
  secrets: Record<string, string>,
  onDeployment: (cluster: string, service: string) => void,
): Promise<AwsApi> {
  const values = new Map(Object.entries(secrets));
  const deployments: AwsApi["deployments"] = [];
  const server: Server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      const target = String(request.headers["x-amz-target"] ?? "");
      const input = (body === "" ? {} : JSON.parse(body)) as Record<string, unknown>;
      const reply = (status: number, payload: unknown) => {
        response.writeHead(status, { "content-type": "application/x-amz-json-1.1" });
        response.end(JSON.stringify(payload));
      };
      const secretId = String(input.SecretId ?? "");
      if (target === "secretsmanager.GetSecretValue") {
        const value = values.get(secretId);
        if (value === undefined) {
          reply(400, { __type: "ResourceNotFoundException", message: `no secret ${secretId}` });
          return;
        }
        reply(200, { ARN: secretId, Name: secretId, SecretString: value, VersionStages: ["AWSCURRENT"] });
      } else if (target === "secretsmanager.PutSecretValue") {
        values.set(secretId, String(input.SecretString ?? ""));
        reply(200, { ARN: secretId, Name: secretId, VersionId: randomUUID(), VersionStages: ["AWSCURRENT"] });
      } else if (target.endsWith(".UpdateService")) {
        const cluster = String(input.cluster ?? "");
        const service = String(input.service ?? "");
        deployments.push({ cluster, service });
        // ECS answers at once and replaces the task afterwards.
        reply(200, { service: { serviceName: service, clusterArn: cluster, status: "ACTIVE" } });
        onDeployment(cluster, service);
      } else {
        reply(400, { __type: "UnknownOperationException", message: `not stood in for: ${target}` });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    endpoint: `http://127.0.0.1:${port}`,
    current: (arn) => values.get(arn),
    deployments,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
