#!/usr/bin/env node
// Copies what the web client needs from the npm package converse.js (pinned in
// package-lock.json) into image/webclient/converse/, which the image serves:
// nothing is fetched from a CDN at run time. Run by `npm run build` and before tests.
"use strict";
const { cpSync, existsSync, mkdirSync, rmSync } = require("node:fs");
const { join } = require("node:path");

const root = join(__dirname, "..");
const target = join(root, "image", "webclient", "converse");
// The package's exports name no package.json: find its folder the way Node looks for packages.
const source = (require.resolve.paths("converse.js") ?? [])
  .map((folder) => join(folder, "converse.js"))
  .find((folder) => existsSync(join(folder, "package.json")));
if (!source) {
  console.error("webclient-assets: the npm package converse.js is not installed. Fix: npm ci");
  process.exit(1);
}
// The client in English, with OMEMO's library, without source maps: what the page loads.
const FILES = [
  "dist/converse.min.js",
  "dist/converse.min.css",
  "dist/libomemo.esm.min.js",
  "dist/curve25519_compiled.wasm",
  "dist/emoji.json",
  "dist/images",
  "dist/webfonts",
  "dist/sounds",
  "LICENSE",
];
rmSync(target, { recursive: true, force: true });
mkdirSync(target, { recursive: true });
for (const file of FILES) {
  const from = join(source, file);
  if (!existsSync(from)) {
    console.error(`webclient-assets: ${from} is missing from converse.js`);
    process.exit(1);
  }
  cpSync(from, join(target, file.replace(/^dist\//, "")), { recursive: true });
}
