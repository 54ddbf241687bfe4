import { FieldType } from './field-type';

/** A Postgres column type, as written in DDL. `enum` and `enum[]` are per-field enum types. */
export type ColumnType =
  | 'uuid'
  | 'text'
  | 'double precision'
  | 'numeric'
  | 'boolean'
  | 'date'
  | 'timestamptz'
  | 'jsonb'
  | 'text[]'
  | 'enum'
  | 'enum[]'
  | 'tsvector';

export interface SubfieldDefinition {
  name: string;
  columnType: ColumnType;
}

export interface FieldTypeDefinition {
  type: FieldType;
  kind: 'plain' | 'composite' | 'relation';
  /** Legacy types are still held by old workspaces but can no longer be chosen for a new field. */
  isLegacy: boolean;
  /** Whether a user may create a custom field of this type. */
  isCreatable: boolean;
  /** Column type of a plain field. */
  columnType?: ColumnType;
  /** Subfields of a composite field, in column order. */
  subfields?: SubfieldDefinition[];
  /** Whether the field carries a list of options (SELECT, MULTI_SELECT). */
  hasOptions: boolean;
}

const plain = (type: FieldType, columnType: ColumnType, extra: Partial<FieldTypeDefinition> = {}): FieldTypeDefinition => ({
  type,
  kind: 'plain',
  isLegacy: false,
  isCreatable: true,
  columnType,
  hasOptions: false,
  ...extra,
});

const composite = (type: FieldType, subfields: SubfieldDefinition[], extra: Partial<FieldTypeDefinition> = {}): FieldTypeDefinition => ({
  type,
  kind: 'composite',
  isLegacy: false,
  isCreatable: true,
  subfields,
  hasOptions: false,
  ...extra,
});

const text = (name: string): SubfieldDefinition => ({ name, columnType: 'text' });

const LEGACY = { isLegacy: true, isCreatable: false };

export const RATING_VALUES = ['RATING_1', 'RATING_2', 'RATING_3', 'RATING_4', 'RATING_5'];

const DEFINITIONS: FieldTypeDefinition[] = [
  plain(FieldType.UUID, 'uuid'),
  plain(FieldType.TEXT, 'text'),
  plain(FieldType.NUMBER, 'double precision'),
  plain(FieldType.NUMERIC, 'numeric'),
  plain(FieldType.BOOLEAN, 'boolean'),
  plain(FieldType.DATE, 'date'),
  plain(FieldType.DATE_TIME, 'timestamptz'),
  plain(FieldType.SELECT, 'enum', { hasOptions: true }),
  plain(FieldType.MULTI_SELECT, 'enum[]', { hasOptions: true }),
  plain(FieldType.RATING, 'enum'),
  plain(FieldType.POSITION, 'double precision', { isCreatable: false }),
  plain(FieldType.RAW_JSON, 'jsonb'),
  plain(FieldType.ARRAY, 'text[]'),
  { type: FieldType.RELATION, kind: 'relation', isLegacy: false, isCreatable: true, hasOptions: false },
  composite(FieldType.FULL_NAME, [text('firstName'), text('lastName')]),
  composite(FieldType.LINKS, [text('primaryLinkUrl'), text('primaryLinkLabel'), { name: 'secondaryLinks', columnType: 'jsonb' }]),
  composite(FieldType.EMAILS, [text('primaryEmail'), { name: 'additionalEmails', columnType: 'jsonb' }]),
  composite(FieldType.PHONES, [
    text('primaryPhoneNumber'),
    text('primaryPhoneCountryCode'),
    { name: 'additionalPhones', columnType: 'jsonb' },
  ]),
  composite(FieldType.ADDRESS, [
    text('addressStreet1'),
    text('addressStreet2'),
    text('addressCity'),
    text('addressPostcode'),
    text('addressState'),
    text('addressCountry'),
    { name: 'addressLat', columnType: 'numeric' },
    { name: 'addressLng', columnType: 'numeric' },
  ]),
  composite(FieldType.CURRENCY, [{ name: 'amountMicros', columnType: 'numeric' }, text('currencyCode')]),
  composite(FieldType.RICH_TEXT_V2, [text('blocknote'), text('markdown')]),
  // Kept current by the database from the fields it names (see metadata/search-vector.ts); never written by users.
  plain(FieldType.TS_VECTOR, 'tsvector', { isCreatable: false }),
  composite(FieldType.ACTOR, [text('source'), { name: 'workspaceMemberId', columnType: 'uuid' }, text('name')], { isCreatable: false }),
  plain(FieldType.EMAIL, 'text', LEGACY),
  plain(FieldType.PHONE, 'text', LEGACY),
  composite(FieldType.LINK, [text('label'), text('url')], LEGACY),
  plain(FieldType.RICH_TEXT, 'text', LEGACY),
];

const REGISTRY = new Map<FieldType, FieldTypeDefinition>(DEFINITIONS.map((d) => [d.type, d]));

export const getFieldTypeDefinition = (type: FieldType): FieldTypeDefinition => {
  const definition = REGISTRY.get(type);
  if (!definition) {
    throw new Error(`Unknown field type "${type}"`);
  }
  return definition;
};

export const isCompositeType = (type: FieldType): boolean => REGISTRY.get(type)?.kind === 'composite';
