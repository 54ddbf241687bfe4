import { DeclaredSchema } from '../declarations/declared-schema';
import { FieldType, RelationType } from '../declarations/field-type';
import { UUID_PATTERN } from '../declarations/identifier.rules';
import { PERSON_STANDARD_FIELD_IDS, STANDARD_OBJECT_IDS } from './standard-ids.constant';
import { buildStandardDeclarations } from './standard-objects';
import { CURRENT_VERSION } from './version.constant';

describe('standard objects', () => {
  let schema: DeclaredSchema;

  beforeAll(() => {
    schema = buildStandardDeclarations();
  });

  const object = (nameSingular: string) => {
    const found = schema.objects.find((candidate) => candidate.nameSingular === nameSingular);
    if (!found) throw new Error(`no object ${nameSingular}`);
    return found;
  };

  it('builds without a declaration error', () => {
    expect(() => buildStandardDeclarations()).not.toThrow();
    expect(schema.version).toBe(CURRENT_VERSION);
  });

  it('declares the fifteen standard objects', () => {
    expect(schema.objects.map((o) => o.nameSingular).sort()).toEqual(
      [
        'attachment',
        'company',
        'note',
        'noteTarget',
        'opportunity',
        'person',
        'task',
        'taskTarget',
        'favorite',
        'timelineActivity',
        'view',
        'viewField',
        'viewFilter',
        'viewSort',
        'workspaceMember',
      ].sort(),
    );
  });

  it('declares person.emails as EMAILS under the standardId the 0.22 email field had', () => {
    const emails = object('person').fields.find((field) => field.name === 'emails');
    expect(emails).toMatchObject({ type: FieldType.EMAILS, standardId: PERSON_STANDARD_FIELD_IDS.emails });
  });

  it('gives every object the base fields and its own standardId', () => {
    for (const declared of schema.objects) {
      expect(declared.fields.map((field) => field.name)).toEqual(expect.arrayContaining(['id', 'createdAt', 'updatedAt', 'deletedAt']));
    }
    expect(object('person').standardId).toBe(STANDARD_OBJECT_IDS.person);
  });

  it('pairs every MANY_TO_ONE relation with a ONE_TO_MANY inverse naming it back', () => {
    const manyToOne = schema.objects.flatMap((source) =>
      source.fields.filter((field) => field.relation?.type === RelationType.MANY_TO_ONE).map((field) => ({ source, field })),
    );
    expect(manyToOne.length).toBeGreaterThan(0);
    for (const { source, field } of manyToOne) {
      const inverse = object(field.relation!.targetObject).fields.find((candidate) => candidate.name === field.relation!.inverseFieldName);
      expect({ from: `${source.nameSingular}.${field.name}`, inverse: inverse?.relation }).toEqual({
        from: `${source.nameSingular}.${field.name}`,
        inverse: expect.objectContaining({
          type: RelationType.ONE_TO_MANY,
          targetObject: source.nameSingular,
          inverseFieldName: field.name,
        }),
      });
    }
  });

  it('indexes the join column of every MANY_TO_ONE relation', () => {
    for (const declared of schema.objects) {
      const indexed = new Set(declared.indexes.flatMap((index) => index.fields));
      for (const field of declared.fields.filter((f) => f.relation?.type === RelationType.MANY_TO_ONE)) {
        expect(`${declared.nameSingular}.${field.name}:${indexed.has(field.name)}`).toBe(`${declared.nameSingular}.${field.name}:true`);
      }
    }
  });

  it('declares the fields every custom object shares, with generated inverses', () => {
    const names = schema.customObjectFields.map((field) => field.name);
    expect(names).toEqual(expect.arrayContaining(['name', 'position', 'createdBy', 'noteTargets', 'attachments']));
    for (const relation of schema.customObjectFields.filter((field) => field.relation)) {
      expect(relation.relation).toMatchObject({ type: RelationType.ONE_TO_MANY, inverseFieldName: null });
    }
  });

  it('uses valid UUIDs as standardIds and never repeats an object standardId', () => {
    const fieldIds = [...schema.objects.flatMap((o) => o.fields), ...schema.customObjectFields].map((field) => field.standardId);
    const objectIds = schema.objects.map((o) => o.standardId);
    for (const id of [...objectIds, ...fieldIds]) {
      expect(id).toMatch(UUID_PATTERN);
    }
    expect(new Set(objectIds).size).toBe(objectIds.length);
  });
});
