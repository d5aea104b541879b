/**
 * What a platform can run itself, where the plan depends on it. Data, so the
 * plan never asks which platform it is on; everything else a platform offers
 * is declared by the platform (components/platforms/<name>/index.ts, `support`).
 */
import type { DeploymentSpec } from "../schema/deployment-spec";

export interface PlatformCapabilities {
  /** runs an S3 server of its own next to the gateway when the spec asks (docker.minio) */
  s3Server: boolean;
}

export const PLATFORM_CAPABILITIES: Record<DeploymentSpec["platform"], PlatformCapabilities> = {
  docker: { s3Server: true },
  aws: { s3Server: false },
  kubernetes: { s3Server: false },
};
