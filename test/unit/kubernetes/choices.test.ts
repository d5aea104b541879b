/** The Kubernetes platform's choices: what a change keeps and replaces, the caller's provider, DNS, uploads, TLS modes, refusals. */
import { strict as assert } from "node:assert";
import * as k8sSdk from "@pulumi/kubernetes";
import { ProsodyStack } from "../../../components/prosody-stack";
import { byName, expectResourceError, runComponents } from "../../support/mock-stack";
import {
  k8s,
  kubernetesResources,
  manifest,
  manifestProblems,
  onlyContainer,
  planOf,
  podSpec,
  runK8s,
} from "./support";

const GATEWAY_KEYS = {
  "prosody:s3AccessKeyId": "gateway-access",
  "prosody:s3SecretAccessKey": "gateway-secret-key-0123",
};

describe("Kubernetes platform: changes, choices and refusals", function () {
  this.timeout(60000);

  it("keeps every claim's URN and inputs across a tier switch, and releases them with protectData: false", async () => {
    const community = await runK8s(k8s());
    const enterprise = await runK8s(k8s({ "prosody:tier": "enterprise" }));
    for (const name of ["prosody-data", "prosody-uploads", "prosody-postgres"]) {
      const before = byName(community, name);
      const after = byName(enterprise, name);
      assert.equal(after.urn, before.urn, name);
      assert.deepEqual(after.inputs, before.inputs, name);
      assert.equal(after.protect, true, name);
    }
    // A tier switch changes the config: a new ConfigMap, a new pod template.
    assert.notEqual(
      podSpec(enterprise, "prosody-server").volumes.find((volume) => volume.name === "config")?.configMap?.name,
      podSpec(community, "prosody-server").volumes.find((volume) => volume.name === "config")?.configMap?.name,
    );
    const released = await runK8s(k8s({ "prosody:protectData": false }));
    for (const name of ["prosody-data", "prosody-uploads", "prosody-postgres", "prosody-namespace"]) {
      assert.equal(byName(released, name).protect, false, name);
      // Released from Pulumi, never deleted by it: `pulumi destroy` leaves the data in the cluster.
      assert.equal(byName(released, name).retainOnDelete, true, name);
    }
    assert.equal(byName(released, "prosody-server").retainOnDelete, false);
  });

  it("renames the ConfigMap and changes the pod template when the config changes, and keeps both when it does not", async () => {
    const configMapOf = (run: Awaited<ReturnType<typeof runK8s>>) =>
      podSpec(run, "prosody-server").volumes.find((volume) => volume.name === "config")?.configMap?.name;
    const first = await runK8s(k8s());
    const again = await runK8s(k8s());
    const debug = await runK8s(k8s({ "prosody:logLevel": "debug" }));
    assert.match(configMapOf(first) ?? "", /^prosody-server-config-[0-9a-f]{8}$/);
    assert.equal(configMapOf(again), configMapOf(first));
    assert.notEqual(configMapOf(debug), configMapOf(first));
    assert.notDeepEqual(manifest(debug, "prosody-server").spec, manifest(first, "prosody-server").spec);
    assert.deepEqual(byName(debug, "prosody-data").inputs, byName(first, "prosody-data").inputs);
  });

  it("uses the caller's provider for every child when one is given, and creates no provider of its own", async () => {
    const run = await runComponents(() => {
      const provider = new k8sSdk.Provider("theirs", { context: "platform-team" });
      new ProsodyStack(
        "chat",
        {
          domain: "chat.example.com",
          platform: "kubernetes",
          image: { registry: "registry.example.com/chat" },
          kubernetes: { namespace: "chat", createNamespace: false },
        },
        { providers: { kubernetes: provider } },
      );
      return {};
    });
    assert.ok(!run.resources.some((resource) => resource.name === "chat-cluster"));
    assert.ok(!run.resources.some((resource) => resource.type === "kubernetes:core/v1:Namespace"));
    for (const resource of kubernetesResources(run)) {
      assert.match(resource.provider ?? "", /::theirs::/, `${resource.name} ignores the caller's provider`);
      assert.equal((resource.clearInputs.metadata as { namespace?: string }).namespace, "chat");
    }
    // SQLite on the data claim, the component's self-signed pair in a generated TLS Secret.
    const tls = byName(run, "chat-tls");
    assert.equal(tls.inputs.type, "kubernetes.io/tls");
    assert.equal(tls.inputs.stringData, "[secret]");
    const volume = podSpec(run, "chat-server").volumes.find((entry) => entry.name === "tls");
    assert.match(volume?.secret?.secretName ?? "", /^chat-tls-[0-9a-f]{8}$/);
    assert.ok(!run.resources.some((resource) => resource.type.includes("cnpg")));
    assert.deepEqual(kubernetesResources(run).flatMap(manifestProblems), []);
  });

  it("points the records at the load balancer's address, and the share host at the upload gateway's", async () => {
    const run = await runK8s(
      k8s(
        {
          "prosody:dns": { provider: "route53" },
          "prosody:uploads": "s3",
          "prosody:upload": {
            s3: { endpoint: "https://s3.example.net", bucket: "chat-uploads", forcePathStyle: true },
          },
          "prosody:existing": { route53: { hostedZoneId: "Z0123456789ABCDEFGHIJ" } },
          ...GATEWAY_KEYS,
        },
        Object.keys(GATEWAY_KEYS).map((key) => key.replace("prosody:", "")),
      ),
    );
    const serverIp = (byName(run, "prosody-server-public").clearInputs.metadata as object) && run.outputs.loadBalancer;
    assert.match(String(serverIp), /^203\.0\.113\.\d+$/);
    const record = byName(run, "prosody-dns-example.org-address");
    assert.equal(record.inputs.type, "A");
    assert.deepEqual(record.inputs.records, [serverIp]);
    const share = byName(run, "prosody-dns-share.example.org-address");
    assert.equal(share.inputs.type, "A");
    assert.notDeepEqual(share.inputs.records, [serverIp]);
    // The gateway: stateless and rolling, on its own public Service, reading its keys by secretKeyRef.
    const gateway = manifest(run, "prosody-upload-gateway").spec as { strategy: { type: string } };
    assert.equal(gateway.strategy.type, "RollingUpdate");
    const container = onlyContainer(podSpec(run, "prosody-upload-gateway"));
    assert.deepEqual(
      container.env
        .filter((entry) => entry.valueFrom)
        .map((entry) => entry.name)
        .sort(),
      ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "GATEWAY_SECRET"],
    );
    const ports = (manifest(run, "prosody-upload-gateway-public").spec as { ports: { port: number }[] }).ports;
    assert.deepEqual(
      ports.map((port) => port.port),
      [443],
    );
    assert.ok(!run.resources.some((resource) => resource.name === "prosody-uploads"), "no uploads claim with S3");
    assert.deepEqual(kubernetesResources(run).flatMap(manifestProblems), []);
  });

  it("publishes the same addresses through Cloudflare, unproxied", async () => {
    const run = await runK8s(
      k8s(
        {
          "prosody:dns": { provider: "cloudflare" },
          "prosody:cloudflareApiToken": "cloudflare-token-0123456789abcdef",
        },
        ["cloudflareApiToken"],
      ),
    );
    const record = byName(run, "prosody-dns-example.org-address");
    assert.equal(record.type, "cloudflare:index/dnsRecord:DnsRecord");
    assert.deepEqual(
      [record.inputs.type, record.inputs.content, record.inputs.proxied],
      ["A", run.outputs.loadBalancer, false],
    );
  });

  it("puts an Ingress in front of the private port for HTTPS, with the upload limit as body size", async () => {
    const run = await runK8s(
      k8s({
        "prosody:http": { externalUrl: "https://example.org/" },
        "prosody:kubernetes": {
          context: "prod-eu",
          namespace: "chat",
          privateHttpFrom: ["ingress-nginx"],
          ingress: { className: "nginx" },
        },
      }),
    );
    const ingress = manifest(run, "prosody-ingress");
    const spec = ingress.spec as {
      ingressClassName: string;
      tls: { hosts: string[]; secretName: string }[];
      rules: { host: string }[];
    };
    assert.equal(spec.ingressClassName, "nginx");
    assert.deepEqual(
      spec.rules.map((rule) => rule.host),
      ["example.org", "share.example.org"],
    );
    assert.equal(spec.tls[0]?.secretName, "prosody-k8s-tls");
    assert.equal(
      ingress.metadata.annotations?.["nginx.ingress.kubernetes.io/proxy-body-size"],
      String(planOf(k8s()).spec.upload.sizeLimit),
    );
    assert.deepEqual(manifestProblems(byName(run, "prosody-ingress")), []);
  });

  it("refuses what it cannot run, each refusal naming the field and the fix", async () => {
    const refusal = (spec: Record<string, unknown>) =>
      expectResourceError(() => new ProsodyStack("chat", { domain: "example.org", platform: "kubernetes", ...spec }));
    const base = { kubernetes: { context: "prod" }, image: { registry: "ghcr.io/example" } };
    assert.match(
      await refusal({ ...base, turn: { host: "turn.example.org" } }),
      /turn\.coturn \(given true\): the Kubernetes platform does not run coturn.* Fix: set turn\.coturn: false/,
    );
    assert.match(
      await refusal({ kubernetes: { context: "prod" } }),
      /image\.registry: a cluster pulls images.* Fix: set image\.registry/,
    );
    assert.match(
      await refusal({ ...base, tls: { mode: "cert-manager" } }),
      /tls\.certManager\.issuer: .* Fix: name your ClusterIssuer/,
    );
    assert.match(
      await refusal({ ...base, storage: "postgresql", database: { port: 6432 } }),
      /database\.port \(given 6432\): CloudNativePG's PostgreSQL listens on 5432 only/,
    );
    assert.match(
      await refusal({ ...base, docker: { minio: true } }),
      /docker\.minio: only the docker platform reads this.* Fix: remove docker\.minio, or set platform: "docker"/,
    );
    assert.match(await refusal({ ...base, aws: { zones: 3 } }), /aws\.zones: only the aws platform reads this/);
    assert.match(
      await refusal({ image: base.image }),
      /kubernetes\.context: no cluster was named.* Fix: set kubernetes\.context/,
    );
    assert.match(
      await refusal({
        ...base,
        dns: { provider: "route53" },
        kubernetes: { context: "prod", service: { type: "NodePort" } },
      }),
      /dns\.ipv4 \(given \[\]\): .*NodePort.* Fix: list your nodes' public addresses/,
    );
    assert.match(
      await refusal({ ...base, kubernetes: { context: "prod", ingress: { className: "nginx" } } }),
      /http\.externalUrl: .* Fix: set http\.externalUrl/,
    );
    assert.match(
      await refusal({ ...base, uploads: "s3" }),
      /upload\.s3\.endpoint: .* Fix: give the endpoint of an S3-compatible server/,
    );
    assert.match(
      await refusal({
        ...base,
        storage: "postgresql",
        existing: { kubernetes: { database: { host: "main-rw.db.svc" } } },
      }),
      /secrets\.databasePassword: existing\.kubernetes\.database names a server of yours/,
    );
    const both = await expectResourceError(() => {
      const provider = new k8sSdk.Provider("theirs", {});
      new ProsodyStack(
        "chat",
        { domain: "example.org", platform: "kubernetes", ...base },
        { providers: { kubernetes: provider } },
      );
    });
    assert.match(both, /kubernetes\.context \(given "prod"\): the component was also given a Kubernetes provider/);
    // The other platforms refuse this one's fields and its certificate mode.
    assert.match(
      await expectResourceError(
        () => new ProsodyStack("chat", { domain: "example.org", kubernetes: { namespace: "chat" } }),
      ),
      /kubernetes\.namespace: only the kubernetes platform reads this/,
    );
    assert.match(
      await expectResourceError(
        () => new ProsodyStack("chat", { domain: "example.org", tls: { mode: "cert-manager" } }),
      ),
      /tls\.mode \(given "cert-manager"\): the docker platform does not offer this/,
    );
  });

  it("uses the caller's PostgreSQL with the given password, and creates no CloudNativePG cluster", async () => {
    const run = await runComponents(() => {
      new ProsodyStack("chat", {
        domain: "example.org",
        platform: "kubernetes",
        storage: "postgresql",
        image: { registry: "ghcr.io/example" },
        kubernetes: { context: "prod" },
        existing: { kubernetes: { database: { host: "main-rw.databases.svc" } } },
        secrets: { databasePassword: "their-password-0123456789" },
      });
      return {};
    });
    assert.ok(!run.resources.some((resource) => resource.type.includes("cnpg")));
    const env = onlyContainer(podSpec(run, "chat-server")).env.find((entry) => entry.name === "PROSODY_DB_HOST");
    assert.equal(env?.value, "main-rw.databases.svc");
    const secret = byName(run, "chat-server-env");
    assert.ok(secret.secretValues.includes("their-password-0123456789"));
  });
});
