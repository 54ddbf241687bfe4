import { randomUUID } from 'node:crypto';

import { DeclaredSchema } from '../declarations/declared-schema';
import { FieldType } from '../declarations/field-type';
import { type CountryCode, parsePhone } from '../declarations/phone-number';
import { ActualObject } from '../metadata/actual-state';
import { unescapeFormula } from './csv-formula';
import { toLinkUrl } from './record-shape';
import { fieldParams, RecordColumn, RecordField } from './record-fields';
import { RecordError } from './record.error';

/** One CSV column: a plain field, a relation's id, or one subfield of a composite field. */
export interface CsvColumn {
  header: string;
  field: RecordField;
  subfield: string | null;
  column: RecordColumn;
  /** Set for a column of an older version's file: turns its cell into the current shape. */
  convert?: (text: string | null) => string | null;
  /** Set for a column of an older version's file whose one cell fills several subfields of its field. */
  expand?: (text: string | null) => Record<string, unknown>;
}

/** Readable names of subfields where splitting the camelCase name reads badly. */
const SUBFIELD_LABELS: Record<string, string> = {
  addressStreet1: 'Address 1',
  addressStreet2: 'Address 2',
  addressCity: 'City',
  addressPostcode: 'Post Code',
  addressState: 'State',
  addressCountry: 'Country',
  addressLat: 'Latitude',
  addressLng: 'Longitude',
  primaryLinkUrl: 'Primary Link URL',
  primaryLinkLabel: 'Primary Link Label',
  url: 'URL',
  blocknote: 'BlockNote',
};

export const subfieldLabel = (name: string): string =>
  SUBFIELD_LABELS[name] ?? name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/^./, (first) => first.toUpperCase());

/**
 * Fields exported: every active field that holds a value, system ones (position) included, so
 * that an import gives back the same values; not deletedAt, as only live records are exported.
 */
const exported = (field: RecordField): boolean => field.field.name !== 'deletedAt';

/** The CSV columns of an object, in field order, one per composite subfield ("Emails / Primary Email"). */
export const csvColumns = (fields: RecordField[]): CsvColumn[] => {
  const columns: CsvColumn[] = [];
  const ordered = [...fields.filter((field) => field.field.name === 'id'), ...fields.filter((field) => field.field.name !== 'id')];
  for (const field of ordered.filter(exported)) {
    if (field.kind === 'composite') {
      for (const subfield of field.subfields) {
        columns.push({
          header: `${field.field.label} / ${subfieldLabel(subfield.name)}`,
          field,
          subfield: subfield.name,
          column: subfield.column,
        });
      }
    } else {
      columns.push({
        header: field.kind === 'relation' ? `${field.field.label} Id` : field.field.label,
        field,
        subfield: null,
        column: field.columns[0],
      });
    }
  }
  // Two fields may share a label: the field name tells their columns apart.
  const counts = new Map<string, number>();
  columns.forEach((column) => counts.set(column.header, (counts.get(column.header) ?? 0) + 1));
  return columns.map((column) =>
    (counts.get(column.header) ?? 0) > 1 ? { ...column, header: `${column.header} (${column.column.name})` } : column,
  );
};

const parseJsonCell = (column: CsvColumn, text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    throw new RecordError(
      'INVALID',
      column.header,
      `"${column.header}" must hold JSON${column.column.type === 'text[]' ? ' (a list such as ["a","b"])' : ''}; got "${text.slice(0, 40)}"`,
    );
  }
};

/**
 * A CSV cell as the value the field takes. An empty unquoted cell (null) is NULL, and empty text
 * for a text field that cannot be NULL; `""` is empty text (an empty list for a MULTI_SELECT); an
 * empty cell of another type is NULL.
 */
const parseCell = (column: CsvColumn, text: string | null, formulaEscape: boolean): unknown => {
  const type = column.column.type;
  if (type === 'text') {
    if (text === null) return column.subfield === null && !column.field.field.isNullable ? '' : null;
    return formulaEscape ? unescapeFormula(text) : text;
  }
  // An empty list of options is written `""`, told apart from NULL.
  if (type === 'enum[]' && text === '') return [];
  if (text === null || text === '') return null;
  switch (type) {
    case 'double precision': {
      const value = Number(text);
      if (!Number.isFinite(value))
        throw new RecordError('INVALID', column.header, `"${column.header}" must be a number; got "${text.slice(0, 40)}"`);
      return value;
    }
    case 'boolean':
      if (text !== 'true' && text !== 'false')
        throw new RecordError('INVALID', column.header, `"${column.header}" must be true or false; got "${text.slice(0, 40)}"`);
      return text === 'true';
    case 'enum[]':
      return text.trim().startsWith('[')
        ? parseJsonCell(column, text)
        : text
            .split(',')
            .map((item) => item.trim())
            .filter((item) => item !== '');
    case 'text[]':
    case 'jsonb':
      return parseJsonCell(column, text);
    default:
      return text;
  }
};

/** Which CSV column each header of a file is; a header that matches nothing is refused. */
export const resolveHeaders = (headers: Array<string | null>, columns: CsvColumn[], legacy: CsvColumn[]): CsvColumn[] => {
  const resolved = headers.map((header) => {
    const trimmed = (header ?? '').trim();
    const column =
      columns.find((candidate) => candidate.header === trimmed) ??
      columns.find((candidate) => candidate.column.name === trimmed) ??
      legacy.find((candidate) => candidate.header === trimmed);
    if (!column) {
      throw new RecordError(
        'INVALID',
        'file',
        `line 1: the column "${trimmed.slice(0, 80)}" matches no field of this object; expected headers such as ${columns
          .slice(0, 6)
          .map((c) => `"${c.header}"`)
          .join(', ')} (export the object to see them all)`,
      );
    }
    return column;
  });
  const seen = new Map<string, string>();
  resolved.forEach((column, index) => {
    const previous = seen.get(column.column.name);
    if (previous !== undefined) {
      throw new RecordError(
        'INVALID',
        'file',
        `line 1: the columns "${previous}" and "${headers[index]}" both fill ${column.column.name}; keep one`,
      );
    }
    seen.set(column.column.name, headers[index] ?? '');
  });
  return resolved;
};

