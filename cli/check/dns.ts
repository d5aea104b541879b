/**
 * Every DNS record the plan publishes, resolved as clients resolve it:
 * through the system's resolver, or the one `--resolver host:port` names
 * (a test's DNS server, a split-horizon view).
 */
import { Resolver } from "node:dns/promises";
import type { DeploymentPlan } from "../../src/plan/types";
import type { CheckResult } from "./report";

export function resolverFor(server: string | undefined): Resolver {
  const resolver = new Resolver({ timeout: 3000, tries: 2 });
  if (server !== undefined) resolver.setServers([server]);
  return resolver;
}

const failureOf = (error: unknown): string => {
  const code = (error as { code?: string }).code;
  return code === "ENOTFOUND" || code === "ENODATA" ? "no such record" : `lookup failed (${code ?? String(error)})`;
};

/** The addresses of a name (A, then AAAA); empty when it has none. */
export async function addressesOf(resolver: Resolver, name: string): Promise<string[]> {
  const found = await Promise.all([
    resolver.resolve4(name).catch(() => [] as string[]),
    resolver.resolve6(name).catch(() => [] as string[]),
  ]);
  return found.flat();
}

const sameSet = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((value) => b.includes(value));

export async function dnsChecks(plan: DeploymentPlan, resolver: Resolver): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const result = (name: string, ok: boolean, detail: string): CheckResult => ({
    group: "dns",
    name,
    status: ok ? "pass" : "fail",
    detail,
  });
  for (const host of plan.dns.addressHosts) {
    for (const type of ["A", "AAAA"] as const) {
      const planned = plan.dns.records.filter((record) => record.name === host && record.type === type);
      if (planned.length === 0) continue;
      const expected = planned.map((record) => record.value);
      const found = await (type === "A" ? resolver.resolve4(host) : resolver.resolve6(host)).catch((error: unknown) =>
        failureOf(error),
      );
      if (typeof found === "string") {
        results.push(result(`${type} ${host}`, false, `${found}; publish ${expected.join(", ")}`));
      } else {
        const ok = sameSet(found, expected);
        results.push(
          result(
            `${type} ${host}`,
            ok,
            ok ? found.join(", ") : `found ${found.join(", ")}, planned ${expected.join(", ")}`,
          ),
        );
      }
    }
    // Without planned addresses the platform points the name (a load balancer's alias): it must resolve.
    if (!plan.dns.records.some((record) => record.name === host && record.type !== "SRV")) {
      const found = await addressesOf(resolver, host);
      results.push(
        result(
          `address of ${host}`,
          found.length > 0,
          found.length > 0 ? found.join(", ") : "no A or AAAA record: publish the platform's address for it",
        ),
      );
    }
  }
  for (const record of plan.dns.records.filter((entry) => entry.type === "SRV")) {
    const [priority, weight, port, target] = record.value.split(" ");
    const expected = {
      priority: Number(priority),
      weight: Number(weight),
      port: Number(port),
      name: (target ?? "").replace(/\.$/, ""),
    };
    const found = await resolver.resolveSrv(record.name).catch((error: unknown) => failureOf(error));
    const name = `SRV ${record.name}`;
    if (typeof found === "string") {
      results.push(result(name, false, `${found}; publish ${record.value}`));
      continue;
    }
    const shown = found.map((entry) => `${entry.priority} ${entry.weight} ${entry.port} ${entry.name}.`);
    const ok = found.some((entry) => entry.port === expected.port && entry.name.replace(/\.$/, "") === expected.name);
    results.push(
      result(name, ok, ok ? shown.join(", ") : `found ${shown.join(", ") || "nothing"}, planned ${record.value}`),
    );
  }
  return results;
}
