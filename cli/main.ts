/**
 * `prosody-stack`: what a spec resolves to and what it would deploy, without any cloud.
 * It never colours its output, so NO_COLOR and pipes get the same plain text.
 */
import { closestWord } from "../common/closest";
import { ProblemError } from "../common/problems";
import { packageManifest } from "../components/package-files";
import { INVALID_ARGUMENTS } from "../src/schema/spec-file";
import type { Command, Io } from "./command";
import { COMMAND_FLAGS, COMMANDS } from "./commands";
import { parseCommandLine, UsageError } from "./options";
import { EXIT } from "./exit-codes";
import { StackError } from "./plan";

export { EXIT } from "./exit-codes";

const defaultIo: Io = {
  stdout: (text) => process.stdout.write(`${text}\n`),
  stderr: (text) => process.stderr.write(`${text}\n`),
};

const column = (entries: readonly (readonly [string, string])[], width: number): string[] =>
  entries.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`);

export const USAGE = [
  "Usage: prosody-stack <command> [options]",
  "       prosody-stack <command> --help     the command's options",
  "       prosody-stack --version",
  "",
  "Commands:",
  ...column(
    Object.entries(COMMANDS).map(([name, command]) => [
      `${name}${command.arguments ? ` ${command.arguments}` : ""}`,
      command.summary,
    ]),
    14,
  ),
  "",
  "Exit codes: 0 done, 1 refused (each problem names the field and the fix), 2 bad command line, 3 a check failed, 70 internal error.",
].join("\n");

export function commandHelp(name: string, command: Command): string {
  return [
    `Usage: prosody-stack ${name}${command.arguments ? ` ${command.arguments}` : ""} [options]`,
    "",
    command.summary,
    "",
    "Options:",
    ...column(command.options, 26),
  ].join("\n");
}

export const version = (): string => packageManifest().version;

function commandNamed(name: string): Command {
  const command = COMMANDS[name];
  if (command) return command;
  const near = closestWord(name, Object.keys(COMMANDS), { maxDistance: 3 });
  const hint = near !== undefined ? `; did you mean "${near}"?` : "";
  throw new UsageError(`unknown command "${name}"${hint}`);
}

export async function main(argv: readonly string[], io: Io = defaultIo): Promise<number> {
  try {
    const { command: name, positionals, values } = parseCommandLine(argv);
    if (values.version) {
      io.stdout(version());
      return EXIT.ok;
    }
    if (name === undefined || name === "help") {
      const [topic] = positionals;
      io.stdout(topic === undefined ? USAGE : commandHelp(topic, commandNamed(topic)));
      return name === undefined && !values.help ? EXIT.usage : EXIT.ok;
    }
    const command = commandNamed(name);
    if (values.help) {
      io.stdout(commandHelp(name, command));
      return EXIT.ok;
    }
    const allowed = COMMAND_FLAGS[name] ?? [];
    const other = Object.keys(values).filter((flag) => !allowed.includes(flag));
    if (other.length > 0) {
      const flags = other.map((flag) => `--${flag}`).join(", ");
      throw new UsageError(`${name} does not take ${flags}; remove ${flags} (see prosody-stack ${name} --help)`);
    }
    const code = await command.run(positionals, values, io);
    return typeof code === "number" ? code : EXIT.ok;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`prosody-stack: ${error.message}\nRun \`prosody-stack --help\` for usage.`);
      return EXIT.usage;
    }
    if (error instanceof ProblemError) {
      io.stderr(`prosody-stack: ${error.message}`);
      return error.context === INVALID_ARGUMENTS ? EXIT.usage : EXIT.refused;
    }
    if (error instanceof StackError) {
      io.stderr(`prosody-stack: ${error.message}`);
      return EXIT.refused;
    }
    io.stderr(`prosody-stack: internal error: ${(error as Error).message}`);
    return EXIT.internal;
  }
}
