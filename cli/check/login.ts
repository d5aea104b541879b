/**
 * What only a logged-in client sees: the stream features and disco#info the
 * plan says the server advertises (the catalog's advertisement table, both
 * ways), a message to oneself read back from the archive, and an upload slot
 * whose bytes come back the same.
 */
import { randomBytes } from "node:crypto";
import type { Resolver } from "node:dns/promises";
import { expectedAdvertisements } from "../../src/plan/expected-advertisements";
import type { DeploymentPlan } from "../../src/plan/types";
import { httpsRequest, lookupThrough } from "./https";
import type { CheckResult } from "./report";
import {
  archivedBodies,
  discoInfo,
  openSession,
  requestSlot,
  sendChat,
  type Session,
  softwareVersion,
} from "./xmpp-session";

export interface LoginInput {
  jid: string;
  password: string;
  /** where the client port answers */
  address: string;
  resolver: Resolver;
  ca?: string;
  /** a domain of another XMPP server to reach over server-to-server */
  peer?: string;
}

const WHERE_TITLES: Record<string, string> = {
  server: "disco#info of the domain",
  account: "disco#info of the account",
  stream: "stream features",
  muc: "disco#info of the MUC",
  upload: "disco#info of the upload service",
  proxy65: "disco#info of the file-transfer proxy",
  https: "HTTPS paths",
};

async function advertisedFeatures(
  plan: DeploymentPlan,
  session: Session,
  jid: string,
  input: LoginInput,
): Promise<CheckResult[]> {
  const { spec } = plan;
  const component = (kind: string) => plan.components.find((entry) => entry.kind === kind)?.host;
  const discoCache = new Map<string, Promise<Awaited<ReturnType<typeof discoInfo>>>>();
  const lookup = lookupThrough(input.resolver);
  const seen = async (where: string, feature: string): Promise<boolean> => {
    if (where === "stream") return session.streamFeatures.has(feature);
    if (where === "https") {
      const url = `https://${spec.domain}:${spec.ports.https}${feature}`;
      const response = await httpsRequest(url, { lookup, ...(input.ca ? { ca: input.ca } : {}) });
      return response.status !== 404;
    }
    const to = where === "server" ? spec.domain : where === "account" ? jid : component(where);
    if (to === undefined) return false;
    if (!discoCache.has(to)) discoCache.set(to, discoInfo(session, to));
    const info = await discoCache.get(to)!;
    return feature.startsWith("form:") ? info.forms.has(feature.slice(5)) : info.features.has(feature);
  };
  const results: CheckResult[] = [];
  // The private HTTP port (metrics) is not reachable from outside: it is not checked.
  const entries = expectedAdvertisements(plan).filter((entry) => entry.where !== "http");
  for (const where of Object.keys(WHERE_TITLES)) {
    const group = entries.filter((entry) => entry.where === where);
    if (group.length === 0) continue;
    const wrong: string[] = [];
    let matched = 0;
    for (const entry of group) {
      const found = await seen(where, entry.feature).catch(() => false);
      if (found === entry.expected) matched += 1;
      else if (entry.expected) wrong.push(`${entry.feature} is missing (module ${entry.module} is planned)`);
      else wrong.push(`${entry.feature} is advertised, but module ${entry.module} is not planned`);
    }
    results.push({
      group: "features",
      name: WHERE_TITLES[where] ?? where,
      status: wrong.length > 0 ? "fail" : "pass",
      detail: wrong.length > 0 ? wrong.join("; ") : `${matched} of ${group.length} entries as planned`,
    });
  }
  return results;
}

/** The Prosody version the server runs (XEP-0092), for the report's updates. */
async function serverSoftware(plan: DeploymentPlan, session: Session): Promise<CheckResult> {
  const name = "server software";
  if (!plan.modules.some((module) => module.name === "version")) {
    return { group: "updates", name, status: "skip", detail: "the plan leaves out version, which answers XEP-0092" };
  }
  try {
    const software = await softwareVersion(session, plan.spec.domain);
    return {
      group: "updates",
      name,
      status: "pass",
      detail: `${software.name} ${software.version}${software.os ? ` on ${software.os}` : ""}`,
    };
  } catch (error) {
    return { group: "updates", name, status: "skip", detail: `the server does not say (${(error as Error).message})` };
  }
}

