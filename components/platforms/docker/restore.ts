/** How a Docker stack comes back from a backup: the backup container holds the backups, the data and the settings. */
import { BACKUP_ENTRYPOINT, BACKUP_VARIABLES } from "../../../backup/src/contract";
import { physicalNameFor } from "../../../src/plan/physical-names";
import { type RestoreContext, restoreArguments, shellQuote } from "../restore";

export function dockerRestoreSteps({ stack, from, component, identityCommand }: RestoreContext): string[] {
  const name = (part: string) => physicalNameFor(component, stack, part);
  const command = [...BACKUP_ENTRYPOINT, ...restoreArguments(from)].map(shellQuote).join(" ");
  return [
    `docker stop ${name("server")}`,
    "# The backup container holds the backups, the data and the settings; the key stays off the command line.",
    `${BACKUP_VARIABLES.identity}="$(${identityCommand})" docker exec -e ${BACKUP_VARIABLES.identity} ${name("backup")} ${command}`,
    `docker start ${name("server")}`,
  ];
}
