/** aws/roles.ts and aws/secret-store.ts: least privilege, and every secret through ECS secrets. */
import { strict as assert } from "node:assert";
import { renderArtifacts } from "../../../src/render";
import { byName } from "../../support/mock-stack";
import { arnOf, container, inputs, list, prodStack, statements } from "./support";

describe("AWS platform: IAM and secrets", function () {
  this.timeout(60000);
  const stack = prodStack();

  it("scopes IAM: the gateway may use objects in its bucket only, each execution role reads its own secrets only", () => {
    const bucketArn = "arn:aws:s3:eu-central-1:123456789012:prosody-uploads";
    const gateway = statements(stack.run, "prosody-gateway-task-role-policy");
    assert.deepEqual(
      gateway.map((statement) => [list(statement.Action), list(statement.Resource)]),
      [
        [["s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload"], [`${bucketArn}/*`]],
        [["s3:ListBucket"], [bucketArn]],
      ],
    );
    assert.ok(gateway.every((statement) => statement.Effect === "Allow"));
    const taskDefinition = (name: string) => inputs<{ taskRoleArn?: string }>(stack.run, name);
    assert.equal(taskDefinition("prosody-server-task").taskRoleArn, undefined, "Prosody needs no AWS permission");

    const readable = (policy: string) =>
      list(statements(stack.run, policy).find((statement) => statement.Sid === "ReadSecrets")?.Resource ?? []);
    assert.deepEqual(readable("prosody-server-execution-role-policy"), [
      arnOf("prosody-database-password-secret"),
      arnOf("prosody-upload-secret-secret"),
      arnOf("prosody-admin-accounts-secret"),
      arnOf("prosody-tls-secret"),
    ]);
    assert.deepEqual(readable("prosody-gateway-execution-role-policy"), [
      arnOf("prosody-upload-secret-secret"),
      arnOf("prosody-tls-secret"),
    ]);
    for (const [policy, repository] of [
      ["prosody-server-execution-role-policy", "prosody-image-repository"],
      ["prosody-gateway-execution-role-policy", "prosody-gateway-image-repository"],
    ] as const) {
      const all = statements(stack.run, policy);
      const wildcard = all.filter((statement) => list(statement.Resource).includes("*"));
      assert.deepEqual(
        wildcard.map((statement) => statement.Action),
        ["ecr:GetAuthorizationToken"],
        "only the token ECR cannot scope may name every resource",
      );
      const pull = all.find((statement) => statement.Sid === "PullImage");
      assert.deepEqual(list(pull?.Resource ?? []), [`arn:aws:ecr:eu-central-1:123456789012:${repository}`]);
    }
  });

  it("hands every secret over through ECS secrets pinned to their version, never through plain environment", () => {
    const secretValues = stack.run.resources
      .flatMap((resource) => resource.secretValues)
      .filter((value) => value.length >= 8);
    assert.ok(secretValues.length > 0);
    for (const task of ["prosody-server-task", "prosody-gateway-task"]) {
      const recorded = byName(stack.run, task).inputs as { containerDefinitions: string };
      assert.notEqual(
        recorded.containerDefinitions,
        "[secret]",
        "the definition is plain text, so it must hold no secret",
      );
      for (const value of secretValues) {
        assert.ok(!recorded.containerDefinitions.includes(value), `${task} holds a secret value in plain text`);
      }
    }
    const prosody = container(stack.run, "prosody-server-task");
    assert.deepEqual(
      prosody.secrets.map((secret) => secret.name),
      [
        "PROSODY_DB_PASSWORD",
        "PROSODY_UPLOAD_SECRET",
        "PROSODY_ADMIN_ACCOUNTS",
        "PROSODY_TLS_CERTIFICATE",
        "PROSODY_TLS_KEY",
      ],
    );
    for (const secret of prosody.secrets) {
      assert.match(
        secret.valueFrom,
        /^arn:aws:secretsmanager:eu-central-1:123456789012:prosody-[a-z-]+-secret:[a-zA-Z]*::[0-9a-f-]{36}$/,
      );
    }
    const valueOf = (name: string) => prosody.secrets.find((secret) => secret.name === name)?.valueFrom ?? "";
    assert.match(valueOf("PROSODY_TLS_KEY"), /prosody-tls-secret:privateKey::/);
    assert.match(valueOf("PROSODY_ADMIN_ACCOUNTS"), /prosody-admin-accounts-secret:::/);
    const plainNames = prosody.environment.map((variable) => variable.name);
    assert.deepEqual(plainNames, [
      "PROSODY_HEALTH_PORT",
      "PROSODY_DB_HOST",
      "PROSODY_CONFIG_TEXT",
      "PROSODY_WEBCLIENT_TEXT",
      "PROSODY_TLS_NAME",
      "PROSODY_CERTIFICATES",
    ]);
    const environment = new Map(prosody.environment.map((variable) => [variable.name, variable.value]));
    assert.equal(environment.get("PROSODY_CONFIG_TEXT"), renderArtifacts(stack.plan)["prosody.cfg.lua"]);
    // The RDS instance's address, the same one the stack exports.
    assert.match(environment.get("PROSODY_DB_HOST") ?? "", /^prosody-database-[0-9a-f]{7}\.mock\.eu-central-1\.rds\./);
    assert.equal(environment.get("PROSODY_DB_HOST"), stack.run.outputs.databaseHost);
    assert.equal(environment.get("PROSODY_TLS_NAME"), "example.org");

    const gateway = container(stack.run, "prosody-gateway-task");
    assert.deepEqual(
      gateway.secrets.map((secret) => secret.name),
      ["GATEWAY_SECRET", "GATEWAY_TLS_CERT", "GATEWAY_TLS_KEY"],
    );
    assert.deepEqual(Object.fromEntries(gateway.environment.map((variable) => [variable.name, variable.value])), {
      S3_BUCKET: stack.run.outputs.uploadBucket,
      S3_REGION: "eu-central-1",
      GATEWAY_PORT: "8443",
      GATEWAY_DOWNLOAD_MODE: "redirect",
    });
    assert.equal(gateway.readonlyRootFilesystem, true);
    assert.ok(!gateway.environment.some((variable) => variable.name.startsWith("AWS_")), "the task role signs");
  });
});
