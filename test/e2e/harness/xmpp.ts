/**
 * The suite's XMPP client: the product's session (cli/check/xmpp-session.ts)
 * on the suite's loopback client port, verifying the server certificate
 * against the suite CA (NODE_EXTRA_CA_CERTS).
 */
import { openSession, type Session } from "../../../cli/check/xmpp-session";
import { PORTS } from "./server";

export {
  archivedBodies,
  changePassword,
  discoInfo,
  openSession,
  type DiscoInfo,
  requestSlot,
  sendChat,
  type Session,
  type UploadSlot,
} from "../../../cli/check/xmpp-session";

export const login = (domain: string, username: string, password: string): Promise<Session> =>
  openSession({ service: `xmpp://127.0.0.1:${PORTS.c2s}`, domain, username, password, resource: "e2e" });
