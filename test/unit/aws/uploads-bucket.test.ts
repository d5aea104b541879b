/** aws/uploads-bucket.ts: the uploads bucket, private, encrypted, TLS only, emptied by the plan's rule; or yours. */
import { strict as assert } from "node:assert";
import { byName, runProgram, stackWith } from "../../support/mock-stack";
import { inputs, type PolicyStatement, prodStack, statements } from "./support";

describe("AWS platform: the uploads bucket", function () {
  this.timeout(60000);
  const stack = prodStack();

  it("blocks every public access to the bucket, encrypts it, refuses plain HTTP and expires uploads", () => {
    assert.equal(byName(stack.run, "prosody-uploads").protect, true);
    assert.deepEqual(inputs<Record<string, unknown>>(stack.run, "prosody-uploads-public-access"), {
      bucket: "prosody-uploads-id",
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    const encryption = inputs<{ rules: { applyServerSideEncryptionByDefault: { sseAlgorithm: string } }[] }>(
      stack.run,
      "prosody-uploads-encryption",
    );
    assert.equal(encryption.rules[0]?.applyServerSideEncryptionByDefault.sseAlgorithm, "AES256");
    const [tlsOnly] = statements(stack.run, "prosody-uploads-policy") as (PolicyStatement & { Condition: unknown })[];
    assert.equal(tlsOnly?.Effect, "Deny");
    assert.deepEqual(tlsOnly?.Condition, { Bool: { "aws:SecureTransport": "false" } });
    const arn = "arn:aws:s3:eu-central-1:123456789012:prosody-uploads";
    assert.deepEqual(tlsOnly?.Resource, [arn, `${arn}/*`]);
    const expiry = inputs<{ rules: { expiration: { days: number } }[] }>(stack.run, "prosody-uploads-expiry");
    assert.equal(expiry.rules[0]?.expiration.days, stack.plan.uploads?.bucket?.expiryDays);
    assert.equal(expiry.rules[0]?.expiration.days, 7);
  });
});

describe("AWS platform: a bucket of yours", function () {
  this.timeout(60000);

  it("uses buckets of yours by name, scoping the gateway's and the backup task's roles to them, and creates none", async () => {
    const run = await runProgram(
      stackWith("prod", {
        "prosody:upload": { s3: { bucket: "acme-chat-files" } },
        "prosody:backup": { enabled: true, s3: { bucket: "acme-chat-backups" } },
      }),
      "prod",
    );
    assert.ok(!run.resources.some((resource) => resource.type.startsWith("aws:s3/")));
    const policy = JSON.parse(String(byName(run, "prosody-gateway-task-role-policy").clearInputs.policy));
    assert.deepEqual(policy.Statement[0].Resource, "arn:aws:s3:::acme-chat-files/*");
    assert.equal(run.outputs.uploadBucket, "acme-chat-files");
    const backup = JSON.parse(String(byName(run, "prosody-backup-task-role-policy").clearInputs.policy));
    assert.deepEqual(backup.Statement[0].Resource, "arn:aws:s3:::acme-chat-backups/*");
    assert.equal(run.outputs.backupDestination, "s3://acme-chat-backups");
  });
});
