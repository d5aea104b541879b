"use strict";
// The build a checkout runs is always its sources' build. `npm run build` writes a fingerprint of
// the sources it compiled (dist/.sources); before running anything from dist/, the CLI and the
// Pulumi program compare it with the sources as they are, and rebuild when they differ, so a stale
// build never runs. An installed package has no sources: its dist/ is what was packed.
const { execFileSync } = require("node:child_process");
const { createHash } = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

/** What `tsc -p tsconfig.build.json`, the gateway bundle and the backup runner bundle read. */
const SOURCE_FOLDERS = ["common", "cli", "src", "components", "gateway/src", "backup/src", "renewer/src"];
const SOURCE_FILES = [
  "index.ts",
  "offline.ts",
  "program.ts",
  "image/contract.ts",
  "tsconfig.json",
  "tsconfig.build.json",
  "package.json",
];
const STAMP = path.join("dist", ".sources");
const LOCK = path.join("dist.lock");

function files(root, folder) {
  const found = [];
  for (const entry of fs.readdirSync(path.join(root, folder), { withFileTypes: true })) {
    const relative = path.join(folder, entry.name);
    if (entry.isDirectory()) found.push(...files(root, relative));
    else if (entry.name.endsWith(".ts")) found.push(relative);
  }
  return found;
}

/** A digest of every source file, by path and content. */
function fingerprint(root) {
  const hash = createHash("sha256");
  const all = [...SOURCE_FOLDERS.flatMap((folder) => files(root, folder)), ...SOURCE_FILES].sort();
  for (const file of all)
    hash
      .update(`${file}\0`)
      .update(fs.readFileSync(path.join(root, file)))
      .update("\0");
  return hash.digest("hex");
}

const isCheckout = (root) => fs.existsSync(path.join(root, "cli", "main.ts"));

/** Writes the fingerprint of the sources dist/ was just built from (the last step of `npm run build`). */
function stampBuild(root) {
  fs.writeFileSync(path.join(root, STAMP), `${fingerprint(root)}\n`);
}

const current = (root) => {
  try {
    return fs.readFileSync(path.join(root, STAMP), "utf8").trim() === fingerprint(root);
  } catch {
    return false;
  }
};

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Rebuilds dist/ when the checkout's sources changed since it was built; one process builds at a time. */
function ensureCurrentBuild(root) {
  if (!isCheckout(root) || current(root)) return;
  try {
    require.resolve("typescript/package.json", { paths: [root] });
  } catch {
    process.stderr.write(`prosody-stack: dist/ is not the build of these sources. Fix: run \`npm ci\` in ${root}\n`);
    process.exit(70);
  }
  const lock = path.join(root, LOCK);
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`prosody-stack: ${lock} stays; remove it if no build is running`);
      sleep(200);
    }
  }
  try {
    if (current(root)) return;
    process.stderr.write("prosody-stack: the sources changed since the last build; building (npm run build)\n");
    execFileSync("npm", ["run", "--silent", "build"], { cwd: root, stdio: ["ignore", 2, 2] });
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

module.exports = { ensureCurrentBuild, stampBuild };

if (require.main === module && process.argv[2] === "--stamp") stampBuild(path.join(__dirname, ".."));
