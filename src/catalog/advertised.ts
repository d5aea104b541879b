/**
 * What a module makes the server advertise, and where a client sees it. The
 * e2e suite checks every entry both ways against real Prosody: advertised when
 * the plan loads the module, absent when it does not.
 */
export type AdvertisedWhere =
  /** disco#info of the virtual host */
  | "server"
  /** disco#info of a user's bare JID */
  | "account"
  /** <stream:features>, before or after authentication, SASL2 inline features included */
  | "stream"
  /** disco#info of the MUC component */
  | "muc"
  /** disco#info of the upload component */
  | "upload"
  /** disco#info of the proxy65 component */
  | "proxy65"
  /** an HTTP path on the HTTPS port (metrics: on the private HTTP port) */
  | "https"
  | "http";

export interface Advertisement {
  module: string;
  where: AdvertisedWhere;
  /** a disco feature, a stream feature namespace, a data form FORM_TYPE (prefixed "form:") or an HTTP path */
  feature: string;
}

const on = (where: AdvertisedWhere, entries: Record<string, string>): Advertisement[] =>
  Object.entries(entries).map(([module, feature]) => ({ module, where, feature }));

export const ADVERTISEMENTS: readonly Advertisement[] = [
  ...on("server", {
    carbons: "urn:xmpp:carbons:2",
    blocklist: "urn:xmpp:blocking",
    vcard_legacy: "vcard-temp",
    version: "jabber:iq:version",
    uptime: "jabber:iq:last",
    time: "urn:xmpp:time",
    ping: "urn:xmpp:ping",
    private: "jabber:iq:private",
    register: "jabber:iq:register",
    spam_reporting: "urn:xmpp:reporting:1",
    external_services: "urn:xmpp:extdisco:2",
    server_contact_info: "form:http://jabber.org/network/serverinfo",
  }),
  ...on("account", {
    mam: "urn:xmpp:mam:2",
    cloud_notify: "urn:xmpp:push:0",
    pep: "http://jabber.org/protocol/pubsub",
    bookmarks: "urn:xmpp:bookmarks:1#compat",
    vcard4: "urn:ietf:params:xml:ns:vcard-4.0",
  }),
  ...on("stream", {
    tls: "urn:ietf:params:xml:ns:xmpp-tls",
    smacks: "urn:xmpp:sm:3",
    csi: "urn:xmpp:csi:0",
    sasl2: "urn:xmpp:sasl:2",
    sasl2_fast: "urn:xmpp:fast:0",
    roster: "urn:xmpp:features:rosterver",
  }),
  ...on("muc", { muc: "http://jabber.org/protocol/muc", muc_mam: "urn:xmpp:mam:2" }),
  ...on("upload", { http_file_share: "urn:xmpp:http:upload:0" }),
  ...on("proxy65", { proxy65: "http://jabber.org/protocol/bytestreams" }),
  ...on("https", {
    bosh: "/http-bind",
    websocket: "/xmpp-websocket",
    http_altconnect: "/.well-known/host-meta",
  }),
  ...on("http", { http_openmetrics: "/metrics" }),
];
