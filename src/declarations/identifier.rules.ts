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

/**
 * SELECT option values become Postgres enum labels (at most 63 bytes) and API constants; they keep
 * their declared case (real sets use lowercase and mixed-case values).
 */
export const OPTION_VALUE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** Why `value` cannot be an option value, or null. */
export const optionValueProblem = (value: unknown): string | null => {
  if (typeof value !== 'string' || value === '') return 'an option value must be a non-empty text';
  if (!OPTION_VALUE_PATTERN.test(value)) {
    return `option value "${value.slice(0, 40)}" must be letters, digits, "_", "." and "-", beginning with a letter or digit`;
  }
  if (Buffer.byteLength(value) > MAX_IDENTIFIER_LENGTH)
    return `option value "${value.slice(0, 40)}..." is longer than ${MAX_IDENTIFIER_LENGTH} characters`;
  return null;
};

/**
 * Why a list of option values is not one of distinct values, or null: values that differ only in
 * case would be two options that read as one.
 */
export const optionValuesClash = (values: string[]): string | null => {
  const seen = new Map<string, string>();
  for (const value of values) {
    const other = seen.get(value.toLowerCase());
    if (other === value) return `option value "${value}" appears more than once`;
    if (other !== undefined) return `option values "${other}" and "${value}" differ only in case`;
    seen.set(value.toLowerCase(), value);
  }
  return null;
};

/** Feature flags gate declarations; they are stored per workspace and named like constants. */
export const FEATURE_FLAG_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;

/**
 * Why a text meant to be shown to people (a display name, a label) is unfit, or null: control
 * characters would break lines and terminals, and an unpaired surrogate is no text at all.
 */
export const displayTextProblem = (text: string): string | null => {
  // eslint-disable-next-line no-control-regex -- control characters are what this looks for
  if (/[\u0000-\u001f\u007f-\u009f]/.test(text)) return 'it contains a control character (such as a line break or an escape)';
  if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text)) return 'it is not well-formed Unicode';
  return null;
};
