export type DatabaseErrorCode = 'MIGRATIONS_PENDING' | 'CONNECTION_FAILED' | 'EMBEDDED_START_FAILED';

export class DatabaseError extends Error {
  constructor(
    readonly code: DatabaseErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DatabaseError';
  }
}
