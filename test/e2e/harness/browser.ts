/**
 * Debian's Chromium, driven by playwright-core (never a browser download):
 * headless, in a fresh profile whose certificate store trusts the suite CA
 * (an NSS database in the browser's own HOME, as Chromium on Linux reads it),
 * so pages load over verified HTTPS exactly as from a public CA.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium } from "playwright-core";
import { suiteCa } from "./certs";

/** Debian's package puts its binary here; /usr/bin/chromium is a shell wrapper around it. */
const CHROMIUM = ["/usr/lib/chromium/chromium", "/usr/bin/chromium"].find((path) => existsSync(path));

export const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
];

export interface SuiteBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<SuiteBrowser> {
  if (!CHROMIUM) throw new Error("Chromium is missing. Install it with: sudo scripts/install-e2e-deps.sh");
  const home = mkdtempSync(join(tmpdir(), "prosody-browser-"));
  const nssdb = join(home, ".pki", "nssdb");
  mkdirSync(nssdb, { recursive: true });
  execFileSync("certutil", ["-N", "-d", `sql:${nssdb}`, "--empty-password"]);
  execFileSync("certutil", [
    "-A",
    "-d",
    `sql:${nssdb}`,
    "-n",
    "ProsodyStack e2e CA",
    "-t",
    "C,,",
    "-i",
    suiteCa().cert,
  ]);
  // launchPersistentContext passes the fresh profile as --user-data-dir.
  const context = await chromium.launchPersistentContext(join(home, "profile"), {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    env: { ...process.env, HOME: home },
    viewport: { width: 1280, height: 800 },
  });
  return {
    context,
    close: async () => {
      await context.close().catch(() => undefined);
      rmSync(home, { recursive: true, force: true });
    },
  };
}
