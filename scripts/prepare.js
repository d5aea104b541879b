#!/usr/bin/env node
// npm's prepare: builds what the package runs (dist/ and the gateway bundle) wherever the build
// tools are installed, which npm guarantees for a checkout's `npm ci` and for a git install.
// Without them (`npm ci --omit=dev`) there is nothing to build with, so it says so and stops.
"use strict";
const { execSync } = require("node:child_process");

for (const tool of ["typescript", "esbuild"]) {
  try {
    require.resolve(`${tool}/package.json`);
  } catch {
    console.log(`prosody-stack prepare: ${tool} is not installed (npm ci --omit=dev?); the build is skipped`);
    process.exit(0);
  }
}
execSync("npm run --silent build", { stdio: "inherit" });
