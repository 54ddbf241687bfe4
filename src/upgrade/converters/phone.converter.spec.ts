import {
  type CountryCode,
  formatPhoneForLegacy,
  parsePhone,
  parsePhones,
  PHONE_UNPARSED_REASONS,
  PhoneConversionError,
} from './phone.converter';
import { PHONE_CORPUS } from './phone.corpus.spec-support';

const country = (code: CountryCode | ''): CountryCode | undefined => (code === '' ? undefined : code);

describe('parsePhone', () => {
  it('has a corpus of at least 200 values, each once with its default country', () => {
    expect(PHONE_CORPUS.length).toBeGreaterThanOrEqual(200);
    const keys = PHONE_CORPUS.map(([raw, code]) => JSON.stringify([raw, code]));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it.each(PHONE_CORPUS.map((entry) => [JSON.stringify(entry[0])?.slice(0, 60), entry[1], entry] as const))(
    'converts %s (default country %s)',
    (_label, _code, [raw, code, number, countryCode, reason]) => {
      const phone = parsePhone(raw, country(code));
      expect(phone.primaryPhoneNumber).toBe(number);
      expect(phone.primaryPhoneCountryCode).toBe(countryCode);
      expect(phone.parsed).toBe(countryCode !== null && countryCode !== '');
      expect(phone.reason).toBe(reason);
    },
  );

  it('keeps every value it does not parse verbatim, with a reason, and drops no digit of those it parses', () => {
    for (const [raw, code] of PHONE_CORPUS) {
      const phone = parsePhone(raw, country(code));
      if (raw === null || raw.trim() === '' || phone.parsed) continue;
      expect({ raw, kept: phone.primaryPhoneNumber, code: phone.primaryPhoneCountryCode }).toEqual({ raw, kept: raw, code: '' });
      expect(phone.reason).toBeDefined();
    }
  });

  it('meets every reason in the corpus, each described for the ledger', () => {
    const reasons = new Set(PHONE_CORPUS.flatMap(([, , , , reason]) => (reason ? [reason] : [])));
    expect([...reasons].sort()).toEqual(Object.keys(PHONE_UNPARSED_REASONS).sort());
  });

  it('refuses an unknown default country, saying what to give instead', () => {
    expect(() => parsePhone('01 23 45 67 89', 'XX' as CountryCode)).toThrow(PhoneConversionError);
    expect(() => parsePhone('01 23 45 67 89', 'fr' as CountryCode)).toThrow(
      "Unknown default country 'fr': use an ISO 3166-1 alpha-2 code in capitals, such as FR or US, or none.",
    );
  });
});

describe('parsePhones', () => {
  it('gives the same values as parsePhone, column by column, with the counts and the values kept verbatim', () => {
    const raws = PHONE_CORPUS.filter(([, code]) => code === 'FR' || code === '').map(([raw]) => raw);
    const batch = parsePhones(raws, 'FR');
    const one = raws.map((raw) => parsePhone(raw, 'FR'));
    expect(batch.primaryPhoneNumbers).toEqual(one.map((phone) => phone.primaryPhoneNumber));
    expect(batch.primaryPhoneCountryCodes).toEqual(one.map((phone) => phone.primaryPhoneCountryCode));
    expect(batch.parsedCount).toBe(one.filter((phone) => phone.parsed).length);
    expect(batch.unparsed).toEqual(
      one.flatMap((phone, index) => (phone.reason ? [{ index, raw: raws[index], reason: phone.reason }] : [])),
    );
  });

  it('reads national numbers with the default country and counts NULL and blanks as neither parsed nor kept', () => {
    const batch = parsePhones(['01 23 45 67 89', null, '  ', 'n/a', '+44 20 7946 0958'], 'FR');
    expect(batch).toEqual({
      primaryPhoneNumbers: ['123456789', null, '', 'n/a', '2079460958'],
      primaryPhoneCountryCodes: ['+33', null, '', '', '+44'],
      parsedCount: 2,
      unparsed: [{ index: 3, raw: 'n/a', reason: 'LETTERS' }],
    });
  });

  it('refuses an unknown default country before converting anything', () => {
    expect(() => parsePhones(['+33 1 23 45 67 89'], 'ZZ' as CountryCode)).toThrow(PhoneConversionError);
  });
});

describe('formatPhoneForLegacy', () => {
  it('writes a parsed phone in international format, with its extension', () => {
    expect(formatPhoneForLegacy({ primaryPhoneNumber: '123456789', primaryPhoneCountryCode: '+33' })).toBe('+33 1 23 45 67 89');
    expect(formatPhoneForLegacy({ primaryPhoneNumber: '2125550123 ext. 45', primaryPhoneCountryCode: '+1' })).toBe(
      '+1 212 555 0123 ext. 45',
    );
  });

  it('keeps a phone without a country code verbatim, NULL as NULL, and joins a number its code cannot read', () => {
    expect(formatPhoneForLegacy({ primaryPhoneNumber: '1-800-FLOWERS', primaryPhoneCountryCode: '' })).toBe('1-800-FLOWERS');
    expect(formatPhoneForLegacy({ primaryPhoneNumber: null, primaryPhoneCountryCode: null })).toBeNull();
    expect(formatPhoneForLegacy({ primaryPhoneNumber: '', primaryPhoneCountryCode: '+33' })).toBe('');
    expect(formatPhoneForLegacy({ primaryPhoneNumber: 'desk', primaryPhoneCountryCode: '+33' })).toBe('+33 desk');
  });

  it('is read back by parsePhone to the same value, for every value of the corpus', () => {
    for (const [raw, code] of PHONE_CORPUS) {
      const phone = parsePhone(raw, country(code));
      expect({ raw, again: parsePhone(formatPhoneForLegacy(phone), country(code)) }).toEqual({ raw, again: phone });
    }
  });
});
