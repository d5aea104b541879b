/**
 * Golden files: what the project renders and plans, committed so that a diff
 * shows what a change does to a real server. Each comes from the CLI itself,
 * run in-process exactly as a user runs it (from the project folder).
 *   npm run golden            rewrite test/golden/
 *   npm run golden -- --check exit 1 when a file differs (the unit suite checks the same)
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { PROSODY_VERSIONS } from "../src/catalog";
import { TIERS } from "../src/catalog/tiers";
import { main } from "../cli/main";
import "../test/support/build-time";

export const GOLDEN_DIR = join(__dirname, "..", "test", "golden");

async function cli(...argv: string[]): Promise<string> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { stdout: (text) => out.push(text), stderr: (text) => err.push(text) });
  if (code !== 0) throw new Error(`prosody-stack ${argv.join(" ")} exited ${code}: ${err.join("\n")}`);
  return `${out.join("\n")}\n`;
}

const artifacts = async (...argv: string[]): Promise<Record<string, string>> =>
  (JSON.parse(await cli("render", ...argv, "--json")) as { artifacts: Record<string, string> }).artifacts;

/** Every golden file, by its path under test/golden/. */
export async function goldenFiles(): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const tier of TIERS) {
    for (const version of PROSODY_VERSIONS) {
      const rendered = await artifacts("--stack", "dev", "--tier", tier, "--prosody", version);
      files[`config/${tier}-${version}.cfg.lua`] = rendered["prosody.cfg.lua"] ?? "";
    }
  }
  for (const stack of ["dev", "prod", "k8s"]) {
    const rendered = await artifacts("--stack", stack);
    files[`config/${stack}.cfg.lua`] = rendered["prosody.cfg.lua"] ?? "";
    files[`zone/${stack}.zone`] = rendered["dns.zone"] ?? "";
    files[`plan/${stack}.json`] = await cli("plan", "--stack", stack, "--json");
  }
  return files;
}

/** The golden files whose committed text differs from what the project produces now. */
export async function staleGoldenFiles(): Promise<string[]> {
  const stale: string[] = [];
  for (const [path, text] of Object.entries(await goldenFiles())) {
    let committed: string | undefined;
    try {
      committed = readFileSync(join(GOLDEN_DIR, path), "utf8");
    } catch {
      committed = undefined;
    }
    if (committed !== text) stale.push(path);
  }
  return stale;
}

async function run(argv: readonly string[]): Promise<number> {
  if (argv.includes("--check")) {
    const stale = await staleGoldenFiles();
    for (const path of stale) process.stderr.write(`test/golden/${path} differs from what the project produces\n`);
    return stale.length === 0 ? 0 : 1;
  }
  for (const [path, text] of Object.entries(await goldenFiles())) {
    const file = join(GOLDEN_DIR, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    process.stdout.write(`test/golden/${path}\n`);
  }
  return 0;
}

if (require.main === module) {
  run(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
