import { DeclaredSelectOption } from './declared-schema';
import { FieldType } from './field-type';
import { getFieldTypeDefinition, RATING_VALUES } from './field-type.registry';
import { UUID_PATTERN } from './identifier.rules';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?)?(Z|[+-]\d{2}(:?\d{2})?)?$/;

/** A calendar date that exists (2024-02-30 does not), so that the database accepts it too. */
const isRealDate = (value: string): boolean => {
  const date = new Date(`${value.slice(0, 10)}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value.slice(0, 10);
};
const isString = (value: unknown): value is string => typeof value === 'string';
const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Returns why `value` is not a valid default for a field of `type`, or null when it is.
 * `'uuid'` (a generated UUID) and `'now'` (the current time) are the two function defaults.
 */
export const defaultValueProblem = (type: FieldType, value: unknown, options: DeclaredSelectOption[] | null): string | null => {
  if (value === undefined || value === null) {
    return null;
  }
  // Postgres text cannot hold NUL, in a column default or in JSON.
  if (JSON.stringify(value)?.includes('\\u0000')) {
    return 'contains a NUL character';
  }
  const optionValues = new Set((options ?? []).map((option) => option.value));
  switch (type) {
    case FieldType.TEXT:
    case FieldType.EMAIL:
    case FieldType.PHONE:
    case FieldType.RICH_TEXT:
      return isString(value) ? null : 'expected a string';
    case FieldType.UUID:
      return value === 'uuid' || (isString(value) && UUID_PATTERN.test(value)) ? null : "expected 'uuid' or a UUID";
    case FieldType.NUMBER:
    case FieldType.NUMERIC:
    case FieldType.POSITION:
      return typeof value === 'number' && Number.isFinite(value) ? null : 'expected a finite number';
    case FieldType.BOOLEAN:
      return typeof value === 'boolean' ? null : 'expected true or false';
    case FieldType.DATE:
      return value === 'now' || (isString(value) && ISO_DATE.test(value) && isRealDate(value))
        ? null
        : "expected 'now' or a date YYYY-MM-DD";
    case FieldType.DATE_TIME:
      return value === 'now' || (isString(value) && ISO_DATE_TIME.test(value) && isRealDate(value) && !Number.isNaN(Date.parse(value)))
        ? null
        : "expected 'now' or an ISO date-time";
    case FieldType.SELECT:
      return isString(value) && optionValues.has(value) ? null : `expected one of the options (${[...optionValues].join(', ')})`;
    case FieldType.MULTI_SELECT:
      return Array.isArray(value) && value.every((item) => isString(item) && optionValues.has(item))
        ? null
        : 'expected a list of option values';
    case FieldType.RATING:
      return isString(value) && RATING_VALUES.includes(value) ? null : `expected one of ${RATING_VALUES.join(', ')}`;
    case FieldType.RAW_JSON:
      return null;
    case FieldType.ARRAY:
      return Array.isArray(value) && value.every(isString) ? null : 'expected a list of strings';
    case FieldType.RELATION:
      return 'a relation cannot have a default value';
    case FieldType.TS_VECTOR:
      return 'a TS_VECTOR field is computed by the database from the fields it indexes';
    default: {
      const definition = getFieldTypeDefinition(type);
      if (definition.kind !== 'composite') {
        return 'unsupported default';
      }
      if (!isPlainObject(value)) {
        return `expected an object with subfields ${definition.subfields!.map((s) => s.name).join(', ')}`;
      }
      const known = new Set(definition.subfields!.map((subfield) => subfield.name));
      const unknown = Object.keys(value).filter((key) => !known.has(key));
      return unknown.length ? `unknown subfield ${unknown.join(', ')}` : null;
    }
  }
};
