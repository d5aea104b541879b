/** Everything the certificate renewer's container needs, in the names renewer/src/contract.ts gives its settings. */
import {
  RENEWER_ENTRYPOINT,
  RENEWER_HEALTH_FLAG,
  RENEWER_STATE_PATH,
  RENEWER_VARIABLES as V,
} from "../../renewer/src/contract";
import type { DeploymentPlan } from "../plan/types";
import type { ContainerDescription, ContainerVolume, HealthCheck, ImageBuild } from "./description";
import { renewerSecretEnvironment } from "./secrets";

/** The timing renewer/Dockerfile's HEALTHCHECK declares. */
export const RENEWER_HEALTH: HealthCheck = {
  command: [...RENEWER_ENTRYPOINT, RENEWER_HEALTH_FLAG],
  intervalSeconds: 60,
  timeoutSeconds: 10,
  startSeconds: 30,
  retries: 1,
};

/** A folder of another container's that the pair is written to, through a volume both mount. */
export interface RenewerFolder {
  volume: ContainerVolume["name"];
  /** where the renewer mounts that volume */
  path: string;
  /** who reads the pair there: its files are theirs */
  owner: { uid: number; gid: number };
  /** the pair's file names there, <name>.crt and <name>.key */
  name: string;
}

export interface RenewerInputs<T> {
  /** the renewer image's build (components/image-builds.ts) */
  image: ImageBuild;
  /** where the platform has the pair go: folders the servers mount, or its secret store and the services to restart */
  store:
    | { kind: "folders"; folders: readonly RenewerFolder[] }
    | { kind: "aws-secret"; secretId: string | T; services: string | T };
}

export function describeRenewer<T>(plan: DeploymentPlan, inputs: RenewerInputs<T>): ContainerDescription<T> {
  const renewer = plan.certificate.renewer;
  if (plan.certificate.source !== "renewer" || !renewer) throw new Error("describeRenewer: the plan has no renewer");
  const environment: Record<string, string | T> = {
    [V.domains]: plan.certificateNames.join(" "),
    [V.directory]: renewer.directory,
    [V.dnsProvider]: renewer.dnsProvider,
    [V.renewDaysBefore]: String(renewer.renewDaysBefore),
    [V.store]: inputs.store.kind,
  };
  const volumes: ContainerVolume[] = [{ name: "acme", path: RENEWER_STATE_PATH, holdsData: false }];
  if (inputs.store.kind === "folders") {
    environment[V.folders] = inputs.store.folders
      .map((folder) => `${folder.path}:${folder.owner.uid}:${folder.owner.gid}:${folder.name}`)
      .join(" ");
    for (const folder of inputs.store.folders)
      volumes.push({ name: folder.volume, path: folder.path, holdsData: false });
  } else {
    environment[V.secretId] = inputs.store.secretId;
    environment[V.services] = inputs.store.services;
  }
  return {
    name: "renewer",
    image: inputs.image,
    // Root: it writes each copy of the pair owned by the program that reads it.
    user: { uid: 0, gid: 0 },
    environment,
    secretEnvironment: renewerSecretEnvironment(plan),
    files: [],
    inlineFilesEnvironment: {},
    volumes,
    ports: [],
    health: RENEWER_HEALTH,
    // certbot writes its account and working copies under the state folder, and Python its caches.
    readOnlyRootFilesystem: false,
  };
}
