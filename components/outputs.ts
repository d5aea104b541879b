/** The flat, plain outputs of a ProsodyStack, computed from its plan (pure). */
import type { DeploymentPlan } from "../src/plan/plan-deployment";
import type { DnsRecord } from "../src/plan/dns";

export interface SuiteSummary {
  suite: string;
  /** the server level of XEP-0479 is met */
  server: boolean;
  advanced: boolean;
  /** requirements of the advanced level (which includes the server level) still missing */
  missing: string[];
}

export interface PlanOutputs {
  domain: string;
  domains: string[];
  admins: string[];
  clientEndpoint: string;
  directTlsEndpoint: string;
  serverEndpoint: string;
  httpsUrl: string;
  uploadUrl?: string;
  dnsRecords: DnsRecord[];
  stabilityProfile: string;
  compliance: SuiteSummary[];
}

export function planOutputs(plan: DeploymentPlan): PlanOutputs {
  const { spec, dns } = plan;
  const httpsUrl = spec.http.externalUrl ?? `https://${spec.domain}:${spec.ports.https}/`;
  const uploadUrl =
    plan.uploads?.mode === "s3"
      ? plan.uploads.gateway?.url
      : plan.uploads
        ? `https://${plan.uploads.host}:${spec.ports.https}/`
        : undefined;
  return {
    domain: spec.domain,
    domains: plan.domains,
    admins: plan.admins,
    clientEndpoint: `${dns.target}:${spec.ports.c2s}`,
    directTlsEndpoint: `${dns.target}:${spec.ports.c2sDirectTls}`,
    serverEndpoint: `${dns.target}:${spec.ports.s2s}`,
    httpsUrl,
    uploadUrl,
    dnsRecords: dns.records,
    stabilityProfile: plan.resolution.profile.summary,
    compliance: plan.resolution.compliance.suites.map((result) => ({
      suite: result.suite,
      server: result.server.met,
      advanced: result.advanced.met,
      missing: [...new Set([...result.server.missing, ...result.advanced.missing])],
    })),
  };
}
