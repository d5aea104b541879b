/**
 * No secret in any of our images: every layer of the Prosody, upload-gateway
 * and backup runner images (pushed to an OCI layout, each layer's tarball read in full, so a file
 * a later layer deletes still counts) holds no private key, and the images'
 * configuration and history carry no secret-looking variable.
 */
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { recordFigure } from "../support/figures";
import { BACKUP_IMAGE, GATEWAY_IMAGE } from "./harness/docker-replay";
import { IMAGE, STORAGE } from "./harness/prosody";

/** What a private key or a credential looks like in a file. */
const SECRET_CONTENT = "PRIVATE KEY-----";
/** Variables whose value would be a secret, in the image's Env or a build step's arguments. */
const SECRET_VARIABLE = /(PASSWORD|SECRET|TOKEN|ACCESS_KEY|PRIVATE)[A-Z_]*=\S/i;

interface OciManifest {
  layers: { digest: string }[];
}

/** The files of every layer that contain a private key, as "layer-number:path". */
function keysInLayers(image: string): { layers: number; found: string[] } {
  const folder = mkdtempSync(join(tmpdir(), "image-layers-"));
  try {
    execFileSync("buildah", [...STORAGE, "push", "--quiet", image, `oci:${folder}`], { stdio: "pipe" });
    const index = JSON.parse(readFileSync(join(folder, "index.json"), "utf8")) as {
      manifests: { digest: string }[];
    };
    const blob = (digest: string) => join(folder, "blobs", ...digest.split(":"));
    const manifest = JSON.parse(readFileSync(blob(index.manifests[0]?.digest ?? ""), "utf8")) as OciManifest;
    const found: string[] = [];
    manifest.layers.forEach((layer, number) => {
      // tar --to-command runs grep on each member; it prints the member's name when the key text is in it.
      const out = execFileSync(
        "tar",
        [
          "-xaf",
          blob(layer.digest),
          "--to-command",
          `grep -qaF -- '${SECRET_CONTENT}' && echo "$TAR_FILENAME" || true`,
        ],
        { encoding: "utf8", maxBuffer: 1 << 26 },
      );
      for (const path of out.split("\n").filter(Boolean)) found.push(`${number}:${path}`);
    });
    return { layers: manifest.layers.length, found };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

function secretLookingConfig(image: string): string[] {
  const config = JSON.parse(
    execFileSync("buildah", [...STORAGE, "inspect", "--type", "image", image], { encoding: "utf8" }),
  );
  const env = (config.Docker?.config?.Env ?? []) as string[];
  const history = ((config.Docker?.history ?? []) as { created_by?: string }[]).map((step) => step.created_by ?? "");
  return [...env, ...history].filter((line) => SECRET_VARIABLE.test(line) || line.includes(SECRET_CONTENT));
}

describe("no secret in our images", function () {
  this.timeout(600_000);
  const figures: Record<string, string> = {};

  after(() => {
    if (Object.keys(figures).length !== 3) return;
    recordFigure("image-secrets", {
      title: "Secrets in the images",
      done: "Each of our three images is pushed to an OCI layout with buildah and every file of every layer is searched for a private key; the images' environment and build history are searched for secret-looking variables.",
      test: __filename,
      figures,
    });
  });

  for (const [name, image] of [
    ["Prosody", IMAGE],
    ["upload gateway", GATEWAY_IMAGE.name],
    ["backup runner", BACKUP_IMAGE.name],
  ] as const) {
    it(`${name}: no private key in any layer, no secret in its configuration`, () => {
      const { layers, found } = keysInLayers(image);
      const config = secretLookingConfig(image);
      figures[`${name} image`] = `${found.length} private keys in ${layers} layers; ${config.length} secret variables`;
      assert.deepEqual(found, [], `private keys in the ${name} image's layers`);
      assert.deepEqual(config, []);
    });
  }
});
