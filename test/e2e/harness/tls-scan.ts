/**
 * A TLS listener as Debian's sslscan sees it: the protocol versions it accepts
 * and every cipher suite it agrees to, after STARTTLS where the port needs it.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

export interface TlsScan {
  /** accepted protocol versions, e.g. ["TLSv1.2", "TLSv1.3"] */
  protocols: string[];
  /** "TLSv1.3 TLS_AES_256_GCM_SHA384", strongest first as sslscan lists them */
  ciphers: string[];
}

export interface ScanTarget {
  port: number;
  /** the host name sent as SNI (and as the stream's `to` after STARTTLS) */
  host: string;
  starttls?: "xmpp-client" | "xmpp-server";
}

/** Suites no listener may offer: null, anonymous, export, RC4, DES/3DES, MD5 MACs. */
export const WEAK_CIPHER = /NULL|anon|ADH|AECDH|EXP|RC4|DES|MD5/;
/** The versions no listener may accept. */
export const OLD_PROTOCOLS = ["SSLv2", "SSLv3", "TLSv1.0", "TLSv1.1"];

/**
 * Runs sslscan with `host` resolving to 127.0.0.1: sslscan's STARTTLS names the
 * stream's `to` after its target, and Prosody answers host-unknown to an address.
 * The name lives in a private mount namespace's /etc/hosts, so the machine's stays untouched.
 */
async function sslscan(host: string, args: readonly string[]): Promise<string> {
  const folder = mkdtempSync(join(tmpdir(), "sslscan-"));
  const hosts = join(folder, "hosts");
  writeFileSync(hosts, `127.0.0.1 localhost ${host}\n`);
  try {
    // Asynchronous: a port the suite forwards in this process (docker-replay.ts) needs its event loop.
    return await promisify(execFile)(
      "unshare",
      [
        "--mount",
        "--propagation",
        "private",
        "sh",
        "-c",
        'mount --bind "$0" /etc/hosts && exec sslscan "$@"',
        hosts,
        ...args,
      ],
      { encoding: "utf8", timeout: 120_000 },
    ).then((result) => result.stdout);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

export async function scanTls({ port, host, starttls }: ScanTarget): Promise<TlsScan> {
  const xml = await sslscan(host, [
    "--no-colour",
    "--xml=-",
    "--no-heartbleed",
    "--no-groups",
    "--no-check-certificate",
    `--sni-name=${host}`,
    ...(starttls ? ["--starttls-xmpp", ...(starttls === "xmpp-server" ? ["--xmpp-server"] : [])] : []),
    `${host}:${port}`,
  ]);
  const attributes = (tag: string) =>
    Object.fromEntries([...tag.matchAll(/(\w+)="([^"]*)"/g)].map((match) => [match[1], match[2]]));
  const protocols = [...xml.matchAll(/<protocol [^>]*\/>/g)]
    .map((match) => attributes(match[0]))
    .filter((protocol) => protocol.enabled === "1")
    .map((protocol) => `${protocol.type === "ssl" ? "SSLv" : "TLSv"}${protocol.version}`);
  const ciphers = [...xml.matchAll(/<cipher [^>]*\/>/g)]
    .map((match) => attributes(match[0]))
    .filter((cipher) => cipher.status === "accepted" || cipher.status === "preferred")
    .map((cipher) => `${cipher.sslversion} ${cipher.cipher}`);
  if (protocols.length === 0 && ciphers.length === 0)
    throw new Error(`sslscan found no TLS on port ${port} (${starttls ?? "direct TLS"}):\n${xml.slice(0, 3000)}`);
  return { protocols, ciphers };
}

/** What a scan shows that no listener may offer, empty when none. */
export function weaknesses(scan: TlsScan): string[] {
  return [
    ...scan.protocols.filter((protocol) => OLD_PROTOCOLS.includes(protocol)),
    ...scan.ciphers.filter((cipher) => WEAK_CIPHER.test(cipher.split(" ")[1] ?? "")),
  ];
}
