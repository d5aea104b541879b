/**
 * The README, read top to bottom in a clean clone, is true: the offline commands it gives run as
 * written, every other command names a script, npm script or file that exists, the CLI synopsis
 * offers only flags the CLI takes, and every path it names is in the tree.
 */
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../cli/main";
import { COMMAND_FLAGS } from "../../cli/commands";

const ROOT = join(__dirname, "..", "..");
const readme = readFileSync(join(ROOT, "README.md"), "utf8");
const scripts = Object.keys(
  (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts,
);

/** The lines of every sh block but the CLI's synopsis, without comments, split at && into commands. */
const shellCommands = (): string[] =>
  [...readme.matchAll(/```sh\n([\s\S]*?)```/g)]
    .map(([, block]) => block ?? "")
    .filter((block) => !block.startsWith("prosody-stack "))
    .flatMap((block) =>
      block
        .split("\n")
        .map((line) => line.replace(/\s+#.*$/, "").trim())
        .filter((line) => line !== "")
        .flatMap((line) => line.split(" && ").map((command) => command.trim())),
    );

async function cli(argv: string[]): Promise<number> {
  const io = { stdout: () => undefined, stderr: () => undefined };
  return main(argv, io);
}

describe("README.md", function () {
  this.timeout(120_000);

  it("its offline commands run as written", async () => {
    // `check` reaches a deployed server, so it is not an offline command.
    const offline = shellCommands().filter(
      (command) => command.startsWith("npx prosody-stack ") && !command.startsWith("npx prosody-stack check "),
    );
    assert.ok(offline.length >= 2);
    const out = mkdtempSync(join(tmpdir(), "readme-"));
    for (const command of offline) {
      const argv = command
        .replace(/^npx prosody-stack /, "")
        .split(/\s+/)
        .map((word) => (word === "build/dev" ? join(out, "dev") : word));
      assert.equal(await cli(argv), 0, command);
    }
  });

  it("every other command names a program, script, npm script or file that exists", () => {
    // With systemd's and coreutils' own, for the scheduled-update recipe.
    const known = new Set([
      "npm",
      "npx",
      "pulumi",
      "docker",
      "aws",
      "cd",
      "sudo",
      "install",
      "systemctl",
      "loginctl",
      "journalctl",
    ]);
    for (const command of shellCommands()) {
      const words = command.replace(/^[A-Z_]+=\S+ /, "").split(/\s+/);
      const program = words[0] === "sudo" ? (words[1] ?? "") : (words[0] ?? "");
      if (program.includes("/")) {
        assert.ok(existsSync(join(ROOT, program)), `${command}: ${program} does not exist`);
        continue;
      }
      assert.ok(known.has(program), `${command}: unknown program ${program}`);
      const run = command.match(/npm run (\S+)/)?.[1];
      if (run) assert.ok(scripts.includes(run), `${command}: no npm script ${run}`);
    }
    for (const [, name] of readme.matchAll(/npm run ([a-z0-9:-]+)/g)) {
      assert.ok(scripts.includes(name ?? ""), `the README runs npm run ${name}, which package.json lacks`);
    }
  });

  it("its CLI synopsis offers only commands and flags the CLI takes", () => {
    const synopsis = /## The CLI\n\n```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
    const commands = synopsis.split(/\n(?=prosody-stack )/);
    assert.ok(commands.length >= 5);
    for (const entry of commands) {
      const command = /^prosody-stack (\w+)/.exec(entry)?.[1] ?? "";
      const allowed = COMMAND_FLAGS[command];
      assert.ok(allowed, `the synopsis names an unknown command ${command}`);
      for (const [, flag] of entry.matchAll(/--(?:no-)?([a-z]+)/g)) {
        assert.ok(allowed.includes(flag ?? ""), `prosody-stack ${command} does not take --${flag}`);
      }
    }
  });

  it("names only paths that are in the tree, and nothing outside the clone", () => {
    assert.doesNotMatch(readme, /\.\.\/shared|shared\/reference/);
    const tracked = new Set(execFileSync("git", ["ls-files"], { cwd: ROOT, encoding: "utf8" }).split("\n"));
    const roots = /^(src|components|cli|test|scripts|image|gateway|docs|examples|provider|bench|bin)\//;
    const named = [...readme.matchAll(/`([A-Za-z0-9_./-]+)`/g)]
      .map((match) => (match[1] ?? "").replace(/\/$/, ""))
      .filter((path) => roots.test(path) && !path.includes("*"));
    assert.ok(named.length > 20);
    const missing = named.filter(
      (path) => !tracked.has(path) && ![...tracked].some((file) => file.startsWith(`${path}/`)),
    );
    assert.deepEqual(missing, []);
  });
});
