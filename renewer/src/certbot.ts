/**
 * One issuance with certbot (Debian's, with its Route53 and Cloudflare
 * plugins): the ACME account, the order, the DNS-01 challenge's TXT record
 * published and removed through the DNS provider, the key and the chain.
 * Everything certbot does well is left to it; this file only says what to ask
 * for and where certbot keeps its files, and reads back what it wrote.
 */
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { RenewerConfig } from "./config";

/** certbot's name for the certificate, and so its folder under live/. */
const CERT_NAME = "prosody-stack";
/** An issuance that takes longer has hung (DNS that never answers, a stuck ACME server). */
const TIMEOUT_MS = 15 * 60 * 1000;

export interface IssuedPair {
  chain: string;
  key: string;
}

/** certbot's command line for one issuance of `config.domains` into `state`. */
export function certbotArguments(config: RenewerConfig, state: string, credentials?: string): string[] {
  return [
    "certonly",
    "--non-interactive",
    "--agree-tos",
    // Let's Encrypt sends no expiry mail any more; the renewer's own health says when renewing fails.
    "--register-unsafely-without-email",
    "--server",
    config.directory,
    "--config-dir",
    join(state, "config"),
    "--work-dir",
    join(state, "work"),
    "--logs-dir",
    join(state, "logs"),
    "--cert-name",
    CERT_NAME,
    "--key-type",
    "ecdsa",
    "--elliptic-curve",
    "secp256r1",
    // The renewer decides when to renew (from the certificate actually served), not certbot.
    "--force-renewal",
    ...(config.dnsProvider === "route53"
      ? ["--dns-route53"]
      : [
          "--dns-cloudflare",
          "--dns-cloudflare-credentials",
          credentials ?? "",
          "--dns-cloudflare-propagation-seconds",
          "30",
        ]),
    ...config.domains.flatMap((domain) => ["-d", domain]),
  ];
}

function run(command: string, args: readonly string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), TIMEOUT_MS);
    child.on("error", (error) => {
      clearTimeout(timer);
      resolve({ code: null, output: error.message });
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** certbot's own account of a failure: its lines that say what went wrong, without the noise around them. */
export function failureReason(output: string): string {
  const lines = output
    .split("\n")
    .map((line) => line.trim())
    .filter(
      (line) => line !== "" && !/^(Saving debug log|Ask for help|See the logfile|Requesting a certificate)/.test(line),
    );
  const telling = lines.filter((line) =>
    /error|fail|unable|refused|timeout|timed out|detail|problem|rate ?limit/i.test(line),
  );
  return (telling.length > 0 ? telling : lines).slice(-4).join(" ") || "certbot said nothing";
}

/** Issues a certificate for every host of the config; certbot's folders live in `state`. */
export async function issue(config: RenewerConfig, state: string): Promise<IssuedPair> {
  mkdirSync(state, { recursive: true, mode: 0o700 });
  let credentials: string | undefined;
  if (config.dnsProvider === "cloudflare") {
    credentials = join(state, "cloudflare.ini");
    writeFileSync(credentials, `dns_cloudflare_api_token = ${config.cloudflareToken ?? ""}\n`, { mode: 0o600 });
  }
  try {
    const { code, output } = await run("certbot", certbotArguments(config, state, credentials));
    if (code !== 0) throw new Error(`certbot failed (exit ${code ?? "killed"}): ${failureReason(output)}`);
  } finally {
    if (credentials) rmSync(credentials, { force: true });
  }
  const live = join(state, "config", "live", CERT_NAME);
  return {
    chain: readFileSync(join(live, "fullchain.pem"), "utf8"),
    key: readFileSync(join(live, "privkey.pem"), "utf8"),
  };
}
