/** What each exit code of `prosody-stack` means (README "The CLI"). */
export const EXIT = {
  /** done */
  ok: 0,
  /** the spec, the stack or the module selection was refused: each problem names the field and the fix */
  refused: 1,
  /** the command line itself is wrong: an unknown command or flag, a missing argument, a file that cannot be read */
  usage: 2,
  /** `check` found the deployed server failing at least one check */
  checkFailed: 3,
  /** a bug of ours (EX_SOFTWARE): please report it with the message */
  internal: 70,
} as const;
