/**
 * prometheus-operator's resources on the Kubernetes platform (kubernetes.monitoring), under mocks:
 * absent unless asked; when asked, a ServiceMonitor that finds the private Service alone, on its HTTP
 * port, as the job the alert rules select, and a PrometheusRule with the stack's rules, both valid
 * against the operator's schemas; and the refusals of a scrape that could not get through.
 */
import { strict as assert } from "node:assert";
import { ProsodyStack } from "../../../components/prosody-stack";
import { SCRAPE_JOBS } from "../../../src/monitoring/alerts";
import { prometheusRuleGroups } from "../../../src/render";
import { byName, expectResourceError } from "../../support/mock-stack";
import { k8s, kubernetesResources, manifest, manifestProblems, planOf, runK8s } from "./support";

const MONITORED = {
  "prosody:metricsAllowCidr": "10.244.0.0/16",
  "prosody:kubernetes": {
    context: "prod",
    privateHttpFrom: ["monitoring"],
    monitoring: { serviceMonitor: true, prometheusRule: true, labels: { release: "kube-prometheus-stack" } },
  },
};

describe("Kubernetes platform: Prometheus through prometheus-operator", function () {
  this.timeout(60000);

  it("makes no ServiceMonitor or PrometheusRule unless asked", async () => {
    const run = await runK8s(k8s());
    const kinds = kubernetesResources(run).map((resource) => (resource.inputs as { kind?: string }).kind);
    assert.ok(!kinds.includes("ServiceMonitor") && !kinds.includes("PrometheusRule"), kinds.join(", "));
  });

  it("scrapes the private Service's HTTP port as the job the rules select, and carries the stack's rules", async () => {
    const config = k8s(MONITORED);
    const run = await runK8s(config);
    const monitor = manifest(run, "prosody-service-monitor");
    const rule = manifest(run, "prosody-prometheus-rule");
    const service = manifest(run, "prosody-server-private");
    assert.deepEqual(manifestProblems(byName(run, "prosody-service-monitor")), []);
    assert.deepEqual(manifestProblems(byName(run, "prosody-prometheus-rule")), []);
    assert.equal(monitor.metadata.labels?.release, "kube-prometheus-stack");
    assert.equal(rule.metadata.labels?.release, "kube-prometheus-stack");

    const spec = monitor.spec as {
      selector: { matchLabels: Record<string, string> };
      endpoints: { port: string; path: string; relabelings: { targetLabel: string; replacement: string }[] }[];
    };
    assert.deepEqual(spec.selector.matchLabels, service.metadata.labels, "the private Service's labels");
    const publicLabels = manifest(run, "prosody-server-public").metadata.labels ?? {};
    assert.notDeepEqual(publicLabels, service.metadata.labels, "the public Service is not selected");
    const [endpoint] = spec.endpoints;
    const ports = (service.spec as { ports: { name: string; port: number }[] }).ports;
    assert.deepEqual(
      ports.find((port) => port.name === endpoint?.port)?.port,
      planOf(config).spec.ports.http,
      "the private HTTP port, by name",
    );
    assert.equal(endpoint?.path, "/metrics");
    assert.deepEqual(
      endpoint?.relabelings.map((relabel) => [relabel.targetLabel, relabel.replacement]),
      [["job", SCRAPE_JOBS.prosody]],
    );
    assert.deepEqual((rule.spec as { groups: unknown }).groups, prometheusRuleGroups(planOf(config)));

    const policy = manifest(run, "prosody-server-policy").spec as {
      ingress: { ports: { port: number }[]; from?: { namespaceSelector: { matchLabels: Record<string, string> } }[] }[];
    };
    const privateRule = policy.ingress.find((entry) => entry.from !== undefined);
    assert.deepEqual(
      privateRule?.from?.map((source) => source.namespaceSelector.matchLabels["kubernetes.io/metadata.name"]),
      ["monitoring"],
    );
    assert.ok(privateRule?.ports.some((port) => port.port === planOf(config).spec.ports.http));
  });

  it("refuses a ServiceMonitor whose scrape the metrics' network or the NetworkPolicy would stop, naming the field", async () => {
    const refusal = (kubernetes: Record<string, unknown>, more: Record<string, unknown> = {}) =>
      expectResourceError(
        () =>
          new ProsodyStack("chat", {
            domain: "example.org",
            platform: "kubernetes",
            image: { registry: "ghcr.io/example" },
            kubernetes: { context: "prod", monitoring: { serviceMonitor: true }, ...kubernetes },
            ...more,
          }),
      );
    const loopback = await refusal({ privateHttpFrom: ["monitoring"] });
    assert.match(
      loopback,
      /metricsAllowCidr \(given "127\.0\.0\.0\/8"\): .*Prometheus scrape from its pod's address.* Fix: set metricsAllowCidr to your cluster's pod network/,
    );
    assert.doesNotMatch(loopback, /privateHttpFrom/);
    assert.match(
      await refusal({}, { metricsAllowCidr: "10.244.0.0/16" }),
      /kubernetes\.privateHttpFrom \(given \[\]\): the NetworkPolicy would keep Prometheus away.* Fix: list the namespace Prometheus runs in/,
    );
  });
});
