/**
 * Trust for a CA that exists only once the suite runs (pebble makes a new root
 * at every start), where NODE_EXTRA_CA_CERTS, read when Node starts, cannot
 * hold it. xmpp.js takes no TLS options of ours, so while a test needs it,
 * every TLS connection this process opens without a CA of its own verifies
 * against Node's roots, the suite CA and these roots. Verification itself is
 * Node's, as always.
 */
import { readFileSync } from "node:fs";
import tls from "node:tls";
import { suiteCa } from "./certs";

/** Trusts `roots` as well, until the returned function is called. */
export function trustAlso(roots: readonly string[]): () => void {
  const connect = tls.connect;
  const ca = [...tls.rootCertificates, readFileSync(suiteCa().cert, "utf8"), ...roots];
  const patched = ((...args: unknown[]) => {
    const [first] = args;
    if (typeof first === "object" && first !== null) {
      const options = first as tls.ConnectionOptions;
      if (options.ca === undefined && options.secureContext === undefined) args[0] = { ...options, ca };
    }
    return (connect as (...given: unknown[]) => tls.TLSSocket)(...args);
  }) as typeof tls.connect;
  tls.connect = patched;
  return () => {
    tls.connect = connect;
  };
}
