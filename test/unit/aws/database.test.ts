/** aws/database.ts: RDS private, encrypted, backed up, protected by tier, and kept across tier switches. */
import { strict as assert } from "node:assert";
import { byName, runProgram, stackWith } from "../../support/mock-stack";
import { inputs, prod, prodStack } from "./support";

describe("AWS platform: the database", function () {
  this.timeout(60000);
  const stack = prodStack();

  it("keeps the database private, encrypted, backed up, Multi-AZ only when asked, and protected for enterprise", () => {
    const database = inputs<Record<string, unknown>>(stack.run, "prosody-database");
    assert.equal(database.storageEncrypted, true);
    assert.equal(database.publiclyAccessible, false);
    assert.equal(database.backupRetentionPeriod, 7);
    assert.equal(database.multiAz, false);
    assert.equal(database.deletionProtection, true);
    assert.equal(database.skipFinalSnapshot, false);
    assert.equal(database.finalSnapshotIdentifier, "prosody-prod-final-snapshot");
    assert.equal(database.engine, "postgres");
    assert.equal(database.dbName, stack.plan.spec.database.name);
    assert.equal(database.username, stack.plan.spec.database.user);
    assert.equal(byName(stack.run, "prosody-database").protect, true);
    assert.equal(byName(stack.run, "prosody-database").inputs.password, "[secret]");
    assert.deepEqual(inputs<{ subnetIds: string[] }>(stack.run, "prosody-database-subnets").subnetIds, [
      "prosody-private-1-id",
      "prosody-private-2-id",
    ]);
  });
});

describe("AWS platform: the database when the stack changes", function () {
  this.timeout(60000);

  it("keeps the database and the bucket (same URNs, still protected) when the tier changes", async () => {
    const enterprise = await runProgram(prod, "prod");
    const community = await runProgram(stackWith("prod", { "prosody:tier": "community" }), "prod");
    for (const name of ["prosody-database", "prosody-uploads"]) {
      assert.equal(byName(community, name).urn, byName(enterprise, name).urn);
      assert.equal(byName(community, name).protect, true);
    }
    const database = byName(community, "prosody-database").clearInputs;
    assert.equal(database.deletionProtection, false, "community: no deletion protection");
    assert.equal(database.skipFinalSnapshot, false, "community: still a final snapshot");
  });

  it("lets the database go (no protection, no deletion protection) once protectData is false", async () => {
    const run = await runProgram(stackWith("prod", { "prosody:protectData": false }), "prod");
    assert.equal(byName(run, "prosody-database").protect, false);
    assert.equal(byName(run, "prosody-uploads").protect, false);
    assert.equal(byName(run, "prosody-database").clearInputs.deletionProtection, false);
    assert.equal(byName(run, "prosody-database").clearInputs.skipFinalSnapshot, false, "the last snapshot stays");
  });
});
