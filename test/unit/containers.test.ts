/**
 * The container descriptions (src/containers/): what every platform gets for
 * our two containers, checked against the images they run and the programs
 * that read them, with no Pulumi involved.
 */
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { readBackupConfig } from "../../backup/src/config";
import { readGatewayConfig } from "../../gateway/src/config";
import { BACKUP_HEALTH, describeBackup } from "../../src/containers/backup";
import type { ContainerDescription, HealthCheck } from "../../src/containers/description";
import { describeGateway, GATEWAY_HEALTH } from "../../src/containers/gateway";
import { PROSODY_USER } from "../../image/contract";
import { GATEWAY_CONTAINER_PORT, publicPorts } from "../../src/containers/ports";
import { describeProsody, PROSODY_HEALTH } from "../../src/containers/prosody";
import { neededSecrets } from "../../src/containers/secrets";
import { planDeployment } from "../../src/plan";
import { renderProsodyConfig } from "../../src/render/prosody-config";
import { type DeploymentSpecInput, parseDeploymentSpec } from "../../src/schema";

const ROOT = join(__dirname, "..", "..");
const plan = (input: DeploymentSpecInput) => planDeployment(parseDeploymentSpec(input));
const certificate = { chain: "-----BEGIN CERTIFICATE-----\nchain\n", key: "-----BEGIN PRIVATE KEY-----\nkey\n" };
/** A build stands in for the image's: describing a container reads no file (components/image-builds.ts does). */
const image = { context: "image", buildArgs: {}, reference: "prosody-stack/prosody:test" };

/** The HEALTHCHECK line of one of our Dockerfiles, as a HealthCheck. */
function dockerfileHealth(folder: string): HealthCheck {
  const line = readFileSync(join(ROOT, folder, "Dockerfile"), "utf8")
    .split("\n")
    .find((entry) => entry.startsWith("HEALTHCHECK"));
  assert.ok(line, `${folder}/Dockerfile has no HEALTHCHECK`);
  const option = (name: string, fallback: string) => line.match(new RegExp(`--${name}=(\\d+)`))?.[1] ?? fallback;
  return {
    command: JSON.parse(line.slice(line.indexOf("CMD") + 3).trim()) as string[],
    intervalSeconds: Number(option("interval", "30")),
    timeoutSeconds: Number(option("timeout", "30")),
    startSeconds: Number(option("start-period", "0")),
    retries: Number(option("retries", "3")),
  };
}

