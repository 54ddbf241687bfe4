import { FieldType } from '../declarations/field-type';
import { getFieldTypeDefinition } from '../declarations/field-type.registry';
import { compositeColumnName, joinColumnName } from '../metadata/column-layout';

export interface ShapedField {
  name: string;
  type: FieldType;
}

const BARE_DOMAIN = /^(?![a-z][a-z0-9+.-]*:\/\/)[^\s/]+\.[^\s/]+(\/.*)?$/i;

/** A LINKS url: a bare domain becomes https://domain; empty stays empty, NULL stays NULL. */
export const toLinkUrl = (value: string | null): string | null =>
  value === null || value === '' ? value : BARE_DOMAIN.test(value) ? `https://${value}` : value;

const jsonValue = (value: unknown): string | null => (value === null || value === undefined ? null : JSON.stringify(value));

/**
 * Writes a logical value into the columns of whatever shape the field has in this workspace: an
 * email goes to `email` while the field is EMAIL and to `emailsPrimaryEmail` once it is EMAILS; a
 * domain to `domainNameUrl` (LINK) or `domainNamePrimaryLinkUrl` (LINKS). Composite values may be
 * given as an object of subfields; a plain string stands for the composite's main subfield.
 */
export const columnsForValue = (field: ShapedField, value: unknown): Record<string, unknown> => {
  const definition = getFieldTypeDefinition(field.type);
  if (definition.kind === 'relation') {
    return { [joinColumnName(field.name)]: value ?? null };
  }
  if (definition.kind !== 'composite') {
    if (field.type === FieldType.RAW_JSON) return { [field.name]: jsonValue(value) };
    if (typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)) {
      const main =
        (value as Record<string, unknown>).primaryEmail ??
        (value as Record<string, unknown>).primaryLinkUrl ??
        (value as Record<string, unknown>).url;
      return { [field.name]: main ?? null };
    }
    return { [field.name]: value ?? null };
  }
  let subfields: Record<string, unknown>;
  if (typeof value === 'string' || value === null) {
    switch (field.type) {
      case FieldType.EMAILS:
        subfields = { primaryEmail: value, additionalEmails: value === null ? null : [] };
        break;
      case FieldType.LINKS:
        subfields = {
          primaryLinkUrl: toLinkUrl(value),
          primaryLinkLabel: value === null ? null : '',
          secondaryLinks: value === null ? null : [],
        };
        break;
      case FieldType.LINK:
        subfields = { url: value, label: value === null ? null : '' };
        break;
      case FieldType.PHONES:
        subfields = {
          primaryPhoneNumber: value,
          primaryPhoneCountryCode: value === null ? null : '',
          additionalPhones: value === null ? null : [],
        };
        break;
      case FieldType.ADDRESS:
        subfields = { addressStreet1: value };
        break;
      default:
        subfields = { [definition.subfields![0].name]: value };
    }
  } else {
    subfields = value as Record<string, unknown>;
  }
  const columns: Record<string, unknown> = {};
  for (const subfield of definition.subfields!) {
    if (!(subfield.name in subfields)) continue;
    const item = subfields[subfield.name];
    columns[compositeColumnName(field.name, subfield.name)] = subfield.columnType === 'jsonb' ? jsonValue(item) : (item ?? null);
  }
  return columns;
};

/** The column that holds a field's main value: `email`, `emailsPrimaryEmail`, `domainNameUrl`, `domainNamePrimaryLinkUrl`... */
export const mainColumn = (field: ShapedField): string => {
  const main: Partial<Record<FieldType, string>> = {
    [FieldType.EMAILS]: 'primaryEmail',
    [FieldType.LINKS]: 'primaryLinkUrl',
    [FieldType.LINK]: 'url',
    [FieldType.PHONES]: 'primaryPhoneNumber',
  };
  const subfield = main[field.type];
  return subfield ? compositeColumnName(field.name, subfield) : field.name;
};
