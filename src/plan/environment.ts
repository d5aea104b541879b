/**
 * The variables Prosody's config reads through ENV_<NAME>: names and purposes,
 * never values. Secrets among them come from the platform's secret store.
 */
import type { DeploymentSpec } from "../schema/deployment-spec";
import type { EnvironmentVariable } from "./types";

export const ENV = {
  databaseHost: "PROSODY_DB_HOST",
  databasePassword: "PROSODY_DB_PASSWORD",
  uploadSecret: "PROSODY_UPLOAD_SECRET",
  turnSecret: "PROSODY_TURN_SECRET",
} as const;

export function planEnvironment(spec: DeploymentSpec): EnvironmentVariable[] {
  const environment: EnvironmentVariable[] = [];
  if (spec.storage === "postgresql") {
    environment.push({ name: ENV.databaseHost, secret: false, purpose: "PostgreSQL host name or address" });
  }
  // With SQLite too: when storage switches back from PostgreSQL, the image's storage step reads the old database with it.
  environment.push({
    name: ENV.databasePassword,
    secret: true,
    purpose:
      spec.storage === "postgresql"
        ? `password of the PostgreSQL role ${spec.database.user}`
        : `password of the PostgreSQL role ${spec.database.user}, kept so that a switch of storage can move data back from PostgreSQL`,
  });
  if (spec.uploads === "s3") {
    environment.push({
      name: ENV.uploadSecret,
      secret: true,
      purpose: "HS256 key shared by http_file_share and the upload gateway",
    });
  }
  if (spec.turn.host) {
    environment.push({
      name: ENV.turnSecret,
      secret: true,
      purpose: `secret shared with the TURN server ${spec.turn.host}`,
    });
  }
  return environment;
}
