import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../cli/main";

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { stdout: (t) => out.push(t), stderr: (t) => err.push(t) });
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

describe("prosody-stack CLI", () => {
  it("modules --json groups every module under its section with name, source, stability and reason", async () => {
    const { code, stdout } = await run("modules", "--tier", "community", "--prosody", "0.12", "--json");
    assert.equal(code, 0);
    const result = JSON.parse(stdout);
    assert.equal(result.tier, "community");
    assert.equal(result.prosodyVersion, "0.12");
    const ids = result.sections.map((s: { id: string }) => s.id);
    assert.deepEqual(ids, ["global", "host", "muc", "upload", "proxy65"]);
    for (const section of result.sections) {
      for (const module of section.modules) {
        assert.ok(typeof module.name === "string" && module.name.length > 0);
        assert.ok(["core", "community"].includes(module.source));
        assert.ok(["stable", "beta", "alpha"].includes(module.stability));
        assert.ok(typeof module.reason === "string" && module.reason.length > 0);
      }
    }
    assert.ok(result.profile.summary.startsWith(`${result.profile.total} modules`));
    assert.equal(result.compliance.suites.length, 5);
  });

  it("modules reads a stack and applies flags on top", async () => {
    const { stdout } = await run("modules", "--stack", "prod", "--beta", "--json");
    const result = JSON.parse(stdout);
    assert.equal(result.tier, "enterprise");
    assert.equal(result.toggles.beta, true);
  });

  it("prints a readable view with sections, reasons and the profile", async () => {
    const { code, stdout } = await run("modules", "--add", "muc_limits", "--no-security");
    assert.equal(code, 0);
    assert.match(stdout, /^Tier personal on Prosody 13 \(security off,/);
    assert.match(stdout, /MUC component \(groups\.\):\n(.*\n)* {2}muc_limits +community beta +modules\.add/);
    assert.match(stdout, /Stability profile: \d+ modules: core \d+, community stable \d+, beta \d+, alpha \d+/);
  });

  it("explain shows versions, dependencies, options and aliases", async () => {
    const { code, stdout } = await run("explain", "http_file_share");
    assert.equal(code, 0);
    assert.match(stdout, /Prosody 0\.12: core, stable, in the prosody package/);
    assert.match(stdout, /depends on: disco; http — unless externalUploads/);
    assert.match(stdout, /http_file_share_size_limit/);
    assert.match((await run("explain", "cloud_notify")).stdout, /also asked for as: push/);
    const only13 = await run("explain", "vcard_muc", "--prosody", "13");
    assert.equal(only13.code, 0, only13.stderr);
    assert.match(
      only13.stdout,
      /Prosody 13: community, alpha, rocks server\n {4}excluded: built into Prosody 13's muc/,
    );
    assert.doesNotMatch(only13.stdout, /Prosody 0\.12/);
    const badVersion = await run("explain", "mam", "--prosody", "12");
    assert.equal(badVersion.code, 2, "a value a flag does not accept is a bad command line");
    assert.match(
      badVersion.stderr,
      /--prosody \(given "12"\): not one of the accepted values\. Fix: use one of "13", "0\.12"/,
    );
    const json = JSON.parse((await run("explain", "vcard_muc", "--prosody", "13", "--json")).stdout);
    assert.deepEqual(Object.keys(json.versions), ["13"]);
    assert.equal(json.versions["13"].excluded.replacement, "muc");
  });

  it("compliance --json reports suites and requirements", async () => {
    const result = JSON.parse((await run("compliance", "--tier", "personal", "--json")).stdout);
    const im = result.suites.find((s: { suite: string }) => s.suite === "im");
    assert.equal(im.server.met, true);
    assert.ok(result.requirements.some((r: { feature: string; met: boolean }) => r.feature === "group chat" && r.met));
  });

  it("exits 1 with one message and no stack trace on a bad spec; 2 on bad usage", async () => {
    const bad = await run("modules", "--add", "push");
    assert.equal(bad.code, 1);
    assert.equal(bad.stdout, "");
    assert.match(
      bad.stderr,
      /^prosody-stack: the module selection cannot be resolved:\n {2}- modules\.add\[0\] \(given "push"\)/,
    );
    assert.equal((await run("frobnicate")).code, 2);
    assert.equal((await run("modules", "--tier")).code, 2);
    assert.equal((await run("explain")).code, 2);
    assert.equal((await run("explain", "nope")).code, 1);
  });

  it("follows the conventions: --version, COMMAND --help, suggestions, flags each command takes", async () => {
    const version = await run("--version");
    assert.equal(version.code, 0);
    assert.equal(version.stdout, JSON.parse(readFileSync(join(__dirname, "..", "..", "package.json"), "utf8")).version);
    const help = await run("render", "--help");
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: prosody-stack render \[options\]/);
    assert.match(help.stdout, /--out DIR/);
    assert.doesNotMatch(help.stdout, /--prosody V {2,}only this version/);
    assert.equal((await run("help", "explain")).stdout, (await run("explain", "--help")).stdout);
    const general = await run("--help");
    assert.equal(general.code, 0);
    assert.match(
      general.stdout,
      /Exit codes: 0 done, 1 refused .*, 2 bad command line, 3 a check failed, 70 internal error/,
    );

    const typo = await run("modles");
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /unknown command "modles"; did you mean "modules"\?/);
    const flag = await run("modules", "--teir", "community");
    assert.equal(flag.code, 2);
    assert.match(flag.stderr, /unknown option --teir; did you mean --tier\?/);
    const notHere = await run("explain", "muc", "--stack", "dev");
    assert.equal(notHere.code, 2);
    assert.match(notHere.stderr, /explain does not take --stack; remove --stack/);
  });

  it("exits 2 for a stack or spec file that cannot be read, as for any bad argument", async () => {
    const missing = await run("render", "--stack", "nope");
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--stack \(given "nope"\): .*Pulumi\.nope\.yaml does not exist/);
    assert.equal((await run("render", "--spec", "/nonexistent/spec.yaml")).code, 2);
    assert.equal((await run("modules", "--stack", "../etc")).code, 2);
  });

  it("never colours its output: no escape sequence, whatever the terminal", async () => {
    for (const argv of [["modules"], ["compliance"], ["explain", "muc"], ["modules", "--add", "push"], ["--help"]]) {
      const { stdout, stderr } = await run(...argv);
      assert.ok(!`${stdout}${stderr}`.includes("\u001b["), `an escape sequence in ${argv.join(" ")}`);
    }
  });

  it("behaves the same as a real process: exit code, stderr, no stack trace", function () {
    this.timeout(60000);
    const bin = join(__dirname, "..", "..", "bin", "prosody-stack");
    const result = spawnSync(process.execPath, [bin, "modules", "--prosody", "0.12", "--add", "sasl2"], {
      encoding: "utf8",
    });
    assert.equal(result.status, 1);
    assert.equal(result.stdout, "");
    assert.match(result.stderr, /sasl2 is excluded on Prosody 0\.12: works only on Prosody 13/);
    assert.doesNotMatch(result.stderr, /\n\s+at /, "no stack trace");
    const ok = spawnSync(process.execPath, [bin, "compliance", "--tier", "community"], { encoding: "utf8" });
    assert.equal(ok.status, 0);
    assert.match(ok.stdout, /web: server met, advanced met/);
  });

  it("runs the compiled build, and loads no Pulumi SDK for modules, explain, compliance or render", function () {
    this.timeout(120000);
    const root = join(__dirname, "..", "..");
    const bin = join(root, "bin", "prosody-stack");
    // The bin's own check: a stale build is rebuilt before it runs (here, at most once).
    assert.equal(spawnSync(process.execPath, [bin, "--version"], { cwd: root }).status, 0);
    const out = mkdtempSync(join(tmpdir(), "prosody-stack-sdk-"));
    for (const argv of [
      ["modules", "--stack", "dev"],
      ["explain", "muc"],
      ["compliance", "--stack", "prod"],
      ["render", "--stack", "prod", "--out", out],
    ]) {
      const probe = `require("./bin/current-build").ensureCurrentBuild(process.cwd());
        require("./dist/cli/main.js").main(${JSON.stringify(argv)}, { stdout() {}, stderr() {} }).then((code) => {
          const sdks = Object.keys(require.cache).filter((file) => /node_modules[\\/]@pulumi(verse)?[\\/]/.test(file));
          process.stdout.write(JSON.stringify({ code, sdks: sdks.length }));
        });`;
      const result = spawnSync(process.execPath, ["-e", probe], { cwd: root, encoding: "utf8" });
      assert.deepEqual(JSON.parse(result.stdout || "{}"), { code: 0, sdks: 0 }, `${argv.join(" ")}: ${result.stderr}`);
    }
    const plan = spawnSync(
      process.execPath,
      [
        "-e",
        `require("./dist/cli/main.js").main(["plan", "--stack", "dev"], { stdout() {}, stderr() {} }).then(() =>
          process.stdout.write(String(Object.keys(require.cache).some((file) => file.includes("@pulumi")))))`,
      ],
      { cwd: root, encoding: "utf8" },
    );
    assert.equal(plan.stdout, "true", "plan does load the SDK, so the probe above can see one");
  });

  describe("render", () => {
    it("writes the six artifacts of a stack with --out", async () => {
      const out = mkdtempSync(join(tmpdir(), "prosody-stack-render-"));
      const { code, stdout } = await run("render", "--stack", "prod", "--out", out);
      assert.equal(code, 0);
      assert.deepEqual(readdirSync(out).sort(), [
        "compliance.txt",
        "dns.zone",
        "environment.txt",
        "grafana-dashboard.json",
        "prometheus-rules.yml",
        "prosody.cfg.lua",
      ]);
      assert.equal(stdout.split("\n").length, 6);
      assert.match(readFileSync(join(out, "prosody.cfg.lua"), "utf8"), /^VirtualHost "example\.org"$/m);
    });

    it("prints the config of a YAML or JSON spec, with module flags on top", async () => {
      const dir = mkdtempSync(join(tmpdir(), "prosody-stack-spec-"));
      writeFileSync(join(dir, "spec.yaml"), "domain: chat.example.org\nstorage: postgresql\n");
      const { code, stdout } = await run("render", "--spec", join(dir, "spec.yaml"), "--tier", "community");
      assert.equal(code, 0);
      assert.match(stdout, /-- Tier community on Prosody 13\./);
      assert.match(stdout, /driver = "PostgreSQL";/);
    });

    it("names the file, the field, the value and the fix of a bad spec (exit 1)", async () => {
      const dir = mkdtempSync(join(tmpdir(), "prosody-stack-spec-"));
      const file = join(dir, "bad.json");
      writeFileSync(file, JSON.stringify({ domain: "chat.example.org", ports: { https: 5222 } }));
      const { code, stderr } = await run("render", "--spec", file);
      assert.equal(code, 1);
      assert.match(
        stderr,
        /ports\.https \(given 5222\): this port is already taken by another listener \(ports\.c2s\)\. Fix: /,
      );
    });

    it("asks for a spec when none is given (exit 2)", async () => {
      const { code, stderr } = await run("render");
      assert.equal(code, 2);
      assert.match(stderr, /--stack NAME .* or --spec FILE/);
    });
  });

  describe("plan", function () {
    this.timeout(60000);

    it("--json lists every resource of the dev stack with type, name, parent and inputs", async () => {
      const { code, stdout, stderr } = await run("plan", "--stack", "dev", "--json");
      assert.equal(code, 0, stderr);
      const plan = JSON.parse(stdout);
      assert.equal(plan.stack, "dev");
      assert.equal(plan.resources[0].type, "prosodystack:index:ProsodyStack");
      assert.equal(plan.resources[0].parent, null);
      for (const resource of plan.resources.slice(1)) {
        assert.equal(resource.parent, "prosody");
        assert.equal(typeof resource.type, "string");
        assert.equal(typeof resource.inputs, "object");
      }
      const server = plan.resources.find((resource: { name: string }) => resource.name === "prosody-server");
      const key = server.inputs.uploads.find((upload: { file: string }) => upload.file.endsWith(".key"));
      assert.equal(key.content, "[secret]");
      assert.equal(plan.outputs.domain, "localhost");
    });

    it("prints the tree with protection and secrets marked", async () => {
      const { code, stdout } = await run("plan", "--stack", "dev");
      assert.equal(code, 0);
      assert.match(stdout, /^Stack dev: 18 resources/);
      assert.match(stdout, /\n {2}prosody-data {2}docker:index\/volume:Volume {2}\(protected\)\n/);
      assert.match(stdout, /content: \[secret\], file: "\/etc\/prosody\/certs\/localhost\.key"/);
      assert.match(stdout, /\nOutputs:\n {2}domain: "localhost"/);
    });

    it("prints the prod stack's AWS resources offline, stateful ones protected", async () => {
      const { code, stdout } = await run("plan", "--stack", "prod");
      assert.equal(code, 0);
      assert.match(stdout, /^Stack prod: \d+ resources \(Pulumi mock runtime; nothing was deployed\)/);
      assert.match(stdout, /\n {2}prosody-database {2}aws:rds\/instance:Instance {2}\(protected;/);
      assert.match(stdout, /\n {2}prosody-uploads {2}aws:s3\/bucket:Bucket {2}\(protected\)/);
      assert.match(stdout, /\n {2}prosody-server-service {2}aws:ecs\/service:Service/);
      assert.match(stdout, /\n {2}prosody-renewer-service {2}aws:ecs\/service:Service/);
      assert.match(stdout, /password: \[secret\]/);
    });

    it("names the field when the stack asks for something the component cannot build (exit 1)", async () => {
      const folder = mkdtempSync(join(tmpdir(), "prosody-stack-cli-"));
      writeFileSync(
        join(folder, "Pulumi.cloud.yaml"),
        "config:\n  prosody:platform: aws\n  prosody:domain: example.org\n  prosody:uploads: s3\n",
      );
      const home = process.cwd();
      process.chdir(folder);
      try {
        const { code, stderr } = await run("plan", "--stack", "cloud");
        assert.equal(code, 1);
        assert.match(stderr, /storage \(given "sqlite"\): a Fargate task has no lasting disk/);
      } finally {
        process.chdir(home);
      }
    });

    it("plans a stack whose secrets are encrypted, and refuses a secret written in plain text, naming it but not its value", async () => {
      const folder = mkdtempSync(join(tmpdir(), "prosody-stack-cli-"));
      const stack = (password: string) =>
        [
          "config:",
          "  prosody:domain: example.org",
          "  prosody:storage: postgresql",
          '  prosody:protectData: "false"',
          "  prosody:turn: { host: turn.example.org }",
          `  prosody:databasePassword: ${password}`,
          '  prosody:turnSecret: { secure: "v1:AAAA" }',
        ].join("\n");
      writeFileSync(join(folder, "Pulumi.sealed.yaml"), stack('{ secure: "v1:BBBB" }'));
      writeFileSync(join(folder, "Pulumi.short.yaml"), stack("short"));
      const home = process.cwd();
      process.chdir(folder);
      try {
        const sealed = await run("plan", "--stack", "sealed", "--json");
        assert.equal(sealed.code, 0, sealed.stderr);
        const postgres = JSON.parse(sealed.stdout).resources.find(
          (r: { name: string }) => r.name === "prosody-postgres",
        );
        assert.ok(postgres.inputs.envs.includes("[secret]"));
        assert.ok(!sealed.stdout.includes("v1:BBBB") && !sealed.stdout.includes("encrypted-value"));
        assert.equal((await run("render", "--stack", "sealed")).code, 0);
        const short = await run("plan", "--stack", "short");
        assert.equal(short.code, 1);
        assert.match(
          short.stderr,
          /prosody:databasePassword \(given \[hidden\]\): is a secret, but it is written in plain text.*Fix: encrypt it: `pulumi config set --secret prosody:databasePassword`/,
        );
        assert.ok(!short.stderr.includes("short\n") && !/\n\s+at /.test(short.stderr), "no secret, no stack trace");
      } finally {
        process.chdir(home);
      }
    });

    it("needs --stack and nothing else (exit 2)", async () => {
      assert.equal((await run("plan")).code, 2);
      const extra = await run("plan", "--stack", "dev", "--tier", "enterprise");
      assert.equal(extra.code, 2);
      assert.match(extra.stderr, /remove --tier/);
    });
  });
});
