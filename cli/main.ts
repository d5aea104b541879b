/**
 * `prosody-stack`: what a spec resolves to, without any cloud.
 * Exit codes: 0 success, 1 the spec cannot be resolved, 2 bad command line.
 */
import { findModule } from "../src/catalog";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { planDeployment, resolveModules } from "../src/plan";
import { renderArtifacts } from "../src/render";
import { unknownNameProblem } from "../src/plan/module-lookup";
import { ProblemError } from "../src/common/problems";
import {
  deploymentSpecFromOptions,
  type ParsedCommandLine,
  parseCommandLine,
  specFromOptions,
  UsageError,
} from "./options";
import { complianceText, explainText, resolutionText } from "../src/render/text";
import { planJson, planStack, planText, StackError } from "./plan";

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const defaultIo: Io = {
  stdout: (text) => process.stdout.write(`${text}\n`),
  stderr: (text) => process.stderr.write(`${text}\n`),
};

export const USAGE = `Usage: prosody-stack <command> [options]

Commands:
  modules      the resolved module set, per global section, virtual host and component
  compliance   which XEP-0479 suites and levels the resolved set meets, and what is missing
  explain MOD  everything the catalog knows about one module
  render       prosody.cfg.lua, the container's environment (names only), DNS records
               as zone-file text and the compliance report, from --stack or --spec
  plan         the Pulumi resources the project's program creates for --stack, run
               under Pulumi's mock runtime (no CLI, engine or credentials needed)

Options (modules, compliance):
  --stack NAME          read Pulumi.NAME.yaml (flags below refine it)
  --tier T              personal | community | enterprise (default personal)
  --prosody V           13 | 0.12 (default 13)
  --security --modern --http --admin --beta --alpha
                        switch a toggle on; --no-<toggle> switches it off
  --add a,b             add modules (name or name@placement); repeatable
  --remove c            remove modules; repeatable
  --json                machine-readable output
Options (render):
  --stack NAME | --spec FILE   the spec (Pulumi.NAME.yaml, or a JSON/YAML file)
  --out DIR             write prosody.cfg.lua, environment.txt, dns.zone and
                        compliance.txt there (default: print prosody.cfg.lua)
  --json                print the plan and every artifact as JSON
  (module flags above refine the spec)
Options (plan):
  --stack NAME          the stack (Pulumi.NAME.yaml); secrets show as [secret]
  --json                every resource with type, name, parent, urn and inputs
Options (explain):
  --prosody V           only this version
  --json                machine-readable output`;

function render(positionals: string[], values: ParsedCommandLine["values"], io: Io): void {
  if (positionals.length > 0) throw new UsageError(`render takes no arguments (got ${positionals.join(" ")})`);
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
}

function explain(positionals: string[], values: ParsedCommandLine["values"], io: Io): void {
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
}

const PLAN_OPTIONS: ReadonlySet<string> = new Set(["stack", "json"]);

async function plan(positionals: string[], values: ParsedCommandLine["values"], io: Io): Promise<void> {
  if (positionals.length > 0) throw new UsageError(`plan takes no arguments (got ${positionals.join(" ")})`);
  const other = Object.keys(values).filter((option) => !PLAN_OPTIONS.has(option));
  if (other.length > 0) {
    throw new UsageError(`plan reads everything from the stack file; remove --${other.join(", --")}`);
  }
  if (typeof values.stack !== "string") throw new UsageError("plan needs --stack NAME (e.g. --stack dev)");
  const run = await planStack(values.stack);
  io.stdout(values.json ? JSON.stringify(planJson(run), null, 2) : planText(run));
}

export async function main(argv: readonly string[], io: Io = defaultIo): Promise<number> {
  try {
    const { command, positionals, values } = parseCommandLine(argv);
    if (values.help || command === undefined || command === "help") {
      io.stdout(USAGE);
      return command === undefined && !values.help ? 2 : 0;
    }
    if (command === "render") {
      render(positionals, values, io);
      return 0;
    }
    if (command === "plan") {
      await plan(positionals, values, io);
      return 0;
    }
    if (command === "explain") {
      explain(positionals, values, io);
      return 0;
    }
    if (command !== "modules" && command !== "compliance") throw new UsageError(`unknown command "${command}"`);
    if (positionals.length > 0) throw new UsageError(`${command} takes no arguments (got ${positionals.join(" ")})`);
    const resolution = resolveModules(specFromOptions(values));
    if (values.json) {
      io.stdout(
        JSON.stringify(
          command === "modules"
            ? resolution
            : { prosodyVersion: resolution.prosodyVersion, tier: resolution.tier, ...resolution.compliance },
          null,
          2,
        ),
      );
    } else {
      io.stdout(command === "modules" ? resolutionText(resolution) : complianceText(resolution));
    }
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`prosody-stack: ${error.message}\nRun \`prosody-stack --help\` for usage.`);
      return 2;
    }
    if (error instanceof ProblemError || error instanceof StackError) {
      io.stderr(`prosody-stack: ${error.message}`);
      return 1;
    }
    io.stderr(`prosody-stack: internal error: ${(error as Error).message}`);
    return 70;
  }
}
