/**
 * Every way to install the package, each into a brand-new project with no
 * self-reference: a tarball (`npm pack`), a git URL, a `file:` path and
 * `npm ci --omit=dev`. Each time the library is imported, a consumer program
 * type-checks against the installed declarations, the installed CLI answers
 * --version and plans the dev stack through the installed program, and
 * @pulumi/aws, an optional peer, is neither installed nor needed, while an
 * AWS stack says how to get it.
 */
import { strict as assert } from "node:assert";
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { IMAGE_SOURCES } from "../../src/containers/images";
import { planDeployment } from "../../src/plan";
import { readStackConfig, stackSpec } from "../../src/schema/stack-file";

const ROOT = join(__dirname, "..", "..");
const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  name: string;
  version: string;
  peerDependencies: Record<string, string>;
};
const NPM = ["--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"];

function run(command: string, args: readonly string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  assert.equal(result.status, 0, `${command} ${args.join(" ")} in ${cwd}:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/** A new project depending on the package by `spec`, as a Docker user would (with the Docker SDK). */
function consumerProject(folder: string, spec: string): string {
  mkdirSync(folder, { recursive: true });
  const fixture = join(ROOT, "test", "fixtures", "consumer");
  writeFileSync(
    join(folder, "package.json"),
    JSON.stringify({
      name: "consumer",
      version: "1.0.0",
      private: true,
      dependencies: { [manifest.name]: spec, "@pulumi/docker": manifest.peerDependencies["@pulumi/docker"] },
    }),
  );
  for (const file of ["index.ts", "tsconfig.json"]) copyFileSync(join(fixture, file), join(folder, file));
  for (const file of ["Pulumi.yaml", "Pulumi.dev.yaml", "Pulumi.prod.yaml"]) {
    copyFileSync(join(ROOT, file), join(folder, file));
  }
  return folder;
}

/** What every installed copy must do. */
function checkInstalled(project: string): void {
  const installed = join(project, "node_modules", ...manifest.name.split("/"));
  assert.ok(existsSync(join(installed, "dist", "index.js")), "the build is installed");
  const exported = run(
    process.execPath,
    [
      "-e",
      `const p = require("${manifest.name}"); const o = require("${manifest.name}/offline");` +
        "console.log(typeof p.ProsodyStack, typeof p.planDeployment, typeof o.planDeployment, typeof o.ProsodyStack);" +
        `try { require("${manifest.name}/dist/src/plan"); } catch (error) { console.log(error.code); }`,
    ],
    project,
  );
  assert.equal(
    exported.trim(),
    "function undefined function undefined\nERR_PACKAGE_PATH_NOT_EXPORTED",
    "each entry exports its own names, and nothing else of the package can be required",
  );
  const tsc = require.resolve("typescript/bin/tsc");
  run(process.execPath, [tsc, "-p", "."], project);
  // Pulumi's TypeScript template resolves modules the older way, which reads typesVersions, not exports.
  run(process.execPath, [tsc, "-p", ".", "--module", "commonjs", "--moduleResolution", "node10"], project);
  assert.equal(run("npx", ["prosody-stack", "--version"], project).trim(), manifest.version);
  const plan = JSON.parse(run("npx", ["prosody-stack", "plan", "--stack", "dev", "--json"], project)) as {
    resources: { name: string }[];
  };
  assert.ok(
    plan.resources.some((resource) => resource.name === "prosody-server"),
    "the dev stack plans",
  );

  assert.ok(!existsSync(join(project, "node_modules", "@pulumi", "aws")), "a Docker user gets no AWS SDK");
  const aws = spawnSync("npx", ["prosody-stack", "plan", "--stack", "prod"], { cwd: project, encoding: "utf8" });
  assert.equal(aws.status, 1, aws.stderr);
  assert.match(
    aws.stderr,
    /platform \(given "aws"\): this needs the Pulumi SDK @pulumi\/aws.* Fix: npm install @pulumi\/aws@/,
  );

  const copies = run("npm", ["ls", "@pulumi/pulumi", "--all", "--parseable"], project).trim().split("\n");
  assert.deepEqual([...new Set(copies)].length, 1, `one copy of the Pulumi SDK, not ${copies.join(", ")}`);
  assert.ok(!existsSync(join(installed, "dist", "index.js.map")), "no source maps pointing at unshipped sources");
}

describe("installing the package", function () {
  let work: string;
  let clone: string;
  let tarball: string;

  before(() => {
    work = mkdtempSync(join(tmpdir(), "prosody-stack-install-"));
    clone = join(work, "clone");
    execFileSync("git", ["clone", "--quiet", ROOT, clone]);
    tarball = join(
      work,
      run("npm", ["pack", "--silent", "--pack-destination", work], ROOT).trim().split("\n").pop() ?? "",
    );
  });

  after(() => rmSync(work, { recursive: true, force: true }));

  it("ships what runs and nothing else", () => {
    const listing = run("tar", ["-tzf", tarball], work).split("\n");
    for (const shipped of [
      "package/LICENSE",
      "package/dist/index.js",
      "package/dist/cli/main.js",
      "package/image/Dockerfile",
      "package/image/webclient/index.html",
      "package/image/webclient/converse/converse.min.js",
      "package/gateway/dist/gateway.js",
      "package/bin/prosody-stack",
      "package/policy/PulumiPolicy.yaml",
      "package/policy/index.js",
      "package/dist/components/policy/pack.js",
    ]) {
      assert.ok(listing.includes(shipped), `the tarball lacks ${shipped}`);
    }
    // What the component builds each image from (src/containers/images.ts), for a stack that runs every container.
    const plan = planDeployment(stackSpec(readStackConfig("dev", ROOT)));
    for (const source of Object.values(IMAGE_SOURCES).map((of) => of(plan))) {
      for (const file of source.files ?? []) {
        const shipped = `package/${source.folder}/${file}`;
        assert.ok(
          listing.includes(shipped),
          `the tarball lacks ${shipped}, which the ${source.folder} image is built from`,
        );
      }
    }
    const unwanted = listing.filter((entry) =>
      /\.map$|^package\/(test|src|components|cli|scripts|bench)\//.test(entry),
    );
    assert.deepEqual(unwanted, []);
  });

  it("from a tarball", () => {
    const project = consumerProject(join(work, "tarball"), `file:${tarball}`);
    run("npm", ["install", ...NPM], project);
    checkInstalled(project);
  });

  it("from a git URL (npm builds it with prepare)", () => {
    const project = consumerProject(join(work, "git"), `git+file://${clone}`);
    run("npm", ["install", ...NPM], project);
    checkInstalled(project);
  });

  it("from a file: path to a checkout set up with npm ci, installed as a copy", () => {
    run("npm", ["ci", ...NPM], clone);
    const project = consumerProject(join(work, "file"), `file:${clone}`);
    run("npm", ["install", "--install-links", ...NPM], project);
    checkInstalled(project);
  });

  it("with npm ci --omit=dev in the consumer", () => {
    const project = consumerProject(join(work, "omit-dev"), `file:${tarball}`);
    run("npm", ["install", "--package-lock-only", ...NPM], project);
    run("npm", ["ci", "--omit=dev", ...NPM], project);
    checkInstalled(project);
  });

  it("in a checkout with npm ci --omit=dev: prepare skips the build and says why", () => {
    const output = run("npm", ["ci", "--omit=dev", ...NPM], clone);
    assert.match(output, /(typescript|esbuild) is not installed .*the build is skipped/);
  });
});
