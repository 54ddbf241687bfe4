import { DeclaredObject, DeclaredSchema } from '../declarations/declared-schema';
import { FieldType } from '../declarations/field-type';
import { STANDARD_OBJECT_IDS } from '../standard-objects/standard-ids.constant';
import { buildStandardDeclarations } from '../standard-objects/standard-objects';
import { buildDesiredState } from './desired-state';
import { scopeOfChange } from './sync-scope';

const standard = buildStandardDeclarations();

/** The standard declarations with one object changed by `change`. */
const withObject = (schema: DeclaredSchema, standardId: string, change: (object: DeclaredObject) => DeclaredObject): DeclaredSchema => ({
  ...schema,
  objects: schema.objects.map((object) => (object.standardId === standardId ? change(object) : object)),
});

const withoutPersonCity = withObject(standard, STANDARD_OBJECT_IDS.person, (object) => ({
  ...object,
  fields: object.fields.filter((field) => field.name !== 'city'),
}));

const scope = (previous: DeclaredSchema, next: DeclaredSchema) => scopeOfChange(buildDesiredState(previous), buildDesiredState(next));

const names = (standardIds: Iterable<string>): string[] =>
  [...standardIds].map((id) => standard.objects.find((object) => object.standardId === id)!.nameSingular).sort();

