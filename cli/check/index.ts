/**
 * `prosody-stack check`: a deployed server against its plan, from any
 * machine. DNS records resolve to what the plan publishes, every public port
 * answers, STARTTLS and direct TLS present a trusted chain naming every
 * planned host (with the days left, and no TLS below 1.2), and with an
 * account, what the server advertises, its archive and its uploads; with
 * backups, whether the latest one is as recent as the schedule says. It never
 * prints a secret: the password comes in on standard input and goes only to
 * the server.
 */
import { publicPorts } from "../../src/containers/ports";
import type { DeploymentPlan } from "../../src/plan/types";
import { backupChecks } from "./backups";
import { addressesOf, dnsChecks, resolverFor } from "./dns";
import { type CheckReport, type CheckResult, checkReport } from "./report";
import { renewalChecks } from "./renewal";
import { imageChecks } from "./updates";
import { certificateChecks, directTls, type Endpoint, legacyTlsAccepted, openTcp, startTls } from "./tls-probe";

export interface CheckOptions {
  /** a DNS server as host:port, instead of the system's */
  resolver?: string;
  /** PEM of a CA to trust besides the system's (a self-signed stack's caCertificate) */
  ca?: string;
  /** an account to log in with */
  login?: { jid: string; password: string };
  /** the certificate renewer's state folder (its volume's mount point), where it notes each attempt */
  renewal?: string;
  /** the deployed image's reference (the stack's image output): its tag names the period of its packages */
  image?: string;
  /** where the backups are, when the plan alone cannot say (a volume's folder, a created bucket's name) */
  backups?: { folder?: string; bucket?: string };
  /** another XMPP server's domain: with a login, whether it answers over server-to-server */
  peer?: string;
  now?: Date;
}

const failed = (group: CheckResult["group"], name: string, error: unknown): CheckResult => ({
  group,
  name,
  status: "fail",
  detail: (error as Error).message,
});

/** Each public port's check, and the ports that did not answer (the TLS probes skip what they cannot reach). */
async function portChecks(
  plan: DeploymentPlan,
  address: string,
): Promise<{ results: CheckResult[]; closed: Set<number> }> {
  const results: CheckResult[] = [];
  const closed = new Set<number>();
  for (const port of publicPorts(plan)) {
    const name = `${port.name} ${port.publicPort}`;
    try {
      const socket = await openTcp({ address, port: port.publicPort });
      socket.destroy();
      results.push({ group: "ports", name, status: "pass", detail: "answers" });
    } catch (error) {
      closed.add(port.publicPort);
      results.push({
        group: "ports",
        name,
        status: "fail",
        detail: `${(error as Error).message}: is the server running, and the port open in every firewall on the way?`,
      });
    }
  }
  return { results, closed };
}

async function tlsChecks(
  plan: DeploymentPlan,
  address: string,
  closed: ReadonlySet<number>,
  options: CheckOptions,
): Promise<CheckResult[]> {
  const { spec } = plan;
  const { ca, now } = options;
  const at = (port: number): Endpoint => ({ address, port });
  const results: CheckResult[] = [];
  const attempt = async (name: string, probe: () => Promise<CheckResult[]>) => {
    try {
      results.push(...(await probe()));
    } catch (error) {
      results.push(failed("tls", name, error));
    }
  };
  await attempt("c2s STARTTLS", async () => {
    const negotiated = await startTls(at(spec.ports.c2s), spec.domain, "jabber:client", ca);
    const scram = /<mechanism>SCRAM-SHA-(1|256)(-PLUS)?<\/mechanism>/.test(negotiated.features ?? "");
    return [
      ...certificateChecks("c2s STARTTLS", negotiated, [spec.domain], { ...(now ? { now } : {}) }),
      {
        group: "features",
        name: "SASL before login",
        status: scram ? "pass" : "fail",
        detail: scram ? "SCRAM offered after STARTTLS" : "no SCRAM mechanism offered after STARTTLS",
      },
    ];
  });
  await attempt("s2s STARTTLS", async () =>
    certificateChecks(
      "s2s STARTTLS",
      await startTls(at(spec.ports.s2s), spec.domain, "jabber:server", ca),
      [spec.domain],
      {
        expiry: false,
      },
    ),
  );
  // Prosody chooses a certificate by the name a client asks for (SNI): each planned name is asked for.
  for (const host of plan.certificateNames) {
    await attempt(`direct TLS as ${host}`, async () =>
      certificateChecks(
        `direct TLS as ${host}`,
        await directTls(at(spec.ports.c2sDirectTls), host, ca, "xmpp-client"),
        [host],
        {
          expiry: false,
        },
      ),
    );
  }
  await attempt("HTTPS", async () =>
    certificateChecks("HTTPS", await directTls(at(spec.ports.https), spec.domain, ca, "http/1.1"), [spec.domain], {
      expiry: false,
    }),
  );
  for (const [name, port] of [
    ["direct TLS", spec.ports.c2sDirectTls],
    ["HTTPS", spec.ports.https],
  ] as const) {
    const check = `${name}: TLS below 1.2`;
    if (closed.has(port)) {
      results.push({ group: "tls", name: check, status: "skip", detail: `port ${port} is closed` });
      continue;
    }
    const legacy = await legacyTlsAccepted(at(port), spec.domain);
    results.push({
      group: "tls",
      name: check,
      status: legacy ? "fail" : "pass",
      detail: legacy ? `${legacy} is accepted: allow TLS 1.2 and newer only` : "TLS 1.0 and 1.1 are refused",
    });
  }
  return results;
}

export async function checkServer(plan: DeploymentPlan, options: CheckOptions = {}): Promise<CheckReport> {
  const resolver = resolverFor(options.resolver);
  const checks = await dnsChecks(plan, resolver);
  const target = plan.dns.target;
  const [address] = await addressesOf(resolver, target);
  if (address === undefined) {
    checks.push({
      group: "ports",
      name: target,
      status: "fail",
      detail: "has no address, so nothing else can be checked",
    });
    return checkReport(plan.spec.domain, undefined, checks);
  }
  const ports = await portChecks(plan, address);
  checks.push(...ports.results, ...(await tlsChecks(plan, address, ports.closed, options)));
  checks.push(...(await renewalChecks(plan, options.renewal)));
  if (options.login) {
    // Loaded only here: the XMPP client is needed for nothing else.
    const { loginChecks } = await import("./login");
    checks.push(
      ...(await loginChecks(plan, {
        ...options.login,
        address,
        resolver,
        ...(options.ca ? { ca: options.ca } : {}),
        ...(options.peer ? { peer: options.peer } : {}),
      })),
    );
  } else {
    checks.push({
      group: "login",
      name: "as an account",
      status: "skip",
      detail: "give --jid (the password on standard input) to check disco#info, the archive and uploads",
    });
  }
  checks.push(...(await backupChecks(plan, { ...options.backups, ...(options.now ? { now: options.now } : {}) })));
  checks.push(...imageChecks(plan, options.image, options.now ?? new Date()));
  return checkReport(plan.spec.domain, address, checks);
}