/** One data row of a file as column values (null: an empty unquoted cell); a bad cell throws naming its column. */
export const rowParams = (columns: CsvColumn[], cells: Array<string | null>, formulaEscape = true): Record<string, unknown> => {
  if (cells.length !== columns.length) {
    throw new RecordError('INVALID', 'file', `the row has ${cells.length} cells; the header has ${columns.length}`);
  }
  const params: Record<string, unknown> = {};
  const composites = new Map<RecordField, Record<string, unknown>>();
  const now = new Date().toISOString();
  columns.forEach((column, index) => {
    if (column.expand) {
      const expanded = composites.get(column.field) ?? {};
      Object.assign(expanded, column.expand(parseCell(column, cells[index], formulaEscape) as string | null));
      composites.set(column.field, expanded);
      return;
    }
    const text = column.convert ? column.convert(cells[index]) : cells[index];
    let value = parseCell(column, text, formulaEscape);
    // An empty id or timestamp is the service's to fill, as on a record created through the API.
    if (value === null && column.field.field.name === 'id') value = randomUUID();
    if (value === null && (column.field.field.name === 'createdAt' || column.field.field.name === 'updatedAt')) value = now;
    if (column.subfield === null) {
      try {
        Object.assign(params, fieldParams(column.field, value));
      } catch (error) {
        if (error instanceof RecordError)
          throw new RecordError('INVALID', column.header, error.message.replace(column.field.key, `"${column.header}"`));
        throw error;
      }
      return;
    }
    const value_ = composites.get(column.field) ?? {};
    value_[column.subfield] = value;
    composites.set(column.field, value_);
  });
  for (const [field, value] of composites) {
    Object.assign(params, fieldParams(field, value));
  }
  return params;
};

const mainSubfield: Partial<Record<FieldType, string>> = {
  [FieldType.EMAILS]: 'primaryEmail',
  [FieldType.LINKS]: 'primaryLinkUrl',
  [FieldType.PHONES]: 'primaryPhoneNumber',
  [FieldType.ADDRESS]: 'addressStreet1',
};

/**
 * Columns of files exported before a field changed type, mapped onto today's fields the way
 * the upgrade moved the data: `Email` -> `Emails / Primary Email`, `Domain Name / URL` ->
 * `Domain Name / Primary Link URL` (a bare domain becoming https://domain), `Domain Name / Label`
 * -> `Domain Name / Primary Link Label`, `Phone` -> `Phones / ...` (each number parsed as the 0.25
 * upgrade parses it, in the workspace's default country). Older labels come from the frozen
 * snapshots.
 */
export const legacyCsvColumns = (
  object: ActualObject,
  fields: RecordField[],
  snapshots: DeclaredSchema[],
  defaultCountry: string | null = null,
): CsvColumn[] => {
  const legacy: CsvColumn[] = [];
  const add = (
    header: string,
    field: RecordField,
    subfield: string,
    convert?: (text: string | null) => string | null,
    expand?: CsvColumn['expand'],
  ) => {
    const target = field.subfields.find((candidate) => candidate.name === subfield);
    if (target && !legacy.some((candidate) => candidate.header === header))
      legacy.push({ header, field, subfield, column: target.column, convert, expand });
  };
  const phone = (text: string | null): Record<string, unknown> => {
    if (text === null) return { primaryPhoneNumber: null, primaryPhoneCountryCode: null, additionalPhones: null };
    const parsed = parsePhone(text, (defaultCountry ?? undefined) as CountryCode | undefined);
    return { primaryPhoneNumber: parsed.primaryPhoneNumber, primaryPhoneCountryCode: parsed.primaryPhoneCountryCode, additionalPhones: [] };
  };
  const labelsOf = (field: RecordField): Array<{ label: string; type: FieldType }> => {
    const labels = [{ label: field.field.label, type: field.field.type }];
    if (object.isCustom || !field.field.standardId || field.field.isCustom) return labels;
    for (const snapshot of snapshots) {
      const old = snapshot.objects
        .find((candidate) => candidate.standardId === object.standardId)
        ?.fields.find((candidate) => candidate.standardId === field.field.standardId);
      if (old && (old.label !== field.field.label || old.type !== field.field.type)) labels.push({ label: old.label, type: old.type });
    }
    return labels;
  };
  for (const field of fields.filter((candidate) => candidate.kind === 'composite' && exported(candidate))) {
    const main = mainSubfield[field.field.type];
    if (!main) continue;
    for (const { label, type } of labelsOf(field)) {
      const convert = field.field.type === FieldType.LINKS ? toLinkUrl : undefined;
      add(label, field, main, convert, field.field.type === FieldType.PHONES ? phone : undefined);
      if (field.field.type === FieldType.LINKS && (type === FieldType.LINK || type === FieldType.LINKS)) {
        add(`${label} / URL`, field, 'primaryLinkUrl', toLinkUrl);
        add(`${label} / Label`, field, 'primaryLinkLabel');
      }
    }
  }
  return legacy;
};