describe('scopeOfChange', () => {
  it('compares only the object a field was added to, and reads the targets of its relations for their ids', () => {
    const found = scope(withoutPersonCity, standard)!;
    expect(found.objectNames).toEqual(['person']);
    expect(names(found.compared)).toEqual(['person']);
    expect(found.tableNames).toEqual(['person']);
    const person = standard.objects.find((object) => object.nameSingular === 'person')!;
    const targets = [...new Set(person.fields.flatMap((field) => (field.relation ? [field.relation.targetObject] : [])))];
    expect(targets.length).toBeGreaterThan(0);
    expect(names(found.standardIds)).toEqual(['person', ...targets].sort());
    expect(found.desired.objects.map((object) => object.declared.nameSingular).sort()).toEqual(['person', ...targets].sort());
    const inverses = person.fields.flatMap((field) =>
      field.relation?.inverseFieldName
        ? [
            standard.objects
              .find((object) => object.nameSingular === field.relation!.targetObject)!
              .fields.find((candidate) => candidate.name === field.relation!.inverseFieldName)!.standardId,
          ]
        : [],
    );
    expect(inverses.length).toBeGreaterThan(0);
    expect([...found.referencedFieldIds].sort()).toEqual([...new Set(inverses)].sort());
  });

  it('compares the view objects too when a field goes: their rows that show it go with it', () => {
    const found = scope(standard, withoutPersonCity)!;
    expect(names(found.compared)).toEqual(['person', 'viewField', 'viewFilter', 'viewSort']);
  });

  it('compares nothing when nothing changed, and what changed otherwise', () => {
    expect(scope(standard, standard)!.objectNames).toEqual([]);
    const relabelled = withObject(standard, STANDARD_OBJECT_IDS.company, (object) => ({ ...object, labelPlural: 'Accounts' }));
    expect(scope(standard, relabelled)!.objectNames).toEqual(['company']);
  });

  it('ignores the order keys were written in', () => {
    const reordered = JSON.parse(JSON.stringify(standard), (_key, value) =>
      value && typeof value === 'object' && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).reverse()) : value,
    ) as DeclaredSchema;
    expect(scope(reordered, standard)!.objectNames).toEqual([]);
  });

  it('gives up (null: compare the whole workspace) on another version, an object added, removed or renamed, or other shared custom-object fields', () => {
    expect(scope({ ...withoutPersonCity, version: '0.1' }, standard)).toBeNull();
    const withoutNote = { ...standard, objects: standard.objects.filter((object) => object.standardId !== STANDARD_OBJECT_IDS.note) };
    expect(scope(withoutNote, standard)).toBeNull();
    expect(scope(standard, withoutNote)).toBeNull();
    expect(
      scope(
        standard,
        withObject(standard, STANDARD_OBJECT_IDS.company, (object) => ({ ...object, nameSingular: 'account', namePlural: 'accounts' })),
      ),
    ).toBeNull();
    expect(
      scope(
        standard,
        withObject(standard, STANDARD_OBJECT_IDS.company, (object) => ({ ...object, namePlural: 'firms' })),
      ),
    ).toBeNull();
    expect(scope(standard, { ...standard, customObjectFields: standard.customObjectFields.slice(1) })).toBeNull();
  });

  describe('additions', () => {
    const without = (schema: DeclaredSchema, standardId: string, name: string): DeclaredSchema =>
      withObject(schema, standardId, (object) => ({ ...object, fields: object.fields.filter((field) => field.name !== name) }));
    const additions = (previous: DeclaredSchema, next: DeclaredSchema) =>
      scope(previous, next)!.additions?.map(({ object, fields }) => [
        object.declared.nameSingular,
        fields.map((field) => field.declared.name),
      ]) ?? null;

    it('are the new fields, by object, when nothing else changed', () => {
      expect(additions(withoutPersonCity, standard)).toEqual([['person', ['city']]]);
      const withoutTwo = without(withoutPersonCity, STANDARD_OBJECT_IDS.opportunity, 'stage');
      expect(additions(withoutTwo, standard)!.sort()).toEqual([
        ['opportunity', ['stage']],
        ['person', ['city']],
      ]);
    });

    it('take a new enum field (its type is created with its column)', () => {
      const [[object, fields]] = additions(without(standard, STANDARD_OBJECT_IDS.opportunity, 'stage'), standard)!;
      expect([object, fields]).toEqual(['opportunity', ['stage']]);
      const stage = scope(without(standard, STANDARD_OBJECT_IDS.opportunity, 'stage'), standard)!.additions![0].fields[0];
      expect(stage.columns.map((column) => column.enumName)).toEqual(['opportunity_stage_enum']);
    });

    it('are none when anything else changed: a removal, another property of the object, a relation, a unique field, an index, a volatile default', () => {
      expect(additions(standard, withoutPersonCity)).toBeNull();
      expect(additions(standard, standard)).toBeNull();
      const relabelled = withObject(standard, STANDARD_OBJECT_IDS.person, (object) => ({ ...object, labelPlural: 'Contacts' }));
      expect(additions(withoutPersonCity, relabelled)).toBeNull();
      const otherLabel = withObject(standard, STANDARD_OBJECT_IDS.person, (object) => ({
        ...object,
        fields: object.fields.map((field) => (field.name === 'jobTitle' ? { ...field, label: 'Role' } : field)),
      }));
      expect(additions(withoutPersonCity, otherLabel)).toBeNull();
      expect(additions(without(standard, STANDARD_OBJECT_IDS.person, 'company'), standard)).toBeNull();
      const uniqueCity = withObject(standard, STANDARD_OBJECT_IDS.person, (object) => ({
        ...object,
        fields: object.fields.map((field) => (field.name === 'city' ? { ...field, isUnique: true } : field)),
      }));
      expect(additions(withoutPersonCity, uniqueCity)).toBeNull();
      const indexed = withObject(standard, STANDARD_OBJECT_IDS.person, (object) => ({
        ...object,
        indexes: [...object.indexes, { name: 'IDX_person_city', fields: ['city'], isUnique: false, where: null }],
      }));
      expect(additions(withoutPersonCity, indexed)).toBeNull();
      const withId = withObject(standard, STANDARD_OBJECT_IDS.person, (object) => ({
        ...object,
        fields: object.fields.map((field) => (field.name === 'city' ? { ...field, type: FieldType.UUID, defaultValue: 'uuid' } : field)),
      }));
      expect(additions(withoutPersonCity, withId)).toBeNull();
    });
  });
});