async function archiveRoundTrip(session: Session, jid: string): Promise<CheckResult> {
  const body = `prosody-stack check ${randomBytes(8).toString("hex")}`;
  await sendChat(session, jid, body);
  for (let attempt = 0; attempt < 10; attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    if ((await archivedBodies(session, jid)).includes(body)) {
      return {
        group: "login",
        name: "message archive",
        status: "pass",
        detail: "a message to yourself is in the archive",
      };
    }
  }
  return {
    group: "login",
    name: "message archive",
    status: "fail",
    detail: "a message to yourself did not reach the archive (is mam loaded and storage writable?)",
  };
}

async function uploadRoundTrip(plan: DeploymentPlan, session: Session, input: LoginInput): Promise<CheckResult> {
  const service = plan.components.find((entry) => entry.kind === "upload")?.host;
  const name = "upload slot";
  if (!service) return { group: "login", name, status: "skip", detail: "the plan has no upload service" };
  const content = randomBytes(1024);
  try {
    const slot = await requestSlot(
      session,
      service,
      "prosody-stack-check.bin",
      content.length,
      "application/octet-stream",
    );
    const options = { lookup: lookupThrough(input.resolver), ...(input.ca ? { ca: input.ca } : {}) };
    const put = await httpsRequest(slot.put, {
      ...options,
      method: "PUT",
      headers: {
        ...slot.headers,
        "content-type": "application/octet-stream",
        "content-length": String(content.length),
      },
      body: content,
    });
    if (put.status !== 200 && put.status !== 201) {
      return { group: "login", name, status: "fail", detail: `PUT ${slot.put} answered ${put.status}` };
    }
    const get = await httpsRequest(slot.get, options);
    const same = get.status === 200 && get.body.equals(content);
    return {
      group: "login",
      name,
      status: same ? "pass" : "fail",
      detail: same
        ? `1 KiB uploaded and read back from ${new URL(slot.get).host}`
        : `GET ${slot.get} answered ${get.status}`,
    };
  } catch (error) {
    return { group: "login", name, status: "fail", detail: (error as Error).message };
  }
}

/** Errors our own server returns when it cannot reach the peer: any other answer came from the peer, over s2s. */
const UNREACHABLE = new Set(["remote-server-not-found", "remote-server-timeout"]);

/** A disco#info query to another server's domain: an answer, even an error of the peer's, proves federation. */
async function federationCheck(session: Session, peer: string): Promise<CheckResult> {
  const name = `federation with ${peer}`;
  try {
    await discoInfo(session, peer);
    return { group: "login", name, status: "pass", detail: `${peer} answered disco#info over server-to-server` };
  } catch (error) {
    const condition = (error as { condition?: string }).condition;
    if (condition !== undefined && !UNREACHABLE.has(condition)) {
      return { group: "login", name, status: "pass", detail: `${peer} answered (${condition}) over server-to-server` };
    }
    return {
      group: "login",
      name,
      status: "fail",
      detail: `${peer} was not reached (${condition ?? (error as Error).message}): look for s2s errors in Prosody's log, and at ${peer}'s DNS and certificate`,
    };
  }
}

export async function loginChecks(plan: DeploymentPlan, input: LoginInput): Promise<CheckResult[]> {
  const [username = "", domain = ""] = input.jid.split("@");
  let session: Session;
  try {
    session = await openSession({
      service: `xmpp://${input.address.includes(":") ? `[${input.address}]` : input.address}:${plan.spec.ports.c2s}`,
      domain,
      username,
      password: input.password,
    });
  } catch (error) {
    // The session's message names the account and the server's reason, never the password.
    return [{ group: "login", name: `login as ${input.jid}`, status: "fail", detail: (error as Error).message }];
  }
  try {
    return [
      {
        group: "login",
        name: `login as ${input.jid}`,
        status: "pass",
        detail: `SASL ${session.mechanism ?? "mechanism"} over STARTTLS`,
      },
      ...(await advertisedFeatures(plan, session, input.jid, input)),
      await serverSoftware(plan, session),
      await archiveRoundTrip(session, input.jid),
      await uploadRoundTrip(plan, session, input),
      ...(input.peer === undefined ? [] : [await federationCheck(session, input.peer)]),
    ];
  } finally {
    await session.close();
  }
}
