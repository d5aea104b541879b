/** What every command of `prosody-stack` is: the shape of an entry of the command table (commands.ts). */
import type { ParsedCommandLine } from "./options";

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** The parsed flags a command receives. */
export type Values = ParsedCommandLine["values"];

export interface Command {
  /** one line for the command list */
  summary: string;
  /** the arguments after the command's name, e.g. "MODULE" */
  arguments?: string;
  /** the flags the parser accepts for it (besides --help) */
  flags: readonly string[];
  /** its options as --help lists them */
  options: readonly (readonly [string, string])[];
  /** what it does; a number is the exit code (`check`'s verdict), nothing means done */
  run(positionals: readonly string[], values: Values, io: Io): void | number | Promise<void | number>;
}
