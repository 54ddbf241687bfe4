/**
 * The command line cannot be parsed: an unknown command or option, a missing or malformed value,
 * options that do not go together. Exits with status 2, before anything is read or written.
 * Everything else that does not succeed (an unknown or missing workspace, object or file, refused
 * or failed work) is an ordinary error: status 1.
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Exit status of a command that ran but did not succeed in full. */
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** The exit-status rule, as `--help` of every command states it. */
export const EXIT_STATUS_HELP = `
Exit status:
  0  success (a walk: every selected workspace succeeded)
  1  refused or failed work: an unknown or missing workspace, object or file, a change refused, a failed
     step, a workspace skipped (locked) or failed in a walk, an interrupted walk, a missing REDIS_URL
  2  the command line cannot be parsed: an unknown command or option, a missing or malformed value,
     options that do not go together; nothing was read or written`;
