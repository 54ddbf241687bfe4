import { DeclaredSelectOption } from '../declarations/declared-schema';
import { FieldType, RelationType } from '../declarations/field-type';
import { buildDesiredState, DesiredState } from './desired-state';
import { Hazard } from './plan';
import { WorkspaceComparator } from './workspace.comparator';
import { appliedState, changesOf, v1 } from './workspace.comparator.spec-support';

const OPTION_IDS = { NEW: '0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f1', WON: '0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f2' };

/** The desired state of v1 with person.stage given `options` (and their values as enum labels). */
const withStageOptions = (desired: DesiredState, options: DeclaredSelectOption[]): DesiredState => {
  const copy = structuredClone(desired);
  const stage = copy.objects[1].fields.find((field) => field.declared.name === 'stage')!;
  stage.declared.options = options;
  stage.enumValues = options.map((option) => option.value);
  return copy;
};

const stageWithIds: DeclaredSelectOption[] = [
  { id: OPTION_IDS.NEW, value: 'NEW', label: 'New', position: 0 },
  { id: OPTION_IDS.WON, value: 'WON', label: 'Won', position: 1 },
];

describe('WorkspaceComparator: the field model', () => {
  it('renames an enum label when an option known by its id changes value: no rewrite, no check of the rows', () => {
    const desired = withStageOptions(buildDesiredState(v1()), stageWithIds);
    const actual = appliedState(desired);
    const renamed = withStageOptions(desired, [stageWithIds[0], { ...stageWithIds[1], value: 'closedWon' }]);

    const plan = WorkspaceComparator.compare(renamed, actual);

    expect(plan.refusals).toEqual([]);
    const action = plan.actions.find((candidate) => candidate.field === 'stage')!;
    expect(action.hazard).toBeNull();
    expect(action.preflight).toEqual([]);
    expect(changesOf(plan)).toContainEqual(
      expect.objectContaining({
        kind: 'updateField',
        enumValues: { action: 'add', enumType: 'person_stage_enum', renamed: [{ from: 'WON', to: 'closedWon' }], added: [] },
      }),
    );
  });

  it('without an option id a changed value is a removal and an addition, refused as a rewrite', () => {
    const desired = buildDesiredState(v1());
    const actual = appliedState(desired);
    const changed = withStageOptions(desired, [
      { value: 'NEW', label: 'New', position: 0 },
      { value: 'closedWon', label: 'Won', position: 1 },
    ]);

    const plan = WorkspaceComparator.compare(changed, actual);

    expect(plan.refusals).toEqual([expect.objectContaining({ hazard: Hazard.REWRITES_TABLE, field: 'stage' })]);
  });

  it('a removal beside a rename checks the rows for the remaining values and the renamed ones as they are before the rename', () => {
    const desired = withStageOptions(buildDesiredState(v1()), stageWithIds);
    const actual = appliedState(desired);
    const fewer = withStageOptions(desired, [{ ...stageWithIds[1], value: 'closedWon' }]);

    const plan = WorkspaceComparator.compare(fewer, actual, { allowHazards: new Set([Hazard.REWRITES_TABLE]) });

    const action = plan.actions.find((candidate) => candidate.field === 'stage')!;
    expect(action.preflight).toEqual([expect.objectContaining({ kind: 'ONLY_VALUES', values: ['closedWon', 'WON'] })]);
    expect(changesOf(plan)).toContainEqual(
      expect.objectContaining({
        enumValues: expect.objectContaining({ action: 'replace', renamed: [{ from: 'WON', to: 'closedWon' }], values: ['closedWon'] }),
      }),
    );
  });

  it('a relation made required sets its foreign key NOT NULL after checking for NULLs', () => {
    const desired = buildDesiredState(v1());
    const actual = appliedState(desired);
    const required = structuredClone(desired);
    const company = required.objects[1].fields.find((field) => field.declared.name === 'company')!;
    company.declared.isNullable = false;
    company.columns[0].isNullable = false;

    const plan = WorkspaceComparator.compare(required, actual);

    const action = plan.actions.find((candidate) => candidate.field === 'company')!;
    expect(action.changes).toEqual([
      expect.objectContaining({ kind: 'updateField', set: { isNullable: false }, nullability: { column: 'companyId', isNullable: false } }),
    ]);
    expect(action.preflight).toEqual([expect.objectContaining({ kind: 'NO_NULLS', table: 'person', columns: ['companyId'] })]);
    expect(company.declared).toMatchObject({ type: FieldType.RELATION, relation: { type: RelationType.MANY_TO_ONE } });
  });
});
