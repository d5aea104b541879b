/** Everything the Prosody container needs, from the plan and the values only a deployment knows. */
import type { DeploymentPlan } from "../plan/types";
import { ENV } from "../plan/environment";
import { renderProsodyConfig } from "../render/prosody-config";
import { renderWebClientSettings } from "../render/web-client";
import type { CertificatePair, ContainerDescription, ContainerVolume, HealthCheck, ImageBuild } from "./description";
import {
  PROSODY_CONFIG_FILE,
  PROSODY_HEALTH_COMMAND,
  PROSODY_PREPARE_COMMAND,
  PROSODY_USER,
  PROSODY_VARIABLES,
  WEB_CLIENT_SETTINGS_FILE,
} from "../../image/contract";
import { prosodyPorts } from "./ports";
import { prosodySecretEnvironment } from "./secrets";

/** The timing image/Dockerfile's HEALTHCHECK declares. */
export const PROSODY_HEALTH: HealthCheck = {
  command: PROSODY_HEALTH_COMMAND,
  intervalSeconds: 30,
  timeoutSeconds: 5,
  startSeconds: 20,
  retries: 3,
};

/** How often Prosody's entrypoint looks for a renewed certificate, when one is renewed in place. */
export const RENEWED_CERTIFICATE_WATCH_SECONDS = 60;

export interface ProsodyInputs<T> {
  /** the Prosody image's build (components/image-builds.ts) */
  image: ImageBuild;
  certificate: CertificatePair<T>;
  /** where Prosody reaches PostgreSQL; required when the plan stores in PostgreSQL */
  databaseHost?: string | T;
}

/** Prosody finds a certificate by the names in it: one <domain>.crt/.key pair serves every host. */
export const certificateFileStem = (plan: DeploymentPlan): string => plan.spec.domain;

export function describeProsody<T>(plan: DeploymentPlan, inputs: ProsodyInputs<T>): ContainerDescription<T> {
  const { spec } = plan;
  const certificateFile = (extension: string): string =>
    `${spec.paths.certificates}/${certificateFileStem(plan)}.${extension}`;
  const environment: Record<string, string | T> = { [PROSODY_VARIABLES.healthPort]: String(spec.ports.c2s) };
  if (plan.certificate.source === "renewer") {
    // Issued where the server runs: a temporary pair until the first one, then each renewal taken in place.
    environment[PROSODY_VARIABLES.temporaryCertificate] = plan.certificateNames.join(" ");
    environment[PROSODY_VARIABLES.certificatesFolder] = spec.paths.certificates;
    environment[PROSODY_VARIABLES.certificateWatch] = String(RENEWED_CERTIFICATE_WATCH_SECONDS);
  }
  if (plan.storage.kind === "postgresql") {
    if (inputs.databaseHost === undefined) throw new Error("describeProsody: PostgreSQL storage needs a database host");
    environment[ENV.databaseHost] = inputs.databaseHost;
  }
  return {
    name: "prosody",
    image: inputs.image,
    user: PROSODY_USER,
    environment,
    secretEnvironment: prosodySecretEnvironment(plan),
    files: [
      {
        path: PROSODY_CONFIG_FILE,
        content: renderProsodyConfig(plan),
        mode: "0644",
        secret: false,
        inlineVariable: PROSODY_VARIABLES.configText,
      },
      ...(plan.webClient
        ? [
            {
              path: WEB_CLIENT_SETTINGS_FILE,
              content: renderWebClientSettings(plan),
              mode: "0644" as const,
              secret: false,
              inlineVariable: PROSODY_VARIABLES.webClientSettings,
            },
          ]
        : []),
      {
        path: certificateFile("crt"),
        content: inputs.certificate.chain,
        owner: PROSODY_USER,
        mode: "0644",
        secret: false,
        tls: "certificate",
        inlineVariable: PROSODY_VARIABLES.certificate,
      },
      {
        path: certificateFile("key"),
        content: inputs.certificate.key,
        owner: PROSODY_USER,
        mode: "0600",
        secret: true,
        tls: "key",
        inlineVariable: PROSODY_VARIABLES.key,
      },
    ],
    inlineFilesEnvironment: {
      [PROSODY_VARIABLES.fileStem]: certificateFileStem(plan),
      [PROSODY_VARIABLES.certificatesFolder]: spec.paths.certificates,
    },
    volumes: prosodyVolumes(plan),
    ports: prosodyPorts(plan),
    health: PROSODY_HEALTH,
    preparation: { command: PROSODY_PREPARE_COMMAND },
    // The entrypoint writes the configuration and the certificate where platforms cannot mount them.
    readOnlyRootFilesystem: false,
  };
}

function prosodyVolumes(plan: DeploymentPlan): ContainerVolume[] {
  const { paths } = plan.spec;
  return [
    { name: "data", path: paths.data, holdsData: true },
    // Mounted where http_file_share writes: the upload host's folder inside the data folder.
    ...(plan.uploads?.folder ? [{ name: "uploads" as const, path: plan.uploads.folder, holdsData: true }] : []),
    { name: "certificates", path: paths.certificates, holdsData: false },
  ];
}
