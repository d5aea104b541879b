/** Everything the upload gateway's container needs, in the names gateway/src/contract.ts gives its settings. */
import type { DeploymentPlan } from "../plan/types";
import {
  fileVariable,
  GATEWAY_COMMAND,
  GATEWAY_HEALTH_FLAG,
  GATEWAY_HEALTH_WAIT_SECONDS,
  GATEWAY_USER,
  GATEWAY_VARIABLES as V,
} from "../../gateway/src/contract";
import type { CertificatePair, ContainerDescription, HealthCheck, ImageBuild } from "./description";
import { GATEWAY_CONTAINER_PORT, gatewayPorts } from "./ports";
import { gatewaySecretEnvironment } from "./secrets";

/** The timing gateway/Dockerfile's HEALTHCHECK declares: the timeout outlasts the health command's own wait. */
export const GATEWAY_HEALTH: HealthCheck = {
  command: [...GATEWAY_COMMAND, GATEWAY_HEALTH_FLAG],
  intervalSeconds: 30,
  timeoutSeconds: GATEWAY_HEALTH_WAIT_SECONDS + 1,
  startSeconds: 10,
  retries: 3,
};

/** Where the gateway's copy of the certificate goes when files can be mounted (its own: the key belongs to its user). */
const TLS_FOLDER = "/etc/upload-gateway";

export interface GatewayInputs<T> {
  /** the gateway image's build (components/image-builds.ts) */
  image: ImageBuild;
  certificate: CertificatePair<T>;
  /** the bucket as the platform knows it: a created bucket's name and region are known only once it exists */
  bucket: { name: string | T; region: string | T; endpoint?: string };
}

export function describeGateway<T>(plan: DeploymentPlan, inputs: GatewayInputs<T>): ContainerDescription<T> {
  const { gateway, bucket } = plan.uploads ?? {};
  if (!gateway || !bucket) throw new Error("describeGateway: the plan has no upload gateway");
  const environment: Record<string, string | T> = {
    [V.bucket]: inputs.bucket.name,
    [V.region]: inputs.bucket.region,
  };
  if (inputs.bucket.endpoint !== undefined) environment[V.endpoint] = inputs.bucket.endpoint;
  if (bucket.forcePathStyle) environment[V.forcePathStyle] = "true";
  environment[V.port] = String(GATEWAY_CONTAINER_PORT);
  // Issued where the gateway runs: a temporary pair in its folder until the first one arrives.
  if (plan.certificate.source === "renewer") environment[V.tlsTemporary] = plan.certificateNames.join(" ");
  environment[V.downloadMode] = gateway.downloads;
  // Nobody else creates a bucket on a server the stack runs itself.
  if (bucket.selfHosted) {
    environment[V.createBucket] = "true";
    environment[V.bucketExpiryDays] = String(bucket.expiryDays);
  }
  return {
    name: "upload-gateway",
    image: inputs.image,
    user: GATEWAY_USER,
    environment,
    secretEnvironment: gatewaySecretEnvironment(plan),
    files: [
      {
        path: `${TLS_FOLDER}/tls.crt`,
        content: inputs.certificate.chain,
        mode: "0644",
        secret: false,
        tls: "certificate",
        inlineVariable: V.tlsCertificate,
        pathVariable: fileVariable(V.tlsCertificate),
      },
      {
        path: `${TLS_FOLDER}/tls.key`,
        content: inputs.certificate.key,
        owner: GATEWAY_USER,
        mode: "0600",
        secret: true,
        tls: "key",
        inlineVariable: V.tlsKey,
        pathVariable: fileVariable(V.tlsKey),
      },
    ],
    inlineFilesEnvironment: {},
    volumes: [],
    ports: gatewayPorts(plan),
    health: GATEWAY_HEALTH,
    readOnlyRootFilesystem: true,
  };
}
