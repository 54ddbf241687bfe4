import { DeclaredSchema } from '../declarations/declared-schema';
import { FieldType, OnDeleteAction } from '../declarations/field-type';
import { buildStandardDeclarations } from '../standard-objects/standard-objects';
import { getVersionSnapshot } from '../standard-objects/version-snapshots';
import { checkDeclarations, formatDeclarationChange } from './declarations-check';
import { UpgradeStep } from './upgrade-step';
import { UPGRADE_0_24_STEPS } from './versions/0-24';

const copy = (schema: DeclaredSchema): DeclaredSchema => JSON.parse(JSON.stringify(schema)) as DeclaredSchema;
const objectOf = (schema: DeclaredSchema, name: string) => schema.objects.find((object) => object.nameSingular === name)!;
const fieldOf = (schema: DeclaredSchema, object: string, name: string) =>
  objectOf(schema, object).fields.find((field) => field.name === name)!;

const step = (definition: Record<string, unknown>, claims?: string[]): UpgradeStep => ({
  version: '0.26',
  name: 'migrate-job-title',
  phase: 'before-sync',
  description: 'test step',
  definition,
  ...(claims ? { claims } : {}),
  run: async () => ({ rowsAffected: 0, notes: [], maxBatchMs: 0 }),
});

describe('declarations check', () => {
  const released = getVersionSnapshot('0.25');

  it("passes on the project's own declarations against the last snapshot: nothing changed", () => {
    const result = checkDeclarations(buildStandardDeclarations(), released, '0.25', [], '0.26');
    expect({ changes: result.changes, unclaimed: result.unclaimed }).toEqual({ changes: [], unclaimed: [] });
  });

  describe('a field whose type changes', () => {
    const current = copy(released);
    fieldOf(current, 'person', 'jobTitle').type = FieldType.NUMBER;

    it('fails without a step, naming the field, its standardId and what to do', () => {
      const result = checkDeclarations(current, released, '0.25', [], '0.26');
      expect(result.unclaimed.map((change) => [change.kind, change.object, change.field])).toEqual([['TYPE_CHANGE', 'person', 'jobTitle']]);
      const line = formatDeclarationChange(result.unclaimed[0], '0.26');
      expect(line).toContain('person.jobTitle [TYPE_CHANGE]');
      expect(line).toContain(
        `NOT CLAIMED: add a step to src/upgrade/versions/0-26 whose definition (or claims) names standardId ${fieldOf(current, 'person', 'jobTitle').standardId}`,
      );
    });

    it('passes when a step of the next version names its standardId, in its definition or its claims', () => {
      const standardId = fieldOf(current, 'person', 'jobTitle').standardId;
      for (const claiming of [step({ from: { standardId } }), step({ revision: 1 }, [standardId])]) {
        const result = checkDeclarations(current, released, '0.25', [claiming], '0.26');
        expect(result.unclaimed).toEqual([]);
        expect(result.changes.map((change) => change.claimedBy)).toEqual(['0.26:migrate-job-title']);
      }
    });

    it('a step naming another field does not claim it', () => {
      const result = checkDeclarations(current, released, '0.25', [step({ field: fieldOf(current, 'person', 'city').standardId })], '0.26');
      expect(result.unclaimed.map((change) => change.field)).toEqual(['jobTitle']);
    });
  });

  it('finds each change that needs data moved: new required field, field made required, unique, options removed', () => {
    const current = copy(released);
    const person = objectOf(current, 'person');
    person.fields.push({
      ...fieldOf(current, 'person', 'city'),
      standardId: '0b9f7c52-5b47-4a1f-9d6c-2d1c9e8f0a01',
      name: 'badge',
      defaultValue: null,
    });
    fieldOf(current, 'person', 'birthdate').isNullable = false;
    fieldOf(current, 'company', 'name').isUnique = true;
    const stage = fieldOf(current, 'opportunity', 'stage');
    const removedValue = stage.options![stage.options!.length - 1].value;
    stage.options = stage.options!.slice(0, -1);
    const result = checkDeclarations(current, released, '0.25', [], '0.26');
    expect(result.unclaimed.map((change) => [change.kind, `${change.object}.${change.field}`])).toEqual([
      ['FIELD_MADE_REQUIRED', 'person.birthdate'],
      ['NEW_REQUIRED_FIELD', 'person.badge'],
      ['NEW_UNIQUE_INDEX', 'company.name'],
      ['OPTIONS_REMOVED', 'opportunity.stage'],
    ]);
    expect(result.unclaimed[3].detail).toContain(removedValue);
  });

  it('leaves to sync alone what needs no data moved: renames, new nullable fields, on-delete, deprecation, removal', () => {
    const current = copy(released);
    fieldOf(current, 'person', 'city').name = 'town';
    fieldOf(current, 'person', 'jobTitle').isDeprecated = true;
    fieldOf(current, 'opportunity', 'company').relation!.onDelete = OnDeleteAction.SET_NULL;
    objectOf(current, 'company').fields = objectOf(current, 'company').fields.filter((field) => field.name !== 'employees');
    const result = checkDeclarations(current, released, '0.25', [], '0.26');
    expect(result.unclaimed).toEqual([]);
    expect(result.changes.map((change) => [change.kind, `${change.object}.${change.field}`, change.hazard]).sort()).toEqual(
      [
        ['RENAME_FIELD', 'person.town', null],
        ['DEPRECATE_FIELD', 'person.jobTitle', null],
        ['ON_DELETE_CHANGE', 'opportunity.company', null],
        ['REMOVE_FIELD', 'company.employees', 'DROPS_DATA'],
      ].sort(),
    );
  });

  it('0.23 -> 0.24: the relation by value and the unique index are claimed by the steps of 0.24', () => {
    const result = checkDeclarations(getVersionSnapshot('0.24'), getVersionSnapshot('0.23'), '0.23', UPGRADE_0_24_STEPS, '0.24');
    expect(result.unclaimed).toEqual([]);
    expect(
      result.changes
        .filter((change) => change.needsDataMove)
        .map((change) => [change.kind, `${change.object}.${change.field}`, change.claimedBy]),
    ).toEqual([
      ['NEW_UNIQUE_INDEX', 'person.emails', '0.24:build-person-email-unique-index'],
      ['RELATION_BY_VALUE_TO_FOREIGN_KEY', 'opportunity.pointOfContact', '0.24:backfill-opportunity-point-of-contact'],
    ]);
    expect(checkDeclarations(getVersionSnapshot('0.24'), getVersionSnapshot('0.23'), '0.23', [], '0.24').unclaimed).toHaveLength(2);
  });
});
