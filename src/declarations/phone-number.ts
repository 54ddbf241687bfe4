// The `max` metadata, not `min`: `min` checks a number only against its country's possible lengths,
// so digits of the right length in an unallocated range pass as valid and a wrong input would be
// split into a country code and a number. `max` checks each number against the patterns of its
// type (fixed line, mobile, toll free...). Its size does not matter on a server, and it parses
// fast enough for an upgrade (see the phone-parse benchmark).
import { type CountryCode, isSupportedCountry, ParseError, parsePhoneNumberWithError, type PhoneNumber } from 'libphonenumber-js/max';

export type { CountryCode };

/** Why a value was kept verbatim instead of parsed. */
export type PhoneUnparsedReason =
  'LETTERS' | 'NOT_A_NUMBER' | 'NO_COUNTRY' | 'UNKNOWN_COUNTRY_CODE' | 'TOO_SHORT' | 'TOO_LONG' | 'INVALID_NUMBER';

/** What each reason means, for the ledger and an operator reading it. */
export const PHONE_UNPARSED_REASONS: Record<PhoneUnparsedReason, string> = {
  LETTERS: 'has letters that are not an extension label (a vanity number such as 1-800-FLOWERS, or words)',
  NOT_A_NUMBER: 'is not one phone number (several numbers, or symbols around it)',
  NO_COUNTRY: 'has no international prefix and the workspace has no default country',
  UNKNOWN_COUNTRY_CODE: 'begins with a country calling code that does not exist',
  TOO_SHORT: 'has too few digits for a phone number',
  TOO_LONG: 'has too many digits for a phone number',
  INVALID_NUMBER: 'is not a number in use in its country (wrong length or range)',
};

/** A PHONE value as the first phone of a PHONES field. */
export interface PhoneConversion {
  /** The national number (with ` ext. <digits>` when there is an extension), or the input verbatim. */
  primaryPhoneNumber: string | null;
  /** `+` and the country calling code (`+33`); '' when the value was not parsed; NULL for NULL. */
  primaryPhoneCountryCode: string | null;
  /** Whether the value was split into country code and national number. */
  parsed: boolean;
  /** Set exactly when a non-blank value was kept verbatim. */
  reason?: PhoneUnparsedReason;
}

/** The first phone of a PHONES value, as `formatPhoneForLegacy` reads it. */
export interface PrimaryPhone {
  primaryPhoneNumber: string | null;
  primaryPhoneCountryCode: string | null;
}

export class PhoneConversionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PhoneConversionError';
  }
}

/** The label `parsePhone` puts between the national number and an extension. */
export const EXTENSION_LABEL = ' ext. ';

