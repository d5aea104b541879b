/**
 * The watchdog on Kubernetes and AWS, under mocks: on Kubernetes a Deployment
 * of nobody's user in the restricted namespace, its state in the pod and its
 * secrets from a Secret, valid against the schemas; on AWS a Fargate service
 * with no way in, whose role may read the latest backup's note and nothing
 * else, and whose secrets come from Secrets Manager. (The Docker platform's:
 * docker-watchdog.test.ts.)
 */
import { strict as assert } from "node:assert";
import { WATCHDOG_STATE_PATH, WATCHDOG_USER } from "../../watchdog/src/contract";
import { byName, runProgram, stackWith } from "../support/mock-stack";
import { container, inputs, list, statements } from "./aws/support";
import { type Container, k8s, manifest, manifestProblems, runK8s } from "./kubernetes/support";

const WATCHED = {
  "prosody:alerts": { webhook: "ntfy", watchdog: { enabled: true } },
  "prosody:alertsWebhookUrl": "https://ntfy.example.org/prosody-alerts",
};

describe("the watchdog on Kubernetes and AWS", function () {
  this.timeout(60000);

  it("Kubernetes: a Deployment of nobody's user, its state in the pod, its secrets from a Secret", async () => {
    const run = await runK8s(k8s(WATCHED, ["prosody:alertsWebhookUrl"]));
    const deployment = manifest(run, "prosody-watchdog");
    assert.deepEqual(manifestProblems(byName(run, "prosody-watchdog")), []);
    const pod = (deployment.spec as { template: { spec: Record<string, unknown> } }).template.spec as {
      containers: Container[];
      volumes: { name: string; emptyDir?: object; persistentVolumeClaim?: object }[];
      securityContext: { runAsUser?: number; runAsNonRoot?: boolean };
    };
    const [watchdog] = pod.containers;
    assert.ok(watchdog);
    assert.equal(watchdog.securityContext.runAsUser ?? pod.securityContext.runAsUser, WATCHDOG_USER.uid);
    assert.ok(
      pod.volumes.every((volume) => volume.persistentVolumeClaim === undefined),
      "no claim: Prosody's are ReadWriteOnce",
    );
    assert.ok(watchdog.volumeMounts.some((mount) => mount.mountPath === WATCHDOG_STATE_PATH));
    const secretNames = watchdog.env.filter((entry) => entry.valueFrom).map((entry) => entry.name);
    assert.deepEqual(secretNames.sort(), ["WATCHDOG_PASSWORD", "WATCHDOG_WEBHOOK_URL"]);
    const spec = watchdog.env.find((entry) => entry.name === "WATCHDOG_SPEC")?.value ?? "";
    assert.equal((JSON.parse(spec) as { domain: string }).domain, "example.org");
    assert.deepEqual(watchdog.resources.requests, { cpu: "50m", memory: "128Mi" });
  });

  it("AWS: a Fargate service nothing reaches, reading only the latest backup's note, secrets from Secrets Manager", async () => {
    const run = await runProgram(stackWith("prod", WATCHED, ["prosody:alertsWebhookUrl"]), "prod");
    const definition = container(run, "prosody-watchdog-task");
    assert.deepEqual(definition.secrets.map((secret) => secret.name).sort(), [
      "WATCHDOG_PASSWORD",
      "WATCHDOG_WEBHOOK_URL",
    ]);
    assert.deepEqual(definition.portMappings, [], "its metrics port is not mapped");
    const environment = new Map(definition.environment.map((entry) => [entry.name, entry.value]));
    assert.match(environment.get("WATCHDOG_BACKUPS_BUCKET") ?? "", /\S/);
    assert.ok(!JSON.stringify(definition).includes("ntfy.example.org"), "the webhook's URL is a secret");
    const [read, list_] = statements(run, "prosody-watchdog-task-role-policy");
    assert.deepEqual(list(read?.Action ?? []), ["s3:GetObject"]);
    assert.match(list(read?.Resource ?? [])[0] ?? "", /\/latest\.json$/);
    assert.deepEqual(list(list_?.Action ?? []), ["s3:ListBucket"]);
    const firewall = inputs<{ ingress: unknown[] }>(run, "prosody-watchdog-firewall");
    assert.deepEqual(firewall.ingress, []);
    const service = inputs<{ desiredCount: number; deploymentMaximumPercent: number }>(run, "prosody-watchdog-service");
    assert.equal(service.desiredCount, 1);
    assert.equal(service.deploymentMaximumPercent, 100, "never two watchdogs at once");
  });
});
