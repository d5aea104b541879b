"use strict";
// The Pulumi program of Pulumi.yaml: the compiled program.ts, which a checkout rebuilds first when
// its sources changed, so `pulumi up` starts without compiling TypeScript.
const path = require("node:path");
require("./current-build").ensureCurrentBuild(path.join(__dirname, ".."));
module.exports = require("../dist/program.js");
