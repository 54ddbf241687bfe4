import { FieldType, RelationType } from '../declarations/field-type';
import { ColumnType, getFieldTypeDefinition, RATING_VALUES } from '../declarations/field-type.registry';
import { UUID_PATTERN } from '../declarations/identifier.rules';
import { ActualField, ActualObject } from '../metadata/actual-state';
import { RecordError } from './record.error';
import { columnsForValue } from './record-shape';
import { compositeColumnName, joinColumnName } from '../metadata/column-layout';

/** A column of an object's table with its type, as the record code reads and writes it. */
export interface RecordColumn {
  name: string;
  type: ColumnType;
}

/** A field as records see it: its key in a record's JSON, its columns, and how to read them. */
export interface RecordField {
  field: ActualField;
  /** Key in a record's JSON: the field name, or `<name>Id` for a many-to-one relation. */
  key: string;
  kind: 'plain' | 'composite' | 'relation';
  columns: RecordColumn[];
  /** Composite fields: subfield name -> column. */
  subfields: Array<{ name: string; column: RecordColumn }>;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const NUMERIC_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
/** Fields that only the service writes. */
const SERVICE_FIELDS = new Set(['id', 'createdAt', 'updatedAt', 'deletedAt']);

export const SYSTEM_COLUMNS = ['id', 'createdAt', 'updatedAt', 'deletedAt'];

/**
 * The fields of an object that hold a value of its records in its table: active, not the
 * one-to-many side, and not a search field (the database keeps it; `?search=` reads it).
 */
export const recordFields = (object: ActualObject, options: { includeInactive?: boolean } = {}): RecordField[] =>
  object.fields
    .filter(
      (field) =>
        (field.isActive || options.includeInactive || SERVICE_FIELDS.has(field.name)) &&
        field.relationType !== RelationType.ONE_TO_MANY &&
        field.type !== FieldType.TS_VECTOR,
    )
    .map((field) => {
      const definition = getFieldTypeDefinition(field.type);
      if (definition.kind === 'relation') {
        const column = { name: joinColumnName(field.name), type: 'uuid' as ColumnType };
        return { field, key: column.name, kind: 'relation', columns: [column], subfields: [] };
      }
      if (definition.kind === 'composite') {
        const subfields = definition.subfields!.map((subfield) => ({
          name: subfield.name,
          column: { name: compositeColumnName(field.name, subfield.name), type: subfield.columnType },
        }));
        return { field, key: field.name, kind: 'composite', columns: subfields.map((subfield) => subfield.column), subfields };
      }
      return { field, key: field.name, kind: 'plain', columns: [{ name: field.name, type: definition.columnType! }], subfields: [] };
    });

/** Fields a caller may write through the API: not system (position aside), not the service's own. */
export const isWritable = (field: RecordField): boolean =>
  !SERVICE_FIELDS.has(field.field.name) && (!field.field.isSystem || field.field.type === FieldType.POSITION) && field.field.isActive;

export const optionValues = (field: ActualField): string[] =>
  field.type === FieldType.RATING ? RATING_VALUES : (field.options ?? []).map((option) => option.value);

const describe = (value: unknown): string => {
  const text = typeof value === 'string' ? `"${value}"` : (JSON.stringify(value) ?? String(value));
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
};

/** A plain value checked against the field's type; returns what to bind (JSON as text). */
const plainParam = (field: ActualField, property: string, value: unknown): unknown => {
  if (value === null || value === undefined) {
    if (!field.isNullable) throw new RecordError('INVALID', property, `${property} cannot be empty`);
    return null;
  }
  const fail = (expected: string): never => {
    throw new RecordError('INVALID', property, `${property} must be ${expected}; got ${describe(value)}`);
  };
  switch (field.type) {
    case FieldType.TEXT:
    case FieldType.EMAIL:
    case FieldType.PHONE:
    case FieldType.RICH_TEXT:
      return typeof value === 'string' ? value : fail('a string');
    case FieldType.UUID:
      return typeof value === 'string' && UUID_PATTERN.test(value) ? value : fail('a UUID');
    case FieldType.NUMBER:
    case FieldType.POSITION:
      return typeof value === 'number' && Number.isFinite(value) ? value : fail('a number');
    case FieldType.NUMERIC:
      return (typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && NUMERIC_TEXT.test(value))
        ? String(value)
        : fail('a number');
    case FieldType.BOOLEAN:
      return typeof value === 'boolean' ? value : fail('true or false');
    case FieldType.DATE:
      return typeof value === 'string' && ISO_DATE.test(value) && !Number.isNaN(Date.parse(value)) ? value : fail('a date YYYY-MM-DD');
    case FieldType.DATE_TIME:
      return typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? value : fail('an ISO date-time');
    case FieldType.SELECT:
    case FieldType.RATING:
      return typeof value === 'string' && optionValues(field).includes(value) ? value : fail(`one of ${optionValues(field).join(', ')}`);
    case FieldType.MULTI_SELECT:
      return Array.isArray(value) && value.every((item) => typeof item === 'string' && optionValues(field).includes(item))
        ? value
        : fail(`a list of options among ${optionValues(field).join(', ')}`);
    case FieldType.ARRAY:
      return Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : fail('a list of strings');
    case FieldType.RAW_JSON:
      return JSON.stringify(value);
    default:
      return fail('a supported value');
  }
};

const subfieldParam = (column: RecordColumn, property: string, value: unknown): unknown => {
  if (value === null || value === undefined) return null;
  const fail = (expected: string): never => {
    throw new RecordError('INVALID', property, `${property} must be ${expected}; got ${describe(value)}`);
  };
  switch (column.type) {
    case 'text':
      return typeof value === 'string' ? value : fail('a string');
    case 'numeric':
      return (typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && NUMERIC_TEXT.test(value))
        ? String(value)
        : fail('a number');
    case 'uuid':
      return typeof value === 'string' && UUID_PATTERN.test(value) ? value : fail('a UUID');
    case 'jsonb':
      return JSON.stringify(value);
    default:
      return fail('a supported value');
  }
};

/**
 * The columns to write for one field's value in a record's JSON. A composite takes an object of
 * its subfields (those left out are left alone); a relation takes the target's id.
 */
export const fieldParams = (recordField: RecordField, value: unknown): Record<string, unknown> => {
  const { field, key } = recordField;
  if (recordField.kind === 'relation') {
    if (value !== null && (typeof value !== 'string' || !UUID_PATTERN.test(value))) {
      throw new RecordError('INVALID', key, `${key} must be the id (a UUID) of a ${field.name} record, or null; got ${describe(value)}`);
    }
    return { [key]: value };
  }
  if (recordField.kind === 'plain') {
    return { [field.name]: plainParam(field, key, value) };
  }
  if (value === null) {
    return Object.fromEntries(recordField.subfields.map((subfield) => [subfield.column.name, null]));
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new RecordError(
      'INVALID',
      key,
      `${key} must be an object with the subfields ${recordField.subfields.map((subfield) => subfield.name).join(', ')}; got ${describe(value)}`,
    );
  }
  const params: Record<string, unknown> = {};
  for (const [name, item] of Object.entries(value as Record<string, unknown>)) {
    const subfield = recordField.subfields.find((candidate) => candidate.name === name);
    if (!subfield) {
      throw new RecordError(
        'INVALID',
        `${key}.${name}`,
        `${key}.${name} is not a subfield of ${key}; its subfields are ${recordField.subfields.map((s) => s.name).join(', ')}`,
      );
    }
    params[subfield.column.name] = subfieldParam(subfield.column, `${key}.${name}`, item);
  }
  if (field.type === FieldType.RICH_TEXT_V2) checkBlocknote(key, params[compositeColumnName(field.name, 'blocknote')]);
  return params;
};

/** The blocknote of a RICH_TEXT_V2 value is a BlockNote document as JSON text: a list of blocks. */
const checkBlocknote = (key: string, value: unknown): void => {
  if (typeof value !== 'string' || value === '') return;
  let document: unknown;
  try {
    document = JSON.parse(value);
  } catch {
    document = undefined;
  }
  if (!Array.isArray(document)) {
    throw new RecordError(
      'INVALID',
      `${key}.blocknote`,
      `${key}.blocknote must be a BlockNote document as JSON text, a list of blocks (e.g. "[]"); got ${describe(value)}`,
    );
  }
};

/**
 * Turns a record's JSON into column values, refusing unknown keys and fields that cannot be
 * written; `extra` lists keys the caller may set besides the writable fields (e.g. `id` on create);
 * `renamed` maps keys of a shape switched during the write to today's field, whose columns get
 * the value as the version-tolerant writers put it (a plain email into `emailsPrimaryEmail`).
 */
export const recordParams = (
  fields: RecordField[],
  body: unknown,
  options: { extraKeys?: string[]; renamed?: Map<string, RecordField> } = {},
): Record<string, unknown> => {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new RecordError('INVALID', 'body', 'the request body must be a JSON object of field values');
  }
  const params: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (options.extraKeys?.includes(key)) {
      if (key === 'id' && (typeof value !== 'string' || !UUID_PATTERN.test(value))) {
        throw new RecordError('INVALID', 'id', `id must be a UUID; got ${describe(value)}`);
      }
      params[key] = value;
      continue;
    }
    const field = fields.find((candidate) => candidate.key === key);
    const renamed = field ? undefined : options.renamed?.get(key);
    if (renamed && isWritable(renamed)) {
      Object.assign(params, columnsForValue(renamed.field, value));
      continue;
    }
    if (!field) {
      throw new RecordError(
        'INVALID',
        key.slice(0, 80),
        `"${key.slice(0, 80)}" is not a field of this object; its fields are ${fields
          .filter(isWritable)
          .map((f) => f.key)
          .join(', ')}`,
      );
    }
    if (!isWritable(field)) {
      throw new RecordError('INVALID', key, `${key} cannot be written: it is set by the service`);
    }
    Object.assign(params, fieldParams(field, value));
  }
  return params;
};

