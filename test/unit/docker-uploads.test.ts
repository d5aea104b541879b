/**
 * Uploads "s3" on the Docker platform under Pulumi's mocks: the upload gateway
 * next to Prosody, against the user's S3-compatible server or a MinIO
 * container, with every key and secret kept secret.
 */
import { strict as assert } from "node:assert";
import type { TestedRun, TestedResource } from "../support/mock-stack";
import { planDeployment } from "../../src/plan";
import { GATEWAY_CONTAINER_PORT } from "../../src/containers/ports";
import { renderArtifacts } from "../../src/render";
import { stackSpec } from "../../src/schema/stack-file";
import { byName, describeResources, devWith, envsByName, runProgram } from "../support/mock-stack";

const KEYS = {
  "prosody:s3AccessKeyId": "given-access-key-id",
  "prosody:s3SecretAccessKey": "given-secret-access-key-0123",
};
const external = devWith(
  {
    "prosody:uploads": "s3",
    "prosody:upload": { s3: { endpoint: "http://s3.internal:9000", bucket: "chat-files", forcePathStyle: true } },
    "prosody:ports": { uploadGateway: 5443 },
    ...KEYS,
  },
  Object.keys(KEYS),
);
const minio = devWith({ "prosody:uploads": "s3", "prosody:docker": { publishAddress: "127.0.0.1", minio: true } });

interface ContainerInputs {
  envs: string[];
  ports: { internal: number; external: number; ip: string }[];
  uploads: { file: string; content: string; owner?: string; group?: string; permissions?: string }[];
  volumes?: { volumeName: string; containerPath: string }[];
}
const clear = (resource: TestedResource) => resource.clearInputs as unknown as ContainerInputs;
const env = (resource: TestedResource): Map<string, string> => envsByName(clear(resource).envs);
const plainEnv = (resource: TestedResource) => JSON.stringify((resource.inputs as { envs?: unknown }).envs);

