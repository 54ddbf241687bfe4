import { FieldType } from '../declarations/field-type';
import { CustomMetadataError } from './custom-metadata.error';
import { CustomFieldInput, customFieldOf, customObjectOf, givenProperties } from './custom-metadata.input';

const invalid = (property: string, message: string | RegExp) =>
  expect.objectContaining({ property, code: 'INVALID', message: expect.stringMatching(message) });

describe('custom metadata input', () => {
  it('makes a custom field of valid input: options numbered, labels defaulted, ARRAY defaulting to []', () => {
    // As a request body gives it: an option without a label.
    const input: CustomFieldInput = JSON.parse(
      '{"name": "tier", "label": "Tier", "type": "SELECT", "options": [{"value": "GOLD", "position": 7}]}',
    );
    expect(customFieldOf(input, '0.24')).toMatchObject({
      standardId: '',
      name: 'tier',
      type: FieldType.SELECT,
      isNullable: true,
      isSystem: false,
      isActive: true,
      isUnique: false,
      isDeprecated: false,
      settings: null,
      options: [{ value: 'GOLD', label: 'GOLD', position: 0 }],
      defaultValue: null,
      relation: null,
    });
    expect(customFieldOf({ name: 'tags', label: 'Tags', type: 'ARRAY' }, '0.24').defaultValue).toEqual([]);
  });

  it('refuses legacy types from 0.23 on (and when the version is unknown), but not before', () => {
    expect(() => customFieldOf({ name: 'mail', label: 'Mail', type: 'EMAIL' }, '0.23')).toThrow(
      invalid('type', /legacy type .* use EMAILS/),
    );
    expect(() => customFieldOf({ name: 'mail', label: 'Mail', type: 'EMAIL' }, null)).toThrow(CustomMetadataError);
    expect(customFieldOf({ name: 'mail', label: 'Mail', type: 'EMAIL' }, '0.22').type).toBe(FieldType.EMAIL);
  });

  it('refuses bad names, relation fields, options where there are none or duplicated, and a required field without default', () => {
    expect(() => customFieldOf({ name: 'Bad-name', label: 'X', type: 'TEXT' }, '0.24')).toThrow(invalid('name', /must be camelCase/));
    expect(() => customFieldOf({ name: 'x'.repeat(60), label: 'X', type: 'TEXT' }, '0.24')).toThrow(
      invalid('name', /too long: at most 43/),
    );
    expect(() => customFieldOf({ name: 'link', label: 'X', type: 'RELATION' }, '0.24')).toThrow(invalid('type', /relation endpoint/));
    expect(() => customFieldOf({ name: 'note', label: 'X', type: 'TEXT', options: [] }, '0.24')).toThrow(
      invalid('options', /cannot have options/),
    );
    const twice = [
      { value: 'A', label: 'A', position: 0 },
      { value: 'A', label: 'B', position: 1 },
    ];
    expect(() => customFieldOf({ name: 'tier', label: 'X', type: 'SELECT', options: twice }, '0.24')).toThrow(
      invalid('options', /appears more than once/),
    );
    expect(() => customFieldOf({ name: 'note', label: 'X', type: 'TEXT', isNullable: false }, '0.24')).toThrow(
      invalid('isNullable', /needs a defaultValue/),
    );
  });

  it('checks a custom object: names distinct, labels given', () => {
    const input = { nameSingular: 'invoice', namePlural: 'invoices', labelSingular: 'Invoice', labelPlural: 'Invoices' };
    expect(customObjectOf(input)).toEqual({ ...input, description: null, icon: null });
    expect(() => customObjectOf({ ...input, namePlural: 'invoice' })).toThrow(invalid('namePlural', /must differ/));
    expect(() => customObjectOf({ ...input, labelPlural: ' ' })).toThrow(invalid('labelPlural', /is required/));
  });

  it('takes the properties an update gives, each of them known', () => {
    expect(givenProperties({ label: 'A', icon: undefined }, ['label', 'icon'], 'a field')).toEqual(['label']);
    expect(() => givenProperties({ type: 'TEXT' }, ['label'], 'a field')).toThrow(
      invalid('type', /cannot be changed; a field takes label/),
    );
    expect(() => givenProperties({}, ['label'], 'an object')).toThrow(invalid('body', /nothing to change/));
  });
});