// The library refuses longer input itself; refusing it first costs nothing and bounds the work.
const MAX_INPUT_LENGTH = 250;
const LIBRARY_REASONS: Record<string, PhoneUnparsedReason> = {
  NOT_A_NUMBER: 'NOT_A_NUMBER',
  TOO_SHORT: 'TOO_SHORT',
  TOO_LONG: 'TOO_LONG',
  INVALID_LENGTH: 'INVALID_NUMBER',
};
// An extension label before its digits; any other letter is why a value did not parse.
const EXTENSION_LABELS = /(?:extension|extn|ext|xtn|anexo|ramal|int|x)\.?(?=[\s.:=#]*\d)/giu;
const LETTER = /\p{L}/u;
const DIGIT = /\p{Nd}/u;
const INVISIBLE = /\p{Cf}/gu;
const BRACKETED_COUNTRY_CODE = /^\(\s*(\+\d{1,3})\s*\)/;

const assertCountry = (country: CountryCode | undefined): void => {
  if (country !== undefined && !isSupportedCountry(country)) {
    throw new PhoneConversionError(
      `Unknown default country '${String(country)}': use an ISO 3166-1 alpha-2 code in capitals, such as FR or US, or none.`,
    );
  }
};

const tryParse = (text: string, defaultCountry: CountryCode | undefined): PhoneNumber | PhoneUnparsedReason => {
  try {
    const phone = parsePhoneNumberWithError(text, { defaultCountry, extract: false });
    return phone.isValid() ? phone : 'INVALID_NUMBER';
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    if (error.message === 'INVALID_COUNTRY') return text.startsWith('+') ? 'UNKNOWN_COUNTRY_CODE' : 'NO_COUNTRY';
    return LIBRARY_REASONS[error.message] ?? 'NOT_A_NUMBER';
  }
};

const parseTrimmed = (raw: string, trimmed: string, defaultCountry: CountryCode | undefined): PhoneConversion => {
  if (trimmed.length > MAX_INPUT_LENGTH) return { primaryPhoneNumber: raw, primaryPhoneCountryCode: '', parsed: false, reason: 'TOO_LONG' };
  // NFKC turns full-width digits, plus signs and no-break spaces into ASCII (the library reads
  // Arabic-Indic and Persian digits itself); invisible marks of copied text (U+200E, U+202C...)
  // go. A tel: URI is its number; a country code in brackets, `(+33) 1...`, is read without them.
  const text = trimmed.normalize('NFKC').replace(INVISIBLE, '').replace(/^tel:/i, '').replace(BRACKETED_COUNTRY_CODE, '$1');
  // Without a digit nothing can parse (letters are not read as keypad digits): no library call.
  let outcome = DIGIT.test(text) ? tryParse(text, defaultCountry) : 'NOT_A_NUMBER';
  // 00 is the international prefix in most of the world: written from anywhere, it is read as +.
  if (typeof outcome === 'string' && text.startsWith('00')) {
    const international = tryParse(`+${text.slice(2)}`, defaultCountry);
    if (typeof international !== 'string') outcome = international;
  }
  if (typeof outcome === 'string') {
    const reason = LETTER.test(text.replace(EXTENSION_LABELS, '')) ? 'LETTERS' : outcome;
    return { primaryPhoneNumber: raw, primaryPhoneCountryCode: '', parsed: false, reason };
  }
  const extension = outcome.ext ? `${EXTENSION_LABEL}${outcome.ext}` : '';
  return {
    primaryPhoneNumber: `${outcome.nationalNumber}${extension}`,
    primaryPhoneCountryCode: `+${outcome.countryCallingCode}`,
    parsed: true,
  };
};

const convert = (raw: string | null, defaultCountry: CountryCode | undefined): PhoneConversion => {
  if (raw === null) return { primaryPhoneNumber: null, primaryPhoneCountryCode: null, parsed: false };
  const trimmed = raw.trim();
  if (trimmed === '') return { primaryPhoneNumber: '', primaryPhoneCountryCode: '', parsed: false };
  return parseTrimmed(raw, trimmed, defaultCountry);
};

/**
 * A legacy PHONE value as the first phone of a PHONES field. A number that parses and is valid
 * gives its national number and `+` country calling code; an extension stays with the number as
 * ` ext. <digits>`, so no digit is lost. Anything else is kept verbatim with '' as country code
 * and a reason. NULL stays NULL; a blank value becomes ''. `defaultCountry` reads numbers written
 * without an international prefix; an unknown code is refused.
 */
export const parsePhone = (raw: string | null, defaultCountry?: CountryCode): PhoneConversion => {
  assertCountry(defaultCountry);
  return convert(raw, defaultCountry);
};

export interface UnparsedPhone {
  index: number;
  raw: string;
  reason: PhoneUnparsedReason;
}

/** A batch of PHONE values converted, column by column, as an `UPDATE ... FROM unnest(...)` takes them. */
export interface PhoneBatchConversion {
  primaryPhoneNumbers: (string | null)[];
  primaryPhoneCountryCodes: (string | null)[];
  parsedCount: number;
  /** The non-blank values kept verbatim, by index in the batch. */
  unparsed: UnparsedPhone[];
}

/** `parsePhone` over a batch, the default country checked once. */
export const parsePhones = (raws: readonly (string | null)[], defaultCountry?: CountryCode): PhoneBatchConversion => {
  assertCountry(defaultCountry);
  const batch: PhoneBatchConversion = { primaryPhoneNumbers: [], primaryPhoneCountryCodes: [], parsedCount: 0, unparsed: [] };
  raws.forEach((raw, index) => {
    const phone = convert(raw, defaultCountry);
    batch.primaryPhoneNumbers.push(phone.primaryPhoneNumber);
    batch.primaryPhoneCountryCodes.push(phone.primaryPhoneCountryCode);
    if (phone.parsed) batch.parsedCount += 1;
    else if (phone.reason) batch.unparsed.push({ index, raw: raw as string, reason: phone.reason });
  });
  return batch;
};

/**
 * The first phone of a PHONES value as one legacy PHONE text: `+33 1 23 45 67 89 ext. 12` in
 * international format when it has a country code, the number verbatim when not. `parsePhone`
 * reads the text back to the same value. NULL stays NULL.
 */
export const formatPhoneForLegacy = (phone: PrimaryPhone): string | null => {
  const { primaryPhoneNumber: number, primaryPhoneCountryCode: countryCode } = phone;
  if (number === null) return null;
  if (!countryCode || number.trim() === '') return number;
  const [national, extension] = number.split(EXTENSION_LABEL, 2);
  try {
    const international = parsePhoneNumberWithError(`${countryCode}${national}`, { extract: false }).formatInternational();
    return extension === undefined ? international : `${international}${EXTENSION_LABEL}${extension}`;
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    return `${countryCode} ${number}`;
  }
};