describe("Docker platform: uploads to S3 through the gateway", function () {
  this.timeout(60000);
  let externalRun: TestedRun;
  let minioRun: TestedRun;
  before(async () => {
    externalRun = await runProgram(external);
    minioRun = await runProgram(minio);
  });

  it("adds the gateway and its image, and no uploads volume, for the user's S3 server", () => {
    const names = describeResources(externalRun);
    assert.ok(names.includes("docker-build:index:Image prosody-gateway-image"));
    assert.ok(names.includes("docker:index/container:Container prosody-upload-gateway"));
    assert.ok(!names.some((name) => name.endsWith("prosody-uploads") || name.includes("minio")), names.join("\n"));
    const image = byName(externalRun, "prosody-gateway-image").inputs as {
      tags: string[];
      context: { location: string };
    };
    assert.match(image.tags[0] ?? "", /^prosody-stack\/prosody-upload-gateway:gateway-2026w50-[0-9a-f]{12}$/);
    assert.equal(image.context.location, "gateway");
  });

  it("configures the gateway as the plan says, publishing its port and keeping keys secret", () => {
    const gateway = byName(externalRun, "prosody-upload-gateway");
    const settings = env(gateway);
    assert.equal(settings.get("S3_BUCKET"), "chat-files");
    assert.equal(settings.get("S3_ENDPOINT"), "http://s3.internal:9000");
    assert.equal(settings.get("S3_FORCE_PATH_STYLE"), "true");
    // Inside its container the gateway listens on the unprivileged port; Docker publishes ports.uploadGateway to it.
    assert.equal(settings.get("GATEWAY_PORT"), String(GATEWAY_CONTAINER_PORT));
    assert.equal(settings.get("GATEWAY_DOWNLOAD_MODE"), "redirect");
    assert.equal(
      settings.get("GATEWAY_CREATE_BUCKET"),
      undefined,
      "only a bucket on the stack's own server is created",
    );
    assert.equal(settings.get("AWS_ACCESS_KEY_ID"), KEYS["prosody:s3AccessKeyId"]);
    assert.equal(settings.get("AWS_SECRET_ACCESS_KEY"), KEYS["prosody:s3SecretAccessKey"]);
    const prosody = byName(externalRun, "prosody-server");
    assert.equal(
      settings.get("GATEWAY_SECRET"),
      env(prosody).get("PROSODY_UPLOAD_SECRET"),
      "one upload secret for both",
    );
    assert.match(settings.get("GATEWAY_SECRET") ?? "", /^.{32}$/);
    for (const secret of [settings.get("GATEWAY_SECRET"), ...Object.values(KEYS)]) {
      assert.ok(!plainEnv(gateway).includes(secret ?? "?"), "a secret is in the gateway's plain env");
      assert.ok(!plainEnv(prosody).includes(secret ?? "?"), "a secret is in Prosody's plain env");
    }
    assert.ok(!env(prosody).has("AWS_SECRET_ACCESS_KEY"), "Prosody never gets the S3 keys");
    assert.deepEqual(
      clear(gateway).ports.map(({ internal, external, ip }) => [internal, external, ip]),
      [[GATEWAY_CONTAINER_PORT, 5443, "127.0.0.1"]],
    );
    const key = clear(gateway).uploads.find((upload) => upload.file === "/etc/upload-gateway/tls.key");
    assert.deepEqual([key?.owner, key?.group, key?.permissions], ["10001", "10001", "0600"]);
    assert.match(key?.content ?? "", /BEGIN PRIVATE KEY/);
  });

  it("points Prosody's http_file_share at the gateway, with no upload folder of its own", () => {
    const plan = planDeployment(stackSpec(external));
    const config = renderArtifacts(plan)["prosody.cfg.lua"] ?? "";
    assert.match(config, /http_file_share_base_url = "https:\/\/share\.localhost:5443\/"/);
    assert.match(config, /http_file_share_secret = os\.getenv\("PROSODY_UPLOAD_SECRET"\)|ENV_PROSODY_UPLOAD_SECRET/);
    const prosody = clear(byName(externalRun, "prosody-server"));
    assert.ok(!(prosody.volumes ?? []).some((volume) => volume.containerPath.includes("http_file_share")));
    assert.equal(externalRun.outputs.uploadUrl, "https://share.localhost:5443/");
  });

  it("runs MinIO on a protected uploads volume with generated keys, and streams downloads", () => {
    const names = describeResources(minioRun);
    for (const expected of [
      "docker:index/container:Container prosody-minio",
      "docker:index/remoteImage:RemoteImage prosody-minio-image",
      "docker:index/volume:Volume prosody-uploads",
      "random:index/randomPassword:RandomPassword prosody-s3-access-key",
      "random:index/randomPassword:RandomPassword prosody-s3-secret-key",
    ]) {
      assert.ok(names.includes(expected), `missing ${expected}`);
    }
    assert.equal(byName(minioRun, "prosody-uploads").protect, true);
    const store = byName(minioRun, "prosody-minio");
    assert.deepEqual(clear(store).ports ?? [], [], "MinIO stays on the private network");
    const settings = env(byName(minioRun, "prosody-upload-gateway"));
    assert.equal(settings.get("S3_ENDPOINT"), "http://minio:9000");
    assert.equal(settings.get("S3_BUCKET"), "prosody-uploads");
    assert.equal(settings.get("GATEWAY_DOWNLOAD_MODE"), "stream");
    assert.equal(settings.get("GATEWAY_CREATE_BUCKET"), "true");
    assert.equal(settings.get("GATEWAY_BUCKET_EXPIRY_DAYS"), "7");
    assert.equal(env(store).get("MINIO_ROOT_USER"), settings.get("AWS_ACCESS_KEY_ID"));
    assert.equal(env(store).get("MINIO_ROOT_PASSWORD"), settings.get("AWS_SECRET_ACCESS_KEY"));
    assert.ok(!plainEnv(store).includes(settings.get("AWS_SECRET_ACCESS_KEY") ?? "?"));
    assert.ok(byName(minioRun, "prosody-upload-gateway").dependsOn.some((urn) => urn.endsWith("prosody-minio")));
  });

  it("keeps the uploads volume's URN and inputs when the tier changes", async () => {
    const enterprise = await runProgram(devWith({ ...minio.values, "prosody:tier": "enterprise" }));
    const volume = (run: TestedRun) => byName(run, "prosody-uploads");
    assert.equal(volume(enterprise).urn, volume(minioRun).urn);
    assert.deepEqual(volume(enterprise).inputs, volume(minioRun).inputs);
  });
});
