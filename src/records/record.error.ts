/**
 * A request about records that cannot be served: `INVALID` input (the property at fault named)
 * or something `NOT_FOUND` (a workspace, an object, a record, a view).
 */
export class RecordError extends Error {
  constructor(
    readonly code: 'INVALID' | 'NOT_FOUND',
    readonly property: string,
    message: string,
  ) {
    super(message);
    this.name = 'RecordError';
  }
}
