/** aws/roles.ts and aws/secret-store.ts: least privilege, and every secret through ECS secrets. */
import { strict as assert } from "node:assert";
import { renderArtifacts } from "../../../src/render";
import { autoName } from "../../../components/mock-runtime/fakes";
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
    // The stack's own secrets are pinned to the version it wrote; the TLS pair is the renewer's current one.
    for (const secret of prosody.secrets.filter((entry) => !entry.name.startsWith("PROSODY_TLS_"))) {
      assert.match(
        secret.valueFrom,
        /^arn:aws:secretsmanager:eu-central-1:123456789012:prosody-[a-z-]+-secret:[a-zA-Z]*::[0-9a-f-]{36}$/,
      );
    }
    const valueOf = (name: string) => prosody.secrets.find((secret) => secret.name === name)?.valueFrom ?? "";
    assert.match(valueOf("PROSODY_TLS_KEY"), /prosody-tls-secret:privateKey::$/);
    assert.match(valueOf("PROSODY_TLS_CERTIFICATE"), /prosody-tls-secret:certificate::$/);
    assert.match(valueOf("PROSODY_ADMIN_ACCOUNTS"), /prosody-admin-accounts-secret:::/);
    const plainNames = prosody.environment.map((variable) => variable.name);
    assert.deepEqual(plainNames, [
      "PROSODY_HEALTH_PORT",
      "PROSODY_TLS_TEMPORARY",
      "PROSODY_CERTIFICATES",
      "PROSODY_CERTIFICATE_WATCH_SECONDS",
      "PROSODY_DB_HOST",
      "PROSODY_CONFIG_TEXT",
      "PROSODY_WEBCLIENT_TEXT",
      "PROSODY_TLS_NAME",
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
      GATEWAY_TLS_TEMPORARY: stack.plan.certificateNames.join(" "),
    });
    assert.equal(gateway.readonlyRootFilesystem, true);
    assert.ok(!gateway.environment.some((variable) => variable.name.startsWith("AWS_")), "the task role signs");
  });

  it("gives the certificate renewer, and it alone, its challenges' TXT records, the TLS secret and the two services", () => {
    const zoneId = inputs<{ zoneId: string }>(stack.run, "prosody-dns-example.org-alias").zoneId;
    const service = (part: string) =>
      `arn:aws:ecs:eu-central-1:123456789012:service/${autoName("prosody-cluster")}/${autoName(`prosody-${part}-service`)}`;
    assert.deepEqual(statements(stack.run, "prosody-renewer-task-role-policy"), [
      {
        Sid: "ChallengeRecords",
        Effect: "Allow",
        Action: "route53:ChangeResourceRecordSets",
        Resource: `arn:aws:route53:::hostedzone/${zoneId}`,
        Condition: {
          "ForAllValues:StringEquals": {
            "route53:ChangeResourceRecordSetsNormalizedRecordNames": [
              "_acme-challenge.example.org",
              "_acme-challenge.groups.example.org",
              "_acme-challenge.share.example.org",
              "_acme-challenge.proxy.example.org",
            ],
            "route53:ChangeResourceRecordSetsRecordTypes": ["TXT"],
            "route53:ChangeResourceRecordSetsActions": ["UPSERT", "DELETE"],
          },
        },
      },
      { Sid: "FindZone", Effect: "Allow", Action: "route53:ListHostedZones", Resource: "*" },
      { Sid: "ChallengeSeen", Effect: "Allow", Action: "route53:GetChange", Resource: "arn:aws:route53:::change/*" },
      {
        Sid: "TlsSecret",
        Effect: "Allow",
        Action: ["secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue"],
        Resource: arnOf("prosody-tls-secret"),
      },
      {
        Sid: "NewDeployments",
        Effect: "Allow",
        Action: "ecs:UpdateService",
        Resource: [service("server"), service("gateway")],
      },
    ]);
    // Nobody else may change DNS, write a secret or start a deployment.
    const powerful = /^route53:|secretsmanager:PutSecretValue|ecs:UpdateService/;
    const holders = stack.run.resources
      .filter((resource) => resource.type === "aws:iam/rolePolicy:RolePolicy")
      .filter((resource) =>
        statements(stack.run, resource.name).some((statement) =>
          list(statement.Action).some((action) => powerful.test(action)),
        ),
      )
      .map((resource) => resource.name);
    assert.deepEqual(holders, ["prosody-renewer-task-role-policy"]);
    // Its execution role reads no secret: Route53 is reached with the task role, not keys.
    const execution = statements(stack.run, "prosody-renewer-execution-role-policy");
    assert.deepEqual(list(execution.find((statement) => statement.Sid === "ReadSecrets")?.Resource ?? []), []);
    const task = inputs<{ taskRoleArn: string }>(stack.run, "prosody-renewer-task");
    assert.match(task.taskRoleArn, /prosody-renewer-task-role/);
  });

  it("runs the renewer with the secret's ARN and the services to roll over, and no ECS health check to replace it", () => {
    const renewer = container(stack.run, "prosody-renewer-task") as ReturnType<typeof container> & {
      healthCheck?: unknown;
    };
    const environment = Object.fromEntries(renewer.environment.map((variable) => [variable.name, variable.value]));
    assert.deepEqual(environment, {
      RENEWER_DOMAINS: stack.plan.certificateNames.join(" "),
      RENEWER_DIRECTORY: "https://acme-v02.api.letsencrypt.org/directory",
      RENEWER_DNS_PROVIDER: "route53",
      RENEWER_RENEW_DAYS_BEFORE: "30",
      RENEWER_STORE: "aws-secret",
      RENEWER_TLS_ARN: arnOf("prosody-tls-secret"),
      RENEWER_SERVICES: ["server", "gateway"]
        .map(
          (part) =>
            `arn:aws:ecs:eu-central-1:123456789012:cluster/${autoName("prosody-cluster")} ${autoName(`prosody-${part}-service`)}`,
        )
        .join(","),
    });
    assert.deepEqual(renewer.secrets, []);
    assert.equal(renewer.healthCheck, undefined, "a replaced renewer would retry at once, without its back-off");
    const service = inputs<{ desiredCount: number; deploymentMaximumPercent: number; loadBalancers?: unknown[] }>(
      stack.run,
      "prosody-renewer-service",
    );
    assert.equal(service.desiredCount, 1);
    assert.equal(service.deploymentMaximumPercent, 100, "never two renewers at once");
    const firewall = inputs<{ ingress: unknown[] }>(stack.run, "prosody-renewer-firewall");
    assert.deepEqual(firewall.ingress, [], "nothing reaches the renewer");
  });

  it("writes the TLS secret once, empty, and leaves every later version to the renewer: no certificate in the state", () => {
    const version = byName(stack.run, "prosody-tls-secret-version");
    assert.deepEqual(JSON.parse(String(version.clearInputs.secretString)), { certificate: "", privateKey: "" });
    assert.deepEqual(version.ignoreChanges, ["secretString", "versionStages"]);
    assert.equal(
      stack.run.outputs.certificateExpires,
      "renewed where the server runs: prosody-stack check shows its end",
    );
    for (const resource of stack.run.resources) {
      assert.ok(
        !JSON.stringify(resource.clearInputs).includes("BEGIN CERTIFICATE"),
        `${resource.name} holds a certificate`,
      );
    }
  });
});