const jsonOf = (value: unknown): unknown => (typeof value === 'string' ? JSON.parse(value) : value);

/** A row of the table (as the repository reads it) as a record's JSON: composites nested. */
export const rowToRecord = (fields: RecordField[], row: Record<string, unknown>): Record<string, unknown> => {
  const record: Record<string, unknown> = {};
  for (const field of fields) {
    if (field.kind === 'composite') {
      const value: Record<string, unknown> = {};
      for (const subfield of field.subfields) {
        const raw = row[subfield.column.name] ?? null;
        value[subfield.name] = subfield.column.type === 'jsonb' && raw !== null ? jsonOf(raw) : raw;
      }
      record[field.key] = value;
    } else {
      const raw = row[field.columns[0].name] ?? null;
      record[field.key] = raw instanceof Date ? raw.toISOString() : raw;
    }
  }
  return record;
};

/** The subfields a filter or a sort on a composite field looks at, main one first. */
export const FILTER_SUBFIELDS: Partial<Record<FieldType, string[]>> = {
  [FieldType.FULL_NAME]: ['firstName', 'lastName'],
  [FieldType.EMAILS]: ['primaryEmail'],
  [FieldType.LINKS]: ['primaryLinkUrl'],
  [FieldType.PHONES]: ['primaryPhoneNumber'],
  [FieldType.ADDRESS]: ['addressStreet1', 'addressStreet2', 'addressCity', 'addressState', 'addressCountry', 'addressPostcode'],
  [FieldType.CURRENCY]: ['amountMicros'],
  [FieldType.ACTOR]: ['name'],
  [FieldType.LINK]: ['url'],
  [FieldType.RICH_TEXT_V2]: ['markdown'],
};
