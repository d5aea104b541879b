/** The plan's uploads: http_file_share's limits, and with uploads "s3" the gateway and the bucket. */
import { DAILY_QUOTA_FILES, type DeploymentSpec } from "../schema/deployment-spec";
import { PLATFORM_FACTS } from "../catalog/platforms";
import type { UploadPlan } from "./types";

const DAY = 86400;

export function planUploads(spec: DeploymentSpec, host: string): UploadPlan {
  const base = {
    host,
    sizeLimit: spec.upload.sizeLimit,
    dailyQuota: spec.upload.dailyQuota ?? spec.upload.sizeLimit * DAILY_QUOTA_FILES,
    ...(spec.upload.totalQuota !== undefined ? { totalQuota: spec.upload.totalQuota } : {}),
    expiresAfter: spec.upload.expiresAfter,
  };
  if (spec.uploads === "volume") {
    return { mode: "volume", ...base, folder: `${spec.paths.data}/${storeFolderName(host)}/http_file_share` };
  }
  const { s3 } = spec.upload;
  const selfHosted = PLATFORM_FACTS[spec.platform].s3Server && spec.docker.minio && s3.endpoint === undefined;
  const port = spec.ports.uploadGateway;
  return {
    mode: "s3",
    ...base,
    gateway: {
      url: spec.upload.gatewayUrl ?? `https://${host}${port === 443 ? "" : `:${port}`}/`,
      port,
      // Clients cannot reach a self-hosted S3 server on the private network: bytes go through the gateway.
      downloads: s3.downloads ?? (selfHosted ? "stream" : "redirect"),
      credentials: s3.endpoint !== undefined || selfHosted ? "keys" : "platform",
    },
    bucket: {
      ...(s3.bucket !== undefined || s3.endpoint !== undefined || selfHosted
        ? { name: s3.bucket ?? DEFAULT_BUCKET }
        : {}),
      ...(s3.endpoint !== undefined ? { endpoint: s3.endpoint } : {}),
      region: s3.region,
      forcePathStyle: s3.forcePathStyle || selfHosted,
      selfHosted,
      expiryDays: Math.ceil(spec.upload.expiresAfter / DAY),
    },
  };
}

/** The bucket name where no platform names buckets uniquely for us. */
export const DEFAULT_BUCKET = "prosody-uploads";

/** How Prosody's datamanager names a host's folder: every character but a letter or digit as %xx. */
export const storeFolderName = (host: string): string =>
  host.replace(/[^A-Za-z0-9]/g, (character) => `%${character.charCodeAt(0).toString(16).padStart(2, "0")}`);
