/** components/dns and components/certificates: Route53 records, Let's Encrypt over DNS-01 (by the renewer, or by Pulumi where none runs), or a self-signed CA and no records. */
import { strict as assert } from "node:assert";
import { byName, runProgram, stackWith } from "../support/mock-stack";
import { planOf, prodStack } from "./aws/support";

describe("DNS records and certificates by provider", function () {
  this.timeout(60000);
  const stack = prodStack();

  it("publishes the plan's SRV records as they are, and every host as an alias of the load balancer", () => {
    const records = stack.run.resources
      .filter((resource) => resource.type === "aws:route53/record:Record")
      .map((resource) => resource.clearInputs as { name: string; type: string; records?: string[]; zoneId: string });
    const srv = records.filter((record) => record.type === "SRV");
    assert.deepEqual(
      srv.map((record) => [record.name, record.records]),
      stack.plan.dns.records.filter((record) => record.type === "SRV").map((record) => [record.name, [record.value]]),
    );
    assert.deepEqual(
      srv.map((record) => record.records?.[0]),
      ["0 5 5222 example.org.", "0 5 5223 example.org.", "0 5 5269 example.org.", "0 5 5269 example.org."],
    );
    const aliases = records.filter((record) => record.type === "A");
    assert.deepEqual(
      aliases.map((record) => record.name),
      stack.plan.dns.addressHosts,
    );
    const zones = new Set(records.map((record) => record.zoneId));
    assert.equal(zones.size, 1, "every record goes into the one hosted zone");
  });

  it("has no certificate in Pulumi's state on AWS: the renewer issues it, with the zone's id for its role", () => {
    assert.ok(!stack.run.resources.some((resource) => resource.type.startsWith("acme:")));
    const zoneId = (byName(stack.run, "prosody-dns-example.org-alias").clearInputs as { zoneId: string }).zoneId;
    const policy = JSON.parse(String(byName(stack.run, "prosody-renewer-task-role-policy").clearInputs.policy)) as {
      Statement: { Sid: string; Resource: string }[];
    };
    assert.equal(
      policy.Statement.find((statement) => statement.Sid === "ChallengeRecords")?.Resource,
      `arn:aws:route53:::hostedzone/${zoneId}`,
    );
  });
});

/** Kubernetes with tls.mode acme (no cert-manager) and Route53: the one place Pulumi holds a Let's Encrypt certificate. */
const pulumiHeldAcme = (directory: "production" | "staging") =>
  stackWith("k8s", {
    "prosody:tls": { mode: "acme", acme: { directory } },
    "prosody:dns": { provider: "route53" },
  });

describe("Let's Encrypt through Pulumi, where no renewer runs", function () {
  this.timeout(60000);

  it("asks for one certificate naming exactly the plan's hosts, through DNS-01, never revoking it", async () => {
    const run = await runProgram(pulumiHeldAcme("production"), "k8s");
    const plan = planOf(pulumiHeldAcme("production"));
    assert.equal(plan.certificate.source, "component");
    const certificate = byName(run, "prosody-acme-production-certificate").clearInputs;
    assert.deepEqual(
      [certificate.commonName, ...(certificate.subjectAlternativeNames as string[])],
      plan.certificateNames,
    );
    assert.equal(certificate.revokeCertificateOnDestroy, false);
    assert.equal(certificate.minDaysRemaining, 30);
    const [challenge] = certificate.dnsChallenges as { provider: string; config: Record<string, string> }[];
    assert.equal(challenge?.provider, "route53");
    const zoneIds = new Set(
      run.resources
        .filter((resource) => resource.type === "aws:route53/record:Record")
        .map((resource) => (resource.clearInputs as { zoneId: string }).zoneId),
    );
    assert.deepEqual([...zoneIds], [challenge?.config.AWS_HOSTED_ZONE_ID]);
    assert.equal(
      byName(run, "prosody-acme-production-provider").clearInputs.serverUrl,
      "https://acme-v02.api.letsencrypt.org/directory",
    );
    assert.match(byName(run, "prosody-acme-production-certificate").provider ?? "", /prosody-acme-production-provider/);
  });

  it("uses Let's Encrypt's staging directory when asked, under names of its own", async () => {
    const run = await runProgram(pulumiHeldAcme("staging"), "k8s");
    assert.equal(
      byName(run, "prosody-acme-staging-provider").clearInputs.serverUrl,
      "https://acme-staging-v02.api.letsencrypt.org/directory",
    );
    assert.ok(!run.resources.some((resource) => resource.name.includes("acme-production")));
  });
});

describe("DNS records and certificates when the stack changes", function () {
  this.timeout(60000);

  it("with a self-signed certificate and no DNS provider: no records, no ACME, and the CA as an output", async () => {
    const run = await runProgram(
      stackWith("prod", { "prosody:tls": { mode: "self-signed" }, "prosody:dns": { provider: "none" } }),
      "prod",
    );
    assert.ok(!run.resources.some((resource) => resource.type.startsWith("acme:")));
    assert.ok(!run.resources.some((resource) => resource.type === "aws:route53/record:Record"));
    assert.match(String(run.outputs.caCertificate), /BEGIN CERTIFICATE/);
    assert.ok(byName(run, "prosody-tls-certificate"));
  });
});
