/** Postgres truncates identifiers beyond 63 bytes; a truncated column name would silently collide. */
export const MAX_IDENTIFIER_LENGTH = 63;

export const CAMEL_CASE_NAME = /^[a-z][a-zA-Z0-9]*$/;

/** Columns Postgres reserves on every table: a field with one of these names cannot be created. */
const RESERVED_FIELD_NAMES = new Set(['oid', 'tableoid', 'xmin', 'xmax', 'cmin', 'cmax', 'ctid']);

/** Names the service uses for itself (schemas, routes, metadata) and that an object cannot take. */
const RESERVED_OBJECT_NAMES = new Set([
  'core',
  'metadata',
  'object',
  'objects',
  'field',
  'fields',
  'workspace',
  'workspaces',
  'record',
  'records',
  'index',
  'indexes',
  'type',
  'types',
  'public',
]);

export const isReservedFieldName = (name: string): boolean => RESERVED_FIELD_NAMES.has(name.toLowerCase());

export const isReservedObjectName = (name: string): boolean => RESERVED_OBJECT_NAMES.has(name.toLowerCase());

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** SELECT option values become Postgres enum labels and API constants. */
export const OPTION_VALUE_PATTERN = /^[A-Z][A-Z0-9_]*$/;
