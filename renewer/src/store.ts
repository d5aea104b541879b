/**
 * Where the renewed pair goes, and where the renewer reads back what is served:
 *   folders     files that Prosody and the upload gateway mount (Docker volumes): written under
 *               a temporary name and renamed, so a reader never sees half a pair, each folder's
 *               copy owned by the program that reads it (the key 0600); Prosody and the gateway
 *               notice the change and load the new pair without a restart.
 *   aws-secret  the TLS secret the ECS tasks read at start (Secrets Manager), then a new
 *               deployment of each service that serves it: ECS stops the old task first, and
 *               clients reconnect to the new one in seconds.
 */
import { chownSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { IssuedPair } from "./certbot";
import type { Store } from "./config";
import { RENEWER_SECRET_KEYS } from "./contract";

export interface PairStore {
  /** where the pair is, for the log */
  where: string;
  /** the chain served now; undefined when there is none yet */
  served(): Promise<string | undefined>;
  publish(pair: IssuedPair): Promise<void>;
}

function writeOwned(path: string, content: string, mode: number, uid: number, gid: number): void {
  const temporary = join(path, "..", `.${path.split("/").pop() ?? "pair"}.new`);
  writeFileSync(temporary, content, { mode });
  chownSync(temporary, uid, gid);
  renameSync(temporary, path);
}

function folderStore(store: Extract<Store, { kind: "folders" }>): PairStore {
  const file = (folder: { path: string; name: string }, extension: string) =>
    join(folder.path, `${folder.name}.${extension}`);
  const [first] = store.folders;
  return {
    where: store.folders.map((folder) => folder.path).join(", "),
    async served() {
      try {
        return first ? readFileSync(file(first, "crt"), "utf8") : undefined;
      } catch {
        return undefined;
      }
    },
    async publish(pair) {
      for (const folder of store.folders) {
        mkdirSync(folder.path, { recursive: true });
        // The key first: a reader that sees the new certificate finds its key beside it.
        writeOwned(file(folder, "key"), pair.key, 0o600, folder.uid, folder.gid);
        writeOwned(file(folder, "crt"), pair.chain, 0o644, folder.uid, folder.gid);
      }
    },
  };
}

function secretStore(store: Extract<Store, { kind: "aws-secret" }>): PairStore {
  // Loaded only for this store: the Docker renewer never needs the AWS SDK.
  const secrets = async () => {
    const sdk = await import("@aws-sdk/client-secrets-manager");
    return { sdk, client: new sdk.SecretsManagerClient({}) };
  };
  return {
    where: store.secretId,
    async served() {
      const { sdk, client } = await secrets();
      const found = await client.send(new sdk.GetSecretValueCommand({ SecretId: store.secretId }));
      try {
        const value = JSON.parse(found.SecretString ?? "{}") as Record<string, unknown>;
        const chain = value[RENEWER_SECRET_KEYS.certificate];
        return typeof chain === "string" && chain !== "" ? chain : undefined;
      } catch {
        return undefined;
      }
    },
    async publish(pair) {
      const { sdk, client } = await secrets();
      await client.send(
        new sdk.PutSecretValueCommand({
          SecretId: store.secretId,
          SecretString: JSON.stringify({
            [RENEWER_SECRET_KEYS.certificate]: pair.chain,
            [RENEWER_SECRET_KEYS.key]: pair.key,
          }),
        }),
      );
      const ecs = await import("@aws-sdk/client-ecs");
      const client2 = new ecs.ECSClient({});
      for (const service of store.services) {
        await client2.send(
          new ecs.UpdateServiceCommand({ cluster: service.cluster, service: service.name, forceNewDeployment: true }),
        );
      }
    },
  };
}

export const pairStore = (store: Store): PairStore =>
  store.kind === "folders" ? folderStore(store) : secretStore(store);
