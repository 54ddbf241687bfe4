import { FieldType } from '../declarations/field-type';
import { FILTER_SUBFIELDS, RecordColumn, RecordField } from './record-fields';
import { RecordError } from './record.error';

/** A row of a workspace's `viewFilter` table. */
export interface ViewFilterRow {
  id: string;
  fieldMetadataId: string | null;
  operand: string;
  value: string;
}

/** A row of a workspace's `viewSort` table. */
export interface ViewSortRow {
  id: string;
  fieldMetadataId: string | null;
  direction: string;
}

export type ConditionOperator = 'eq' | 'contains' | 'gt' | 'lt' | 'empty' | 'in' | 'overlaps';

/**
 * One filter as the repository renders it. A filter on a composite field looks at its main
 * subfields: it holds when any of `columns` matches (for `empty`: when all are empty). Negated
 * when `negate`.
 */
export interface Condition {
  columns: RecordColumn[];
  operator: ConditionOperator;
  negate: boolean;
  value: unknown;
}

export interface SortSpec {
  column: RecordColumn;
  direction: 'ASC' | 'DESC';
}

/** Full-text search on a search (tsvector) column: records matching `query`, best first. */
export interface SearchSpec {
  column: string;
  /** A tsquery of the 'simple' configuration: each word as a prefix, all required. */
  query: string;
}

export interface ListQuery {
  conditions: Condition[];
  sorts: SortSpec[];
  search?: SearchSpec;
}

export const VIEW_FILTER_OPERANDS = [
  'is',
  'isNot',
  'contains',
  'doesNotContain',
  'greaterThan',
  'lessThan',
  'isBefore',
  'isAfter',
  'isEmpty',
  'isNotEmpty',
];

const NUMERIC_COLUMN_TYPES = new Set(['double precision', 'numeric']);

const filterColumns = (field: RecordField): RecordColumn[] => {
  if (field.kind !== 'composite') return field.columns;
  const names = FILTER_SUBFIELDS[field.field.type] ?? [field.subfields[0].name];
  return field.subfields.filter((subfield) => names.includes(subfield.name)).map((subfield) => subfield.column);
};

/** A SELECT filter's value: a JSON list of option values (as views store it) or one value. */
const optionList = (value: string): string[] => {
  try {
    const parsed: unknown = JSON.parse(value);
    if (Array.isArray(parsed) && parsed.every((item) => typeof item === 'string')) return parsed;
  } catch {
    // not JSON: a single option value
  }
  return [value];
};

const toCondition = (field: RecordField, filter: ViewFilterRow): Condition => {
  const property = `viewFilter ${filter.id}`;
  const columns = filterColumns(field);
  const type = columns[0].type;
  const isCurrency = field.field.type === FieldType.CURRENCY;
  const number = (): number => {
    const value = Number(filter.value);
    if (filter.value.trim() === '' || !Number.isFinite(value)) {
      throw new RecordError(
        'INVALID',
        'viewId',
        `${property} on ${field.key} needs a number as its value; got "${filter.value.slice(0, 40)}". Fix the view's filter.`,
      );
    }
    // Currency filters are written in units; the column holds micros.
    return isCurrency ? value * 1_000_000 : value;
  };
  const date = (): string => {
    if (Number.isNaN(Date.parse(filter.value))) {
      throw new RecordError(
        'INVALID',
        'viewId',
        `${property} on ${field.key} needs a date as its value; got "${filter.value.slice(0, 40)}". Fix the view's filter.`,
      );
    }
    return filter.value;
  };
  const isDate = type === 'timestamptz' || type === 'date';
  switch (filter.operand) {
    case 'isEmpty':
    case 'isNotEmpty':
      return { columns, operator: 'empty', negate: filter.operand === 'isNotEmpty', value: null };
    case 'contains':
    case 'doesNotContain':
      return { columns, operator: 'contains', negate: filter.operand === 'doesNotContain', value: filter.value };
    case 'greaterThan':
    case 'lessThan':
    case 'isBefore':
    case 'isAfter': {
      const operator = filter.operand === 'greaterThan' || filter.operand === 'isAfter' ? 'gt' : 'lt';
      if (isDate) return { columns, operator, negate: false, value: date() };
      if (NUMERIC_COLUMN_TYPES.has(type)) return { columns, operator, negate: false, value: number() };
      return { columns, operator, negate: false, value: filter.value };
    }
    case 'is':
    case 'isNot': {
      const negate = filter.operand === 'isNot';
      if (type === 'enum') return { columns, operator: 'in', negate, value: optionList(filter.value) };
      if (type === 'enum[]' || type === 'text[]') return { columns, operator: 'overlaps', negate, value: optionList(filter.value) };
      if (NUMERIC_COLUMN_TYPES.has(type)) return { columns, operator: 'eq', negate, value: number() };
      if (type === 'boolean') {
        if (filter.value !== 'true' && filter.value !== 'false') {
          throw new RecordError(
            'INVALID',
            'viewId',
            `${property} on ${field.key} needs true or false as its value. Fix the view's filter.`,
          );
        }
        return { columns, operator: 'eq', negate, value: filter.value === 'true' };
      }
      if (isDate) return { columns, operator: 'eq', negate, value: date() };
      return { columns, operator: 'eq', negate, value: filter.value };
    }
    default:
      throw new RecordError(
        'INVALID',
        'viewId',
        `${property} has the operand "${filter.operand.slice(0, 40)}", which is not one of ${VIEW_FILTER_OPERANDS.join(', ')}. Fix the view's filter.`,
      );
  }
};

/**
 * A view's filters (all must hold) and sorts, as conditions on columns. Filters and sorts on
 * fields that are inactive are skipped; on fields that no longer exist they are refused.
 */
export const viewQuery = (fields: RecordField[], allFields: RecordField[], filters: ViewFilterRow[], sorts: ViewSortRow[]): ListQuery => {
  const find = (fieldMetadataId: string | null, what: string, id: string): RecordField | null => {
    const field = fields.find((candidate) => candidate.field.id === fieldMetadataId);
    if (field) return field;
    if (allFields.some((candidate) => candidate.field.id === fieldMetadataId)) return null;
    throw new RecordError(
      'INVALID',
      'viewId',
      `${what} ${id} points at a field (${fieldMetadataId}) that this object does not have. Fix the view.`,
    );
  };
  const conditions: Condition[] = [];
  for (const filter of filters) {
    const field = find(filter.fieldMetadataId, 'viewFilter', filter.id);
    if (field) conditions.push(toCondition(field, filter));
  }
  const sortSpecs: SortSpec[] = [];
  for (const sort of sorts) {
    const field = find(sort.fieldMetadataId, 'viewSort', sort.id);
    if (!field) continue;
    const direction = sort.direction.toLowerCase();
    if (direction !== 'asc' && direction !== 'desc') {
      throw new RecordError(
        'INVALID',
        'viewId',
        `viewSort ${sort.id} has the direction "${sort.direction.slice(0, 20)}"; use asc or desc. Fix the view.`,
      );
    }
    for (const column of filterColumns(field)) sortSpecs.push({ column, direction: direction === 'asc' ? 'ASC' : 'DESC' });
  }
  return { conditions, sorts: sortSpecs };
};
