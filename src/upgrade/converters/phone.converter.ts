// The PHONE -> PHONES conversion of the 0.25 upgrade is the product's one reading of a phone
// number: the CSV import and the contact writer read legacy values with it too, so it lives
// beside the field types, below every layer that uses it.
export * from '../../declarations/phone-number';
