/**
 * A lost database connection (server restarted, backend terminated, network cut) is not the
 * workspace's fault: the transaction in progress was rolled back by the server, and running the
 * command again resumes. These helpers tell it apart from other errors and say so in one line.
 */

/** SQLSTATE classes and codes of a connection the server ended: 08 connection exception, 57P0x shutdown. */
const CONNECTION_LOSS_CODES = /^(08...|57P01|57P02|57P03)$/;

const CONNECTION_LOSS_MESSAGES = [
  'Connection terminated',
  'connection terminated',
  'Query runner already released',
  'query runner was already released',
  'Client has encountered a connection error',
  'Connection terminated unexpectedly',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
];

export const isConnectionLoss = (error: unknown): boolean => {
  // Told by its fields, not `instanceof Error`: a socket's error is made by Node's own realm, which
  // is not the code's under a test runner's sandbox.
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && CONNECTION_LOSS_CODES.test(code)) return true;
  return typeof message === 'string' && CONNECTION_LOSS_MESSAGES.some((text) => message.includes(text));
};

export const RERUN_ADVICE = 'nothing of the work in progress was kept half-done; run the command again to finish it';

const LOST = 'database connection lost (';

/** The one line a person reads for a lost connection. */
export const connectionLostMessage = (error: unknown): string => `${LOST}${(error as Error).message}); ${RERUN_ADVICE}`;

/** True when a workspace's outcome message reports a lost connection (services report it, not throw it). */
export const reportsConnectionLoss = (message: string | null): boolean => message?.includes(LOST) ?? false;

/** The message of any error, a lost connection said as such. */
export const describeFailure = (error: unknown): string =>
  isConnectionLoss(error) ? connectionLostMessage(error) : error instanceof Error ? error.message : String(error);
