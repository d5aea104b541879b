/**
 * Certificates as public CAs issue them since 2026: server authentication
 * only. No request of ours asks for client authentication (the self-signed
 * leaf, cert-manager's Certificate), and since a server that wants client
 * authentication from the servers connecting to it then checks this server's
 * name through dialback only, a spec that removes dialback while its
 * certificate cannot do without it is refused, naming the field.
 */
import { strict as assert } from "node:assert";
import { ProsodyStack } from "../../components/prosody-stack";
import { ProblemError } from "../../common/problems";
import { planDeployment } from "../../src/plan";
import { type DeploymentSpecInput, parseDeploymentSpec } from "../../src/schema";
import { testCa } from "../support/certificates";
import { byName, expectResourceError, runComponents, runProgram, stackWith } from "../support/mock-stack";

const DOMAIN = "chat.example.org";
const HOSTS = [DOMAIN, `groups.${DOMAIN}`, `share.${DOMAIN}`];

const refusal = (input: DeploymentSpecInput): string => {
  try {
    planDeployment(parseDeploymentSpec(input));
  } catch (error) {
    assert.ok(error instanceof ProblemError, String(error));
    return error.message;
  }
  return assert.fail("expected the plan to be refused");
};

describe("certificate purposes", () => {
  it("asks for no client authentication: the self-signed leaf", async () => {
    const run = await runComponents(() => {
      new ProsodyStack("chat", { domain: DOMAIN });
      return {};
    });
    const uses = byName(run, "chat-tls-certificate").clearInputs.allowedUses as string[];
    assert.ok(uses.includes("server_auth"), uses.join(", "));
    assert.ok(!uses.includes("client_auth"), uses.join(", "));
  });

  it("asks for no client authentication: cert-manager's Certificate on Kubernetes", async () => {
    const run = await runProgram(stackWith("k8s", {}), "k8s");
    const certificate = run.resources.find((resource) => resource.type === "kubernetes:cert-manager.io/v1:Certificate");
    assert.ok(certificate, "the k8s stack has cert-manager issue its certificate");
    const usages = (certificate.clearInputs.spec as { usages: string[] }).usages;
    assert.deepEqual(usages, ["digital signature", "key encipherment", "server auth"]);
  });

  it("refuses dialback removed from a stack whose Let's Encrypt certificate needs it, naming the field", () => {
    const acme = { domain: DOMAIN, tls: { mode: "acme" as const }, dns: { provider: "route53" as const } };
    assert.match(
      refusal({ ...acme, modules: { remove: ["csi_simple", "dialback"] } }),
      /modules\.remove\[1\] \(given "dialback"\): a Let's Encrypt certificate \(tls\.mode "acme"\) carries server authentication only.*only through dialback\. Fix: keep dialback/,
    );
    assert.doesNotThrow(() => planDeployment(parseDeploymentSpec(acme)));
    assert.doesNotThrow(() =>
      planDeployment(parseDeploymentSpec({ domain: DOMAIN, modules: { remove: ["dialback"] } })),
    );
  });

  it("refuses dialback removed from a stack whose provided certificate lacks client authentication, and allows it when the certificate has it", async () => {
    const { issue } = testCa();
    const serverOnly = issue(HOSTS, ["serverAuth"]);
    const both = issue(HOSTS, ["serverAuth", "clientAuth"]);
    const provided = (pair: { chain: string; key: string }) => () =>
      new ProsodyStack("chat", {
        domain: DOMAIN,
        tls: { mode: "provided" },
        modules: { remove: ["dialback"] },
        secrets: { tlsCertificate: pair.chain, tlsPrivateKey: pair.key },
      });
    assert.match(
      await expectResourceError(provided(serverOnly)),
      /modules\.remove\[0\] \(given "dialback"\): the provided certificate \(secrets\.tlsCertificate\) carries server authentication only/,
    );
    await runComponents(() => {
      provided(both)();
      return {};
    });
  });
});
