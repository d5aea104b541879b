/**
 * Day one on a real domain, under mocks: trusted certificates on Docker
 * (ACME over DNS-01, or a pair the user brings), Cloudflare and Route53
 * records pointing at the Docker host, Cloudflare on AWS, and the first
 * admins' initial passwords as a secret output and nowhere in plain text.
 */
import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { ProsodyStack, type ProsodyStackArgs } from "../../components/prosody-stack";
import {
  byName,
  envsByName,
  expectResourceError,
  runProgram,
  runTested,
  stackWith,
  type TestedRun,
} from "../support/mock-stack";
import { testCa } from "../support/certificates";
import { container } from "./aws/support";

const DOMAIN = "chat.example.org";
const HOSTS = [DOMAIN, `groups.${DOMAIN}`, `share.${DOMAIN}`];
const TOKEN = "cloudflare-token-0123456789abcdef";
const dockerDns = {
  provider: "cloudflare" as const,
  zone: "example.org",
  ipv4: ["203.0.113.7"],
  ipv6: ["2001:db8::7"],
};

const runStack = (
  args: ProsodyStackArgs,
  calls?: (token: string, inputs: Record<string, unknown>) => Record<string, unknown> | undefined,
) =>
  runTested(
    "test",
    { values: {}, secretKeys: [] },
    () => {
      const server = new ProsodyStack("chat", args);
      return { adminPasswords: server.adminPasswords, certificateExpires: server.certificateExpires };
    },
    calls ? { calls } : {},
  );

const recordsOf = (run: TestedRun, type: string) =>
  run.resources
    .filter((resource) => resource.type === type)
    .map(
      (resource) =>
        ({ ...resource.clearInputs, resource: resource.name, provider: resource.provider }) as Record<string, unknown>,
    );

