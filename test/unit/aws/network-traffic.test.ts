/** aws/network.ts and aws/traffic.ts: subnets, the load balancer's ports, and the firewalls between. */
import { strict as assert } from "node:assert";
import { publicPorts } from "../../../src/containers/ports";
import { inputs, type Rule, prodStack } from "./support";

describe("AWS platform: network and traffic", function () {
  this.timeout(60000);
  const stack = prodStack();

  it("spans two zones with public and private subnets; nothing gets a public address but the load balancer", () => {
    const subnets = ["public-1", "public-2", "private-1", "private-2"].map((part) =>
      inputs<{ availabilityZone: string; cidrBlock: string; mapPublicIpOnLaunch: boolean }>(
        stack.run,
        `prosody-${part}`,
      ),
    );
    assert.deepEqual(
      subnets.map((subnet) => [subnet.availabilityZone, subnet.cidrBlock]),
      [
        ["eu-central-1a", "10.0.0.0/20"],
        ["eu-central-1b", "10.0.16.0/20"],
        ["eu-central-1a", "10.0.128.0/20"],
        ["eu-central-1b", "10.0.144.0/20"],
      ],
    );
    assert.ok(subnets.every((subnet) => subnet.mapPublicIpOnLaunch === false));
    for (const service of ["prosody-server-service", "prosody-gateway-service"]) {
      const network = inputs<{ networkConfiguration: { assignPublicIp: boolean; subnets: string[] } }>(
        stack.run,
        service,
      ).networkConfiguration;
      assert.equal(network.assignPublicIp, false);
      assert.deepEqual(network.subnets, ["prosody-private-1-id", "prosody-private-2-id"]);
    }
    const balancer = inputs<{ subnets: string[]; loadBalancerType: string; internal: boolean }>(
      stack.run,
      "prosody-lb",
    );
    assert.deepEqual(balancer, { ...balancer, loadBalancerType: "network", internal: false });
    assert.deepEqual(balancer.subnets, ["prosody-public-1-id", "prosody-public-2-id"]);
  });

  it("opens exactly the plan's public ports on the load balancer, and only from it to the tasks", () => {
    const ports = publicPorts(stack.plan);
    assert.deepEqual(
      ports.map((port) => [port.publicPort, port.port]),
      [
        [5222, 5222],
        [5223, 5223],
        [5269, 5269],
        [5281, 5281],
        [5000, 5000],
        [443, 8443],
      ],
    );
    const firewall = (name: string) => inputs<{ ingress: Rule[]; egress: Rule[] }>(stack.run, name);
    const lb = firewall("prosody-lb-firewall");
    assert.deepEqual(
      lb.ingress.map((rule) => [rule.fromPort, rule.toPort, rule.protocol]),
      ports.map((port) => [port.publicPort, port.publicPort, "tcp"]),
    );
    assert.deepEqual(
      lb.egress.map((rule) => [rule.fromPort, rule.cidrBlocks]),
      ports.map((port) => [port.port, ["10.0.0.0/16"]]),
    );
    const fromBalancer = (name: string, expected: number[]) => {
      const { ingress } = firewall(name);
      assert.deepEqual(
        ingress.map((rule) => [rule.fromPort, rule.toPort, rule.securityGroups, rule.cidrBlocks]),
        expected.map((port) => [port, port, ["prosody-lb-firewall-id"], undefined]),
      );
    };
    fromBalancer("prosody-server-firewall", [5222, 5223, 5269, 5281, 5000]);
    fromBalancer("prosody-gateway-firewall", [8443]);
    const database = firewall("prosody-database-firewall");
    assert.deepEqual(
      database.ingress.map((rule) => [rule.fromPort, rule.toPort, rule.securityGroups]),
      [[5432, 5432, ["prosody-server-firewall-id"]]],
    );
    assert.deepEqual(database.egress, []);
    // The private HTTP port (health, metrics) is never reachable from outside.
    assert.ok(!ports.some((port) => port.publicPort === stack.plan.spec.ports.http));
  });
});
