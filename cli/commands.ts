/**
 * The commands of `prosody-stack`, as data: what each does, the options it
 * takes, its help text, and the function that runs it. main.ts parses,
 * dispatches and maps refusals to exit codes.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { findModule } from "../src/catalog";
import { ProblemError } from "../common/problems";
import { planDeployment, resolveModules } from "../src/plan";
import { unknownNameProblem } from "../src/plan/module-lookup";
import { renderArtifacts } from "../src/render";
import { complianceText, explainText, resolutionText } from "../src/render/text";
import { deploymentSpecFromOptions, MODULE_FLAGS, specFromOptions, UsageError } from "./options";
import { planJson, planStack, planText } from "./plan";
import { checkCommand } from "./check/command";
import type { Command, Values } from "./command";
import { restoreCommand } from "./restore";

const STACK_OR_FLAGS: readonly (readonly [string, string])[] = [
  ["--stack NAME", "read Pulumi.NAME.yaml (the flags below refine it)"],
  ["--tier T", "personal | community | enterprise (default personal)"],
  ["--prosody V", "13 | 0.12 (default 13)"],
  ["--security --modern --http --admin --beta --alpha", "switch a toggle on; --no-<toggle> switches it off"],
  ["--add a,b", "add modules (name or name@placement); repeatable"],
  ["--remove c", "remove modules; repeatable"],
  ["--json", "machine-readable output"],
];

const noArguments = (name: string, positionals: readonly string[]): void => {
  if (positionals.length > 0) throw new UsageError(`${name} takes no arguments (got ${positionals.join(" ")})`);
};

function resolution(values: Values) {
  return resolveModules(specFromOptions(values));
}

export const COMMANDS: Record<string, Command> = {
  modules: {
    summary: "the resolved module set, per global section, virtual host and component",
    flags: ["stack", "json", ...MODULE_FLAGS],
    options: STACK_OR_FLAGS,
    run(positionals, values, io) {
      noArguments("modules", positionals);
      const resolved = resolution(values);
      io.stdout(values.json ? JSON.stringify(resolved, null, 2) : resolutionText(resolved));
    },
  },
  compliance: {
    summary: "which XEP-0479 suites and levels the resolved set meets, and what is missing",
    flags: ["stack", "json", ...MODULE_FLAGS],
    options: STACK_OR_FLAGS,
    run(positionals, values, io) {
      noArguments("compliance", positionals);
      const resolved = resolution(values);
      const report = { prosodyVersion: resolved.prosodyVersion, tier: resolved.tier, ...resolved.compliance };
      io.stdout(values.json ? JSON.stringify(report, null, 2) : complianceText(resolved));
    },
  },
  explain: {
    summary: "everything the catalog knows about one module",
    arguments: "MODULE",
    flags: ["prosody", "json"],
    options: [
      ["--prosody V", "only this version"],
      ["--json", "machine-readable output"],
    ],
    run(positionals, values, io) {
      const [name, ...extra] = positionals;
      if (name === undefined || extra.length > 0) throw new UsageError("explain takes exactly one module name");
      const record = findModule(name);
      if (record === undefined) throw new ProblemError([unknownNameProblem(name, "MODULE")], "unknown module");
      // The same schema as every other command checks --prosody.
      const version =
        values.prosody === undefined ? undefined : specFromOptions({ prosody: values.prosody }).prosodyVersion;
      if (values.json) {
        const versions = version === undefined ? record.versions : { [version]: record.versions[version] };
        io.stdout(JSON.stringify({ ...record, versions }, null, 2));
      } else {
        io.stdout(explainText(record, version === undefined ? undefined : [version]));
      }
    },
  },
  render: {
    summary:
      "prosody.cfg.lua, the container's environment (names only), DNS records as zone-file text and the compliance report, from --stack or --spec",
    flags: ["stack", "spec", "out", "json", ...MODULE_FLAGS],
    options: [
      ["--stack NAME | --spec FILE", "the spec (Pulumi.NAME.yaml, or a JSON/YAML file)"],
      [
        "--out DIR",
        "write prosody.cfg.lua, environment.txt, dns.zone, compliance.txt, prometheus-rules.yml and grafana-dashboard.json there (default: print prosody.cfg.lua)",
      ],
      ["--json", "print the plan and every artifact as JSON"],
      ["(module flags)", "--tier, --prosody, the toggles, --add and --remove refine the spec"],
    ],
    run(positionals, values, io) {
      noArguments("render", positionals);
      const plan = planDeployment(deploymentSpecFromOptions(values));
      const artifacts = renderArtifacts(plan);
      const out = values.out as string | undefined;
      if (out !== undefined) {
        mkdirSync(out, { recursive: true });
        for (const [name, text] of Object.entries(artifacts)) writeFileSync(join(out, name), text);
        io.stdout(
          Object.keys(artifacts)
            .map((name) => join(out, name))
            .join("\n"),
        );
      }
      if (values.json) {
        const { spec, ...rest } = plan;
        io.stdout(JSON.stringify({ spec, plan: rest, artifacts }, null, 2));
      } else if (out === undefined) {
        io.stdout(artifacts["prosody.cfg.lua"]?.trimEnd() ?? "");
      }
      for (const warning of plan.warnings) io.stderr(`warning: ${warning}`);
    },
  },
  plan: {
    summary:
      "the Pulumi resources the project's program creates for --stack, run under Pulumi's mock runtime (no CLI, engine or credentials needed)",
    flags: ["stack", "json"],
    options: [
      ["--stack NAME", "the stack (Pulumi.NAME.yaml); secrets show as [secret]"],
      ["--json", "every resource with type, name, parent, urn and inputs"],
    ],
    async run(positionals, values, io) {
      noArguments("plan", positionals);
      if (typeof values.stack !== "string") throw new UsageError("plan needs --stack NAME (e.g. --stack dev)");
      const run = await planStack(values.stack);
      io.stdout(values.json ? JSON.stringify(planJson(run), null, 2) : planText(run));
    },
  },
  check: checkCommand,
  restore: restoreCommand,
};

/** The flags each command takes. */
export const COMMAND_FLAGS: Record<string, readonly string[]> = Object.fromEntries(
  Object.entries(COMMANDS).map(([name, command]) => [name, command.flags]),
);