describe("day one on a real domain", function () {
  this.timeout(60000);
  const { issue } = testCa();

  describe("a certificate the user brings (tls.mode provided)", () => {
    it("hands the pair to the Docker server, the key as a secret", async () => {
      const pair = issue(HOSTS);
      const run = await runStack({
        domain: DOMAIN,
        tls: { mode: "provided" },
        secrets: { tlsCertificate: pair.chain, tlsPrivateKey: pair.key },
      });
      const server = byName(run, "chat-server");
      const uploads = server.clearInputs.uploads as { file: string; content: string }[];
      assert.equal(uploads.find((file) => file.file.endsWith(`${DOMAIN}.crt`))?.content, pair.chain);
      assert.equal(uploads.find((file) => file.file.endsWith(`${DOMAIN}.key`))?.content, pair.key);
      assert.ok(server.secretValues.includes(pair.key), "the key reaches the container only as a secret");
      assert.ok(
        !run.resources.some((resource) => resource.type.startsWith("tls:")),
        "no certificate of the stack's own",
      );
    });

    it("refuses at construction a pair missing a host, naming it, and a pair not given", async () => {
      const pair = issue([DOMAIN, `groups.${DOMAIN}`]);
      const message = await expectResourceError(
        () =>
          new ProsodyStack("chat", {
            domain: DOMAIN,
            tls: { mode: "provided" },
            secrets: { tlsCertificate: pair.chain, tlsPrivateKey: issue(HOSTS).key },
          }),
      );
      assert.match(
        message,
        /secrets\.tlsCertificate \(given "share\.chat\.example\.org"\): the certificate .* does not name this host/,
      );
      assert.match(message, /secrets\.tlsPrivateKey: this key does not belong to the certificate/);
      const missing = await expectResourceError(
        () => new ProsodyStack("chat", { domain: DOMAIN, tls: { mode: "provided" } }),
      );
      assert.match(
        missing,
        /secrets\.tlsCertificate: tls\.mode "provided" serves a certificate you bring.* Fix: `pulumi config set --secret prosody:tlsCertificate/,
      );
      assert.match(missing, /secrets\.tlsPrivateKey: /);
    });

    it("checks a pair given as outputs once it is known", async () => {
      const pair = issue([DOMAIN]);
      await assert.rejects(
        runStack({
          domain: DOMAIN,
          tls: { mode: "provided" },
          secrets: { tlsCertificate: pulumi.secret(pair.chain), tlsPrivateKey: pulumi.secret(pair.key) },
        }),
        /cannot use the provided certificate:\n {2}- secrets\.tlsCertificate \(given "groups\.chat\.example\.org"\)/,
      );
    });
  });

  describe("Let's Encrypt and Cloudflare on Docker", () => {
    it("publishes A, AAAA and SRV records at the Docker host's addresses, unproxied, through a provider holding the token", async () => {
      const run = await runStack({
        domain: DOMAIN,
        tls: { mode: "acme" },
        dns: dockerDns,
        secrets: { cloudflareApiToken: TOKEN },
      });
      const provider = byName(run, "chat-cloudflare");
      assert.equal(provider.type, "pulumi:providers:cloudflare");
      assert.ok(provider.secretValues.includes(TOKEN), "the token is a secret input of the provider");
      const records = recordsOf(run, "cloudflare:index/dnsRecord:DnsRecord");
      for (const record of records) {
        assert.match(
          String(record.provider),
          /chat-cloudflare::/,
          `${String(record.resource)} goes through our provider`,
        );
        assert.equal(record.proxied, false);
        assert.equal(record.comment, "ProsodyStack test/chat");
      }
      const shown = records.map((record) => [record.type, record.name, record.content ?? record.data]);
      assert.deepEqual(shown, [
        ...HOSTS.flatMap((host) => [
          ["A", host, "203.0.113.7"],
          ["AAAA", host, "2001:db8::7"],
        ]),
        ["SRV", `_xmpp-client._tcp.${DOMAIN}`, { priority: 0, weight: 5, port: 5222, target: DOMAIN }],
        ["SRV", `_xmpps-client._tcp.${DOMAIN}`, { priority: 0, weight: 5, port: 5223, target: DOMAIN }],
        ["SRV", `_xmpp-server._tcp.${DOMAIN}`, { priority: 0, weight: 5, port: 5269, target: DOMAIN }],
        ["SRV", `_xmpp-server._tcp.groups.${DOMAIN}`, { priority: 0, weight: 5, port: 5269, target: DOMAIN }],
      ]);
      assert.ok(
        records.some((record) => record.resource === "chat-dns-chat.example.org-aaaa-2001-db8--7"),
        records.map((record) => String(record.resource)).join(" "),
      );

      // No certificate in the Pulumi state: the renewer next to the server issues and renews it.
      assert.ok(!run.resources.some((resource) => resource.type.startsWith("acme:")), "no ACME resource");
      const renewer = byName(run, "chat-renewer").clearInputs as {
        envs: string[];
        volumes: { volumeName: string; containerPath: string }[];
      };
      const env = envsByName(renewer.envs);
      assert.equal(env.get("RENEWER_DOMAINS"), HOSTS.join(" "));
      assert.equal(env.get("RENEWER_DIRECTORY"), "https://acme-v02.api.letsencrypt.org/directory");
      assert.equal(env.get("RENEWER_DNS_PROVIDER"), "cloudflare");
      assert.equal(env.get("RENEWER_FOLDERS"), `/srv/certificates:100:102:${DOMAIN}`);
      assert.equal(env.get("CLOUDFLARE_API_TOKEN"), TOKEN);
      assert.ok(
        byName(run, "chat-renewer").secretValues.some((value) => value.includes(TOKEN)),
        "the token is a secret",
      );
      assert.deepEqual(
        renewer.volumes.map((volume) => [volume.volumeName, volume.containerPath]),
        [
          ["chat-test-acme", "/var/lib/prosody-renewer"],
          ["chat-test-certificates", "/srv/certificates"],
        ],
      );
      const server = byName(run, "chat-server").clearInputs as { uploads: { file: string }[]; envs: string[] };
      assert.ok(!server.uploads.some((file) => /\.(crt|key)$/.test(file.file)), "the pair comes from the volume");
      const serverEnv = envsByName(server.envs);
      assert.equal(serverEnv.get("PROSODY_TLS_TEMPORARY"), HOSTS.join(" "));
      assert.equal(serverEnv.get("PROSODY_CERTIFICATE_WATCH_SECONDS"), "60");
      assert.match(String(run.outputs.certificateExpires), /renewed where the server runs/);
    });

    it("writes the gateway's copy of each renewed pair into a volume of its own, owned by the gateway", async () => {
      const run = await runStack({
        domain: DOMAIN,
        tls: { mode: "acme" },
        dns: dockerDns,
        uploads: "s3",
        docker: { minio: true },
        secrets: { cloudflareApiToken: TOKEN },
      });
      const renewerEnv = envsByName((byName(run, "chat-renewer").clearInputs as { envs: string[] }).envs);
      assert.equal(
        renewerEnv.get("RENEWER_FOLDERS"),
        `/srv/certificates:100:102:${DOMAIN} /srv/gateway-certificates:10001:10001:tls`,
      );
      const gateway = byName(run, "chat-upload-gateway").clearInputs as {
        envs: string[];
        uploads: { file: string }[];
        volumes: { volumeName: string; containerPath: string }[];
      };
      assert.deepEqual(gateway.volumes, [
        { volumeName: "chat-test-gateway-certificates", containerPath: "/etc/upload-gateway" },
      ]);
      assert.deepEqual(gateway.uploads, [], "its pair comes from the volume");
      const env = envsByName(gateway.envs);
      assert.equal(env.get("GATEWAY_TLS_CERT_FILE"), "/etc/upload-gateway/tls.crt");
      assert.equal(env.get("GATEWAY_TLS_TEMPORARY"), HOSTS.join(" "));
    });

    it("publishes Route53 records at dns.ipv4 and dns.ipv6 too, and gives the renewer an access key of yours", async () => {
      const keys = {
        route53AccessKeyId: "AKIAEXAMPLEEXAMPLE00",
        route53SecretAccessKey: "route53-secret-example-0123456789",
      };
      const run = await runStack({
        domain: DOMAIN,
        tls: { mode: "acme" },
        dns: { ...dockerDns, provider: "route53" },
        secrets: keys,
      });
      const renewer = byName(run, "chat-renewer");
      const env = envsByName((renewer.clearInputs as { envs: string[] }).envs);
      assert.equal(env.get("AWS_ACCESS_KEY_ID"), keys.route53AccessKeyId);
      assert.equal(env.get("AWS_SECRET_ACCESS_KEY"), keys.route53SecretAccessKey);
      assert.ok(renewer.secretValues.some((value) => value.includes(keys.route53SecretAccessKey)));
      const without = await expectResourceError(
        () =>
          new ProsodyStack("chat", {
            domain: DOMAIN,
            tls: { mode: "acme" },
            dns: { ...dockerDns, provider: "route53" },
          }),
      );
      assert.match(
        without,
        /secrets\.route53AccessKeyId: the certificate renewer publishes DNS-01 challenges in your Route53 zone/,
      );
      const records = recordsOf(run, "aws:route53/record:Record").filter((record) => record.type !== "SRV");
      assert.deepEqual(
        records.map((record) => [record.type, record.name, record.records]),
        HOSTS.flatMap((host) => [
          ["A", host, ["203.0.113.7"]],
          ["AAAA", host, ["2001:db8::7"]],
        ]),
      );
    });

    it("refuses a public DNS provider without the host's addresses, and Cloudflare without a token", async () => {
      const message = await expectResourceError(
        () => new ProsodyStack("chat", { domain: DOMAIN, dns: { provider: "cloudflare" } }),
      );
      assert.match(
        message,
        /dns\.ipv4 \(given \[\]\): dns\.provider "cloudflare" publishes the host names, and a Docker host has no load balancer.* Fix: list the Docker host's public addresses in dns\.ipv4/,
      );
      assert.match(
        message,
        /secrets\.cloudflareApiToken: dns\.provider "cloudflare" publishes records with a token only the zone's owner can issue/,
      );
    });

    it("refuses, by name, a record of the zone that ProsodyStack did not make", async () => {
      const existing = { name: DOMAIN, type: "A", content: "198.51.100.1", comment: "" };
      await assert.rejects(
        runStack({ domain: DOMAIN, dns: dockerDns, secrets: { cloudflareApiToken: TOKEN } }, (token, inputs) =>
          token === "cloudflare:index/getDnsRecords:getDnsRecords"
            ? { results: (inputs.name as { exact: string }).exact === DOMAIN ? [existing] : [] }
            : undefined,
        ),
        /the zone already holds records ProsodyStack did not make: chat\.example\.org A 198\.51\.100\.1\. Fix: delete them/,
      );
    });
  });

  it("points Cloudflare names at the AWS load balancer", async () => {
    const config = stackWith(
      "prod",
      { "prosody:dns": { provider: "cloudflare" }, "prosody:cloudflareApiToken": TOKEN },
      ["prosody:cloudflareApiToken"],
    );
    const run = await runProgram(config, "prod");
    const cnames = recordsOf(run, "cloudflare:index/dnsRecord:DnsRecord").filter((record) => record.type === "CNAME");
    const balancer = byName(run, "prosody-lb").clearInputs;
    assert.ok(cnames.length > 0);
    assert.ok(!run.resources.some((resource) => resource.type === "aws:route53/record:Record"));
    for (const record of cnames) assert.match(String(record.content), /prosody-lb/, JSON.stringify(balancer.name));
  });

  describe("the first admins", () => {
    const args = (admins: string[]): ProsodyStackArgs => ({ domain: DOMAIN, admins });

    it("gets each admin of the stack's domains an initial password: a secret output, a secret variable, nowhere else", async () => {
      const run = await runStack(args([`admin@${DOMAIN}`, "boss@elsewhere.example"]));
      const passwords = run.outputs.adminPasswords;
      assert.equal(passwords, "[secret]", "the output is a secret");
      const password = byName(run, `chat-admin-password-admin@${DOMAIN}`);
      assert.equal(password.type, "random:index/randomPassword:RandomPassword");
      assert.ok(
        !run.resources.some((resource) => resource.name.includes("boss@")),
        "an admin of another server gets no account here",
      );
      const server = byName(run, "chat-server");
      const envs = server.clearInputs.envs as string[];
      const accounts = envs.find((entry) => entry.startsWith("PROSODY_ADMIN_ACCOUNTS="));
      assert.match(
        accounts ?? "",
        new RegExp(`^PROSODY_ADMIN_ACCOUNTS=admin@chat\\.example\\.org mock[0-9a-f]{28}\\n$`),
      );
      const value = (accounts ?? "").split(" ")[1]?.trim() ?? "";
      assert.ok(
        server.secretValues.some((secret) => secret.includes(value)),
        "the variable is a secret input",
      );
      for (const resource of run.resources) {
        assert.ok(
          !JSON.stringify(resource.inputs).includes(value),
          `${resource.name} holds the password in plain text`,
        );
      }
    });

    it("keeps each admin's password resource by JID, so adding an admin leaves the others alone", async () => {
      const one = await runStack(args([`admin@${DOMAIN}`]));
      const two = await runStack(args([`admin@${DOMAIN}`, `second@${DOMAIN}`]));
      const urn = (run: TestedRun) => byName(run, `chat-admin-password-admin@${DOMAIN}`).urn;
      assert.equal(urn(one), urn(two));
      assert.ok(two.resources.some((resource) => resource.name === `chat-admin-password-second@${DOMAIN}`));
    });

    it("hands the accounts to the AWS task through Secrets Manager, never its plain environment", async () => {
      const run = await runProgram(stackWith("prod", {}), "prod");
      const prosody = container(run, "prosody-server-task");
      assert.ok(prosody.secrets.some((secret) => secret.name === "PROSODY_ADMIN_ACCOUNTS"));
      assert.ok(!prosody.environment.some((variable) => variable.name === "PROSODY_ADMIN_ACCOUNTS"));
      assert.equal(run.outputs.adminPasswords, "[secret]");
    });
  });
});
