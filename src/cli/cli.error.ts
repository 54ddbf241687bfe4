/** Bad arguments: the command line itself is wrong. Exits with status 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Exit status of a command that ran but did not succeed in full. */
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
