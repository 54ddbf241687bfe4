export type SyncErrorCode = 'REFUSED' | 'PREFLIGHT_FAILED' | 'DRIFT' | 'STATEMENT_FAILED' | 'LOCKED' | 'NOT_FOUND';

/** A workspace that could not be synced, with what a person needs to act. */
export class SyncError extends Error {
  constructor(
    readonly code: SyncErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SyncError';
  }
}
