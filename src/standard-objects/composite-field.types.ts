/** Record-side shapes of composite field values, keyed by subfield (see field-type.registry). */

export interface FullNameValue {
  firstName: string;
  lastName: string;
}

export interface LinksValue {
  primaryLinkUrl: string;
  primaryLinkLabel: string;
  secondaryLinks: Array<{ url: string; label: string }> | null;
}

export interface EmailsValue {
  primaryEmail: string;
  additionalEmails: string[] | null;
}

export interface PhonesValue {
  primaryPhoneNumber: string;
  primaryPhoneCountryCode: string;
  additionalPhones: Array<{ number: string; countryCode: string }> | null;
}

export interface RichTextV2Value {
  blocknote: string | null;
  markdown: string | null;
}

export interface AddressValue {
  addressStreet1: string;
  addressStreet2: string;
  addressCity: string;
  addressPostcode: string;
  addressState: string;
  addressCountry: string;
  addressLat: number | null;
  addressLng: number | null;
}

export interface CurrencyValue {
  amountMicros: number | null;
  currencyCode: string;
}

export type ActorSource = 'MANUAL' | 'IMPORT' | 'API' | 'SYSTEM';

export interface ActorValue {
  source: ActorSource;
  workspaceMemberId: string | null;
  name: string;
}
