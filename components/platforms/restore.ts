/**
 * What every platform's restore recipe (`prosody-stack restore`) works with.
 * A recipe prints the commands that stop Prosody, run the backup runner's
 * restore where the backups and the data are, and start Prosody again, with
 * the names the stack's objects have; it runs nothing itself, since the
 * commands need the platform's own tools and credentials.
 */
import { BACKUP_COMMANDS } from "../../backup/src/contract";
import type { DeploymentPlan } from "../../src/plan/types";

export interface RestoreContext {
  plan: DeploymentPlan;
  /** the Pulumi stack */
  stack: string;
  /** a backup's name, or "latest" */
  from: string;
  /** the component's name in the program that deployed the stack */
  component: string;
  /** a shell command that prints the key that decrypts the backups */
  identityCommand: string;
}

/** The shell commands of one platform's restore, between its header and the final check. */
export type RestoreRecipe = (context: RestoreContext) => string[];

/** The runner's arguments for a restore (its image's entrypoint runs them). */
export const restoreArguments = (from: string): string[] => [BACKUP_COMMANDS.restore, "--from", from];

/** One word for a POSIX shell, whatever it holds. */
export const shellQuote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;
