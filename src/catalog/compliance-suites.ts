/**
 * XEP-0479 (XMPP Compliance Suites 2023) server requirements, mapped to what
 * provides them in Prosody. Sources: the XEP (https://xmpp.org/extensions/xep-0479.html,
 * v0.1.0), and for the providers Prosody 13's own `prosodyctl check features`
 * (util/prosodyctl/check.lua), `plugins/mod_disco.lua`, `mod_bookmarks.lua`,
 * `mod_vcard_legacy.lua`, `mod_c2s.lua` and `plugins/muc/muc.lib.lua`.
 * A requirement is met when one of its alternatives is fully present.
 */
import type { Placement } from "./types";

export const SUITES = ["core", "web", "im", "mobile", "av"] as const;
export type Suite = (typeof SUITES)[number];
export const LEVELS = ["server", "advanced"] as const;
export type Level = (typeof LEVELS)[number];

/** Facts about the deployment that modules alone do not show. */
export const DEPLOYMENT_FACTS = {
  directTls: "a direct TLS client port (c2s_direct_tls_ports, 5223) with its _xmpps-client SRV record",
  turn: "a TURN server configured (turn_external_host and turn_external_secret)",
} as const;
export type DeploymentFact = keyof typeof DEPLOYMENT_FACTS;

/** A module (on the host unless `on` says otherwise), a deployment fact, or something Prosody always does. */
export type Provision = { module: string; on?: Placement } | { fact: DeploymentFact } | { builtin: string };

export interface Requirement {
  suite: Suite;
  feature: string;
  specs: readonly string[];
  levels: readonly Level[];
  alternatives: readonly (readonly Provision[])[];
}

const both: readonly Level[] = ["server", "advanced"];
const advanced: readonly Level[] = ["advanced"];
const mod = (module: string, on?: Placement): Provision => (on ? { module, on } : { module });

export const REQUIREMENTS: readonly Requirement[] = [
  { suite: "core", feature: "core", specs: ["RFC 6120"], levels: both, alternatives: [[mod("saslauth"), mod("tls")]] },
  { suite: "core", feature: "TLS", specs: ["RFC 7590"], levels: both, alternatives: [[mod("tls")]] },
  {
    suite: "core",
    feature: "direct TLS",
    specs: ["XEP-0368"],
    levels: advanced,
    alternatives: [[{ fact: "directTls" }]],
  },
  { suite: "core", feature: "service discovery", specs: ["XEP-0030"], levels: both, alternatives: [[mod("disco")]] },
  {
    suite: "core",
    feature: "entity capabilities",
    specs: ["XEP-0115"],
    levels: advanced,
    alternatives: [[mod("disco"), mod("pep")]],
  },
  {
    suite: "core",
    feature: "external components",
    specs: ["XEP-0114"],
    levels: both,
    alternatives: [[{ builtin: "Prosody loads its component module for every Component given a component_secret" }]],
  },
  { suite: "core", feature: "personal eventing", specs: ["XEP-0163"], levels: advanced, alternatives: [[mod("pep")]] },
  {
    suite: "web",
    feature: "web connections",
    specs: ["RFC 7395", "XEP-0206"],
    levels: both,
    alternatives: [[mod("websocket")], [mod("bosh")]],
  },
  {
    suite: "im",
    feature: "instant messaging core",
    specs: ["RFC 6121"],
    levels: both,
    alternatives: [[mod("roster")]],
  },
  {
    suite: "im",
    feature: "vcard-temp",
    specs: ["XEP-0054"],
    levels: both,
    alternatives: [[mod("vcard_legacy")], [mod("vcard")]],
  },
  {
    suite: "im",
    feature: "avatar compatibility",
    specs: ["XEP-0398", "XEP-0153"],
    levels: advanced,
    alternatives: [[mod("vcard_legacy")]],
  },
  { suite: "im", feature: "message carbons", specs: ["XEP-0280"], levels: both, alternatives: [[mod("carbons")]] },
  { suite: "im", feature: "blocking", specs: ["XEP-0191"], levels: advanced, alternatives: [[mod("blocklist")]] },
  { suite: "im", feature: "group chat", specs: ["XEP-0045"], levels: both, alternatives: [[mod("muc", "muc")]] },
  {
    suite: "im",
    feature: "advanced group chat",
    specs: ["XEP-0402", "XEP-0313", "XEP-0410"],
    levels: advanced,
    alternatives: [[mod("bookmarks"), mod("muc_mam", "muc")]],
  },
  { suite: "im", feature: "PEP private data", specs: ["XEP-0223"], levels: advanced, alternatives: [[mod("pep")]] },
  {
    suite: "im",
    feature: "private XML storage",
    specs: ["XEP-0049"],
    levels: advanced,
    alternatives: [[mod("private")]],
  },
  { suite: "im", feature: "stream management", specs: ["XEP-0198"], levels: advanced, alternatives: [[mod("smacks")]] },
  { suite: "im", feature: "message history", specs: ["XEP-0313"], levels: advanced, alternatives: [[mod("mam")]] },
  {
    suite: "im",
    feature: "HTTP file upload",
    specs: ["XEP-0363"],
    levels: both,
    alternatives: [[mod("http_file_share", "upload")], [mod("http_upload_external", "upload")]],
  },
  { suite: "mobile", feature: "stream management", specs: ["XEP-0198"], levels: both, alternatives: [[mod("smacks")]] },
  {
    suite: "mobile",
    feature: "client state indication",
    specs: ["XEP-0352"],
    levels: both,
    alternatives: [[mod("csi")]],
  },
  {
    suite: "mobile",
    feature: "push notifications",
    specs: ["XEP-0357"],
    levels: advanced,
    alternatives: [[mod("cloud_notify")]],
  },
  {
    suite: "av",
    feature: "STUN/TURN discovery",
    specs: ["XEP-0215"],
    levels: both,
    alternatives: [[mod("turn_external"), { fact: "turn" }]],
  },
];
