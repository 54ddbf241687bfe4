import { FieldType } from '../../declarations/field-type';
import { RecordField } from '../../records/record-fields';

const text = (value: unknown): string => (value === null || value === undefined ? '' : String(value));

const joined = (...parts: unknown[]): string =>
  parts
    .map(text)
    .filter((part) => part.trim() !== '')
    .join(' ');

const more = (list: unknown): string => (Array.isArray(list) && list.length > 0 ? ` (+${list.length})` : '');

/** A record's value as one readable cell: composite fields as their main parts, lists joined. */
export const cellText = (field: RecordField, value: unknown): string => {
  if (value === null || value === undefined) return '';
  if (field.kind === 'composite' && typeof value === 'object') {
    const parts = value as Record<string, unknown>;
    switch (field.field.type) {
      case FieldType.FULL_NAME:
        return joined(parts.firstName, parts.lastName);
      case FieldType.EMAILS:
        return parts.primaryEmail ? `${text(parts.primaryEmail)}${more(parts.additionalEmails)}` : '';
      case FieldType.LINKS:
        return parts.primaryLinkUrl ? `${text(parts.primaryLinkLabel) || text(parts.primaryLinkUrl)}${more(parts.secondaryLinks)}` : '';
      case FieldType.PHONES:
        return parts.primaryPhoneNumber
          ? `${joined(parts.primaryPhoneCountryCode, parts.primaryPhoneNumber)}${more(parts.additionalPhones)}`
          : '';
      case FieldType.ADDRESS:
        return [
          parts.addressStreet1,
          parts.addressStreet2,
          parts.addressCity,
          parts.addressPostcode,
          parts.addressState,
          parts.addressCountry,
        ]
          .map(text)
          .filter((part) => part !== '')
          .join(', ');
      case FieldType.CURRENCY:
        return parts.amountMicros === null || parts.amountMicros === undefined
          ? ''
          : joined(Number(parts.amountMicros) / 1_000_000, parts.currencyCode);
      case FieldType.RICH_TEXT_V2:
        return text(parts.markdown);
      case FieldType.ACTOR:
        return text(parts.name) || text(parts.source);
      case FieldType.LINK:
        return text(parts.label) || text(parts.url);
      default:
        return joined(...Object.values(parts).filter((part) => typeof part !== 'object'));
    }
  }
  if (Array.isArray(value)) return value.map(text).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
};
