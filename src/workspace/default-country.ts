import { isSupportedCountry } from 'libphonenumber-js/max';

/**
 * A workspace's default country as given (FR, fr): the ISO 3166-1 alpha-2 code in capitals, or an
 * error message that says what to give instead. Only countries with phone numbering plans are
 * taken, since phone numbers are what the setting is read for.
 */
export const normalizeDefaultCountry = (input: unknown): { country: string } | { problem: string } => {
  const code = typeof input === 'string' ? input.trim().toUpperCase() : '';
  if (/^[A-Z]{2}$/.test(code) && isSupportedCountry(code)) return { country: code };
  const shown = typeof input === 'string' ? `"${input.slice(0, 20)}"` : String(input);
  return {
    problem: `default country ${shown} is not an ISO 3166-1 alpha-2 country code with phone numbers; give two letters such as FR, US or DE`,
  };
};
