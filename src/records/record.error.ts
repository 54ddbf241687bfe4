/**
 * A request about records that cannot be served: `INVALID` input (the property at fault named),
 * something `NOT_FOUND` (a workspace, an object, a record, a view), or a `CONFLICT` with a change
 * of the workspace's fields made meanwhile (nothing was written; the request may be retried).
 */
export class RecordError extends Error {
  constructor(
    readonly code: 'INVALID' | 'NOT_FOUND' | 'CONFLICT',
    readonly property: string,
    message: string,
  ) {
    super(message);
    this.name = 'RecordError';
  }
}
