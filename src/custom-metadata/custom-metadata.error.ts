/**
 * Bad input for a custom object or field; `property` names the input property at fault. `CONFLICT`:
 * the request is valid but would drop data (or the workspace is busy); `NOT_FOUND`: no such workspace, object or field.
 */
export class CustomMetadataError extends Error {
  constructor(
    readonly property: string,
    message: string,
    readonly code: 'INVALID' | 'CONFLICT' | 'NOT_FOUND' = 'INVALID',
  ) {
    super(message);
    this.name = 'CustomMetadataError';
  }
}
