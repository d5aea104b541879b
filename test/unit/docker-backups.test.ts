/**
 * Backups on the Docker platform under Pulumi's mocks: the runner next to
 * Prosody keeping its own schedule, the stack's backup key, the backups
 * volume, secrets only as secrets, and the refusals of a destination it
 * cannot reach.
 */
import { strict as assert } from "node:assert";
import { ProsodyStack } from "../../components/prosody-stack";
import {
  byName,
  describeResources,
  devWith,
  envsByName,
  expectResourceError,
  runProgram,
  type TestedResource,
  type TestedRun,
} from "../support/mock-stack";

const KEYS = {
  "prosody:backupS3AccessKeyId": "given-backup-access-key",
  "prosody:backupS3SecretAccessKey": "given-backup-secret-key-0123",
};
const onVolume = devWith({ "prosody:backup": { enabled: true, schedule: "0 */6 * * *", keep: 7 } });
const toS3 = devWith(
  {
    "prosody:tier": "enterprise",
    "prosody:storage": "postgresql",
    "prosody:backup": {
      enabled: true,
      destination: "s3",
      s3: { bucket: "chat-backups", endpoint: "https://s3.example.net", forcePathStyle: true },
    },
    ...KEYS,
  },
  Object.keys(KEYS),
);

interface ContainerInputs {
  envs: string[];
  ports?: unknown[];
  restart: string;
  volumes?: { volumeName: string; containerPath: string }[];
  healthcheck: { tests: string[]; interval: string };
}
const clear = (resource: TestedResource) => resource.clearInputs as unknown as ContainerInputs;
const env = (resource: TestedResource): Map<string, string> => envsByName(clear(resource).envs);

describe("Docker platform: backups", function () {
  this.timeout(60000);
  let volumeRun: TestedRun;
  let s3Run: TestedRun;
  before(async () => {
    volumeRun = await runProgram(onVolume);
    s3Run = await runProgram(toS3);
  });

  it("adds the runner, its image, the stack's backup key and a protected backups volume", () => {
    const names = describeResources(volumeRun);
    for (const name of [
      "docker:index/container:Container prosody-backup",
      "docker-build:index:Image prosody-backup-image",
      "docker:index/volume:Volume prosody-backups",
      "tls:index/privateKey:PrivateKey prosody-backup-key",
    ]) {
      assert.ok(names.includes(name), `${name} missing from\n${names.join("\n")}`);
    }
    assert.equal(byName(volumeRun, "prosody-backups").protect, true);
    assert.deepEqual(byName(volumeRun, "prosody-backup-key").inputs, { algorithm: "ED25519" });
    const image = byName(volumeRun, "prosody-backup-image").inputs as { tags: string[]; context: { location: string } };
    assert.match(image.tags[0] ?? "", /^prosody-stack\/prosody-backup:backup-2026w50-[0-9a-f]{12}$/);
    assert.equal(image.context.location, "backup");
  });

  it("runs the runner on the schedule with the data, uploads and backups volumes, no port and no secret", () => {
    const backup = byName(volumeRun, "prosody-backup");
    const settings = env(backup);
    assert.equal(settings.get("BACKUP_SCHEDULE"), "0 */6 * * *");
    assert.equal(settings.get("BACKUP_KEEP"), "7");
    assert.equal(settings.get("BACKUP_DATABASE"), "sqlite");
    assert.equal(settings.get("BACKUP_FOLDER"), "/var/backups/prosody");
    assert.match(settings.get("BACKUP_RECIPIENTS") ?? "", /^ssh-ed25519 AAAA\S+$/);
    assert.deepEqual(
      clear(backup).volumes?.map((volume) => [volume.volumeName, volume.containerPath]),
      [
        ["prosody-dev-data", "/var/lib/prosody"],
        ["prosody-dev-uploads", "/var/lib/prosody/share%2elocalhost/http_file_share"],
        ["prosody-dev-backups", "/var/backups/prosody"],
      ],
      "the same volumes Prosody keeps its data in",
    );
    assert.deepEqual(clear(backup).ports ?? [], []);
    assert.equal(clear(backup).restart, "unless-stopped");
    assert.deepEqual(clear(backup).healthcheck.tests, ["CMD", "node", "/opt/prosody-backup/backup.js", "--health"]);
    assert.deepEqual(backup.secretValues, [], "SQLite to a volume needs no secret");
  });

  it("names where backups go and how to read them, the key a secret output", () => {
    assert.equal(volumeRun.outputs.backupDestination, "volume prosody-dev-backups");
    assert.match(String(volumeRun.outputs.backupRecipient), /^ssh-ed25519 /);
    assert.equal(volumeRun.outputs.backupIdentity, "[secret]");
  });

  it("hands PostgreSQL's password and the bucket's keys over as secrets only, on the private network", () => {
    const backup = byName(s3Run, "prosody-backup");
    const settings = env(backup);
    assert.equal(settings.get("PGHOST"), "postgres", "the PostgreSQL container's network alias");
    assert.equal(settings.get("BACKUP_BUCKET"), "chat-backups");
    assert.equal(settings.get("BACKUP_S3_ENDPOINT"), "https://s3.example.net");
    assert.equal(settings.get("BACKUP_S3_FORCE_PATH_STYLE"), "true");
    assert.equal(settings.get("AWS_ACCESS_KEY_ID"), KEYS["prosody:backupS3AccessKeyId"]);
    assert.ok(backup.secretValues.some((value) => value.startsWith("PGPASSWORD=")));
    assert.ok(backup.secretValues.includes(`AWS_SECRET_ACCESS_KEY=${KEYS["prosody:backupS3SecretAccessKey"]}`));
    const plain = JSON.stringify(backup.inputs);
    for (const secret of Object.values(KEYS)) assert.ok(!plain.includes(secret), "a key in a plain input");
    assert.ok(!describeResources(s3Run).some((name) => name.endsWith("prosody-backups")), "no backups volume");
    assert.equal(s3Run.outputs.backupDestination, "s3://chat-backups");
    assert.deepEqual(
      clear(backup).volumes?.map((volume) => volume.volumeName),
      ["prosody-dev-uploads"],
      "the uploads volume only: PostgreSQL is reached over the network",
    );
  });

  it("refuses a destination it cannot reach, naming the field and the fix", async () => {
    const noBucket = await expectResourceError(
      () => new ProsodyStack("chat", { domain: "localhost", backup: { enabled: true, destination: "s3" } }),
    );
    assert.match(
      noBucket,
      /backup\.s3\.bucket: backups go to S3, and the Docker platform makes no bucket\. Fix: name a bucket/,
    );
    const noKeys = await expectResourceError(
      () =>
        new ProsodyStack("chat", {
          domain: "localhost",
          backup: { enabled: true, destination: "s3", s3: { bucket: "chat-backups" } },
        }),
    );
    assert.match(noKeys, /secrets\.backupS3AccessKeyId: backup\.s3 names a bucket whose keys only its owner can issue/);
    assert.match(noKeys, /secrets\.backupS3SecretAccessKey/);
  });

  it("keeps the backups volume's URN and inputs across a tier switch", async () => {
    const enterprise = await runProgram(
      devWith({ "prosody:tier": "enterprise", "prosody:backup": { enabled: true, schedule: "0 */6 * * *", keep: 7 } }),
    );
    const before = byName(volumeRun, "prosody-backups");
    const after = byName(enterprise, "prosody-backups");
    assert.equal(after.urn, before.urn);
    assert.deepEqual(after.inputs, before.inputs);
  });
});
