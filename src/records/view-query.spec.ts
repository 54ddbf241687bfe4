import { FieldType } from '../declarations/field-type';
import { actualField, actualObject } from '../../test/fixtures/records';
import { recordFields } from './record-fields';
import { viewQuery } from './view-query';

const object = actualObject('company', [
  actualField('name', FieldType.FULL_NAME),
  actualField('address', FieldType.ADDRESS),
  actualField('arr', FieldType.CURRENCY),
  actualField('stage', FieldType.SELECT, {
    options: [
      { value: 'NEW', label: 'New', position: 0 },
      { value: 'WON', label: 'Won', position: 1 },
    ],
  }),
  actualField('employees', FieldType.NUMBER),
  actualField('hidden', FieldType.TEXT, { isActive: false }),
]);
const fields = recordFields(object);
const all = recordFields(object, { includeInactive: true });
const filter = (field: string, operand: string, value: string) => ({ id: `f-${field}`, fieldMetadataId: `id-${field}`, operand, value });

describe('view filters and sorts', () => {
  it('filters a composite field on its main subfields', () => {
    const { conditions } = viewQuery(fields, all, [filter('name', 'contains', 'ada'), filter('address', 'isEmpty', '')], []);
    expect(conditions[0]).toEqual({
      columns: [
        { name: 'nameFirstName', type: 'text' },
        { name: 'nameLastName', type: 'text' },
      ],
      operator: 'contains',
      negate: false,
      value: 'ada',
    });
    expect(conditions[1].columns.map((column) => column.name)).toEqual([
      'addressAddressStreet1',
      'addressAddressStreet2',
      'addressAddressCity',
      'addressAddressPostcode',
      'addressAddressState',
      'addressAddressCountry',
    ]);
  });

  it('reads currency filters in units, select filters as lists, numbers as numbers', () => {
    const { conditions } = viewQuery(
      fields,
      all,
      [filter('arr', 'greaterThan', '1.5'), filter('stage', 'isNot', '["NEW","WON"]'), filter('employees', 'is', '10')],
      [],
    );
    expect(conditions.map(({ operator, negate, value }) => ({ operator, negate, value }))).toEqual([
      { operator: 'gt', negate: false, value: 1_500_000 },
      { operator: 'in', negate: true, value: ['NEW', 'WON'] },
      { operator: 'eq', negate: false, value: 10 },
    ]);
  });

  it('skips filters on inactive fields and refuses those on fields that do not exist', () => {
    expect(viewQuery(fields, all, [filter('hidden', 'is', 'x')], []).conditions).toEqual([]);
    expect(() => viewQuery(fields, all, [filter('ghost', 'is', 'x')], [])).toThrow(
      /points at a field \(id-ghost\) that this object does not have/,
    );
  });

  it('refuses an operand it does not know, a number that is not one, a direction that is not asc or desc', () => {
    expect(() => viewQuery(fields, all, [filter('employees', 'approximately', '1')], [])).toThrow(/operand "approximately"/);
    expect(() => viewQuery(fields, all, [filter('employees', 'lessThan', 'ten')], [])).toThrow(/needs a number/);
    expect(() => viewQuery(fields, all, [], [{ id: 's', fieldMetadataId: 'id-employees', direction: 'sideways' }])).toThrow(
      /use asc or desc/,
    );
  });

  it('sorts a composite by its main subfields in order', () => {
    const { sorts } = viewQuery(fields, all, [], [{ id: 's', fieldMetadataId: 'id-name', direction: 'DESC' }]);
    expect(sorts.map((sort) => `${sort.column.name} ${sort.direction}`)).toEqual(['nameFirstName DESC', 'nameLastName DESC']);
  });
});