describe("container descriptions", () => {
  const s3 = plan({
    domain: "chat.example.org",
    storage: "postgresql",
    uploads: "s3",
    turn: { host: "turn.example.org" },
    upload: { s3: { endpoint: "http://s3.internal:9000", forcePathStyle: true, bucket: "chat-files" } },
  });

  it("health checks every platform runs are the ones our images declare", () => {
    assert.deepEqual(PROSODY_HEALTH, dockerfileHealth("image"));
    assert.deepEqual(GATEWAY_HEALTH, dockerfileHealth("gateway"));
    assert.deepEqual(BACKUP_HEALTH, dockerfileHealth("backup"));
  });

  it("gives Prosody its rendered config, its certificate pair (the key its own and 0600) and secrets only by name", () => {
    const prosody = describeProsody(s3, { image, certificate, databaseHost: "db.internal" });
    const [config, chain, key] = prosody.files;
    assert.equal(config?.content, renderProsodyConfig(s3));
    assert.equal(chain?.content, certificate.chain);
    assert.deepEqual([key?.content, key?.secret, key?.mode, key?.owner], [certificate.key, true, "0600", PROSODY_USER]);
    assert.deepEqual(prosody.environment, { PROSODY_HEALTH_PORT: "5222", PROSODY_DB_HOST: "db.internal" });
    assert.deepEqual(prosody.secretEnvironment, {
      PROSODY_DB_PASSWORD: "databasePassword",
      PROSODY_UPLOAD_SECRET: "uploadSecret",
      PROSODY_TURN_SECRET: "turnSecret",
    });
    // Every variable the rendered config reads is handed over, plainly or as a secret.
    for (const [, variable] of renderProsodyConfig(s3).matchAll(/ENV_([A-Z_]+)/g)) {
      assert.ok(variable! in prosody.environment || variable! in prosody.secretEnvironment, `${variable} is not given`);
    }
  });

  it("mounts Prosody's data and upload folders as data volumes, its certificates as a plain one", () => {
    const volumes = (input: DeploymentSpecInput) =>
      describeProsody(plan(input), { image, certificate }).volumes.map((volume) => [volume.name, volume.holdsData]);
    assert.deepEqual(volumes({ domain: "localhost" }), [
      ["data", true],
      ["uploads", true],
      ["certificates", false],
    ]);
    assert.deepEqual(volumes({ domain: "localhost", uploads: "s3", docker: { minio: true } }), [
      ["data", true],
      ["certificates", false],
    ]);
  });

  it("configures the gateway so that the gateway itself accepts every setting", () => {
    const gateway: ContainerDescription = describeGateway(s3, {
      image,
      certificate,
      bucket: { name: "chat-files", region: "eu-central-1", endpoint: "http://s3.internal:9000" },
    });
    const files = new Map(gateway.files.map((file) => [file.path, Buffer.from(String(file.content))]));
    const environment: NodeJS.ProcessEnv = {
      ...gateway.environment,
      ...Object.fromEntries(
        gateway.files.flatMap((file) => (file.pathVariable ? [[file.pathVariable, file.path]] : [])),
      ),
      ...Object.fromEntries(
        Object.keys(gateway.secretEnvironment).map((variable) => [variable, `${variable}-value-0123`]),
      ),
    };
    const config = readGatewayConfig(environment, (path) => files.get(path) ?? assert.fail(`no file ${path}`));
    assert.equal(config.bucket, "chat-files");
    assert.equal(config.endpoint, "http://s3.internal:9000");
    assert.equal(config.forcePathStyle, true);
    assert.equal(config.port, GATEWAY_CONTAINER_PORT);
    assert.equal(config.createBucket, false);
    assert.equal(config.tls?.key.toString(), certificate.key.trimEnd());
    assert.deepEqual(Object.values(gateway.secretEnvironment), ["uploadSecret", "s3AccessKeyId", "s3SecretAccessKey"]);
  });

  it("needs exactly the secrets some container reads, generating S3 keys only for the stack's own server", () => {
    assert.deepEqual(
      [...neededSecrets(s3)],
      [
        ["databasePassword", { generate: true }],
        ["uploadSecret", { generate: true }],
        ["turnSecret", { generate: true }],
        ["s3AccessKeyId", { generate: false }],
        ["s3SecretAccessKey", { generate: false }],
      ],
    );
    const minio = plan({ domain: "localhost", uploads: "s3", docker: { minio: true } });
    assert.deepEqual(neededSecrets(minio).get("s3AccessKeyId"), { generate: true });
    // Every stack keeps a database password: the storage step reads an old PostgreSQL with it after a switch to SQLite.
    assert.deepEqual([...neededSecrets(plan({ domain: "localhost" })).keys()], ["databasePassword"]);
  });

  it("configures the backup runner so that the runner itself accepts every setting, secrets only by name", () => {
    const recipients = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKvh3k9RVxwg7RjJZb1zZ6rV0mYm0HjFf7w1s4wHq1xQ";
    const sqlite = plan({ domain: "chat.example.org", backup: { enabled: true, schedule: "0 */6 * * *", keep: 5 } });
    const onVolume = describeBackup(sqlite, { image, recipients });
    const settings = readBackupConfig({
      ...onVolume.environment,
      ...Object.fromEntries(Object.keys(onVolume.secretEnvironment).map((variable) => [variable, "secret-value"])),
    });
    assert.deepEqual(settings.database, { kind: "sqlite", file: "/var/lib/prosody/prosody.sqlite" });
    assert.equal(settings.uploads, "/var/lib/prosody/share%2echat%2eexample%2eorg/http_file_share");
    assert.deepEqual(settings.destination, { kind: "folder", path: "/var/backups/prosody" });
    assert.equal(settings.schedule, "0 */6 * * *");
    assert.equal(settings.keep, 5);
    assert.deepEqual(settings.recipients, [recipients]);
    assert.deepEqual(
      onVolume.volumes.map((volume) => [volume.name, volume.path]),
      [
        ["data", "/var/lib/prosody"],
        ["uploads", "/var/lib/prosody/share%2echat%2eexample%2eorg/http_file_share"],
        ["backups", "/var/backups/prosody"],
      ],
    );
    assert.deepEqual(onVolume.secretEnvironment, {}, "SQLite to a volume needs no secret");
    assert.deepEqual(onVolume.schedule, { cron: "0 */6 * * *", arguments: ["once"] });

    const postgres = plan({
      domain: "chat.example.org",
      storage: "postgresql",
      uploads: "s3",
      upload: { s3: { endpoint: "http://s3.internal:9000", bucket: "chat-files" } },
      backup: { enabled: true, destination: "s3", s3: { bucket: "chat-backups", endpoint: "http://s3.internal:9000" } },
    });
    const toS3 = describeBackup(postgres, {
      image,
      recipients,
      databaseHost: "db.internal",
      bucket: { name: "chat-backups", region: "us-east-1" },
    });
    const secret = Object.fromEntries(Object.keys(toS3.secretEnvironment).map((variable) => [variable, "secret"]));
    const fromS3 = readBackupConfig({ ...toS3.environment, ...secret });
    assert.deepEqual(fromS3.destination, {
      kind: "s3",
      bucket: "chat-backups",
      region: "us-east-1",
      endpoint: "http://s3.internal:9000",
      forcePathStyle: false,
    });
    assert.equal(fromS3.uploads, undefined, "uploads in S3 are the bucket's to keep");
    assert.deepEqual(toS3.volumes, [], "nothing to mount: the database is reached, the backups go to S3");
    assert.deepEqual(toS3.secretEnvironment, {
      PGPASSWORD: "databasePassword",
      AWS_ACCESS_KEY_ID: "backupS3AccessKeyId",
      AWS_SECRET_ACCESS_KEY: "backupS3SecretAccessKey",
    });
    assert.equal(toS3.environment.PGHOST, "db.internal");
  });

  it("publishes every public listener and the gateway's public port, never the private HTTP port", () => {
    const ports = publicPorts(s3);
    assert.deepEqual(
      ports.map((port) => [port.container, port.port, port.publicPort]),
      [
        ["prosody", 5222, 5222],
        ["prosody", 5223, 5223],
        ["prosody", 5269, 5269],
        ["prosody", 5281, 5281],
        ["upload-gateway", GATEWAY_CONTAINER_PORT, 443],
      ],
    );
    assert.ok(!ports.some((port) => port.port === s3.spec.ports.http));
  });
});
