import { DeclarationSetBuilder } from '../declarations/declaration-set.builder';
import { FieldType, OnDeleteAction } from '../declarations/field-type';
import { emptyActualState } from '../metadata/actual-state';
import { CreateObject } from './changes';
import { buildDesiredState } from './desired-state';
import { Hazard, PlanAction } from './plan';
import { StatementRenderer } from './statement.renderer';
import { WorkspaceComparator } from './workspace.comparator';
import { CompanyV2, PersonV2, SCHEMA, WORKSPACE, appliedState, changesOf, createdObjects, v1 } from './workspace.comparator.spec-support';

describe('WorkspaceComparator', () => {
  it('plans a new workspace in dependency order: schema, tables with enums, foreign keys, indexes, label identifiers', () => {
    const plan = WorkspaceComparator.compare(buildDesiredState(v1()), emptyActualState(WORKSPACE, SCHEMA));
    expect(plan.refusals).toEqual([]);
    expect(plan.actions.map((action) => `${action.kind}:${action.object}`)).toEqual([
      'CREATE_SCHEMA:',
      'CREATE_OBJECT:company',
      'CREATE_OBJECT:person',
      'CREATE_FOREIGN_KEY:person',
      'CREATE_INDEX:person',
      'UPDATE_OBJECT:company',
    ]);
    const [person] = plan.actions[2].changes as [CreateObject];
    expect(person.enumTypes).toContainEqual({ name: 'person_stage_enum', values: ['NEW', 'WON'] });
    // The table's columns in order (an "id" column makes the primary key: see the renderer's spec).
    const column = (name: string, type: string, isNullable = true, defaultSql: string | null = null, enumName: string | null = null) => ({
      name,
      type,
      enumName,
      isNullable,
      defaultSql,
    });
    expect(person.object.tableName).toBe('person');
    expect(person.columns).toEqual([
      column('nameFirstName', 'text'),
      column('nameLastName', 'text'),
      column('emailsPrimaryEmail', 'text'),
      column('emailsAdditionalEmails', 'jsonb'),
      column('stage', 'enum', false, `'NEW'`, 'person_stage_enum'),
      column('companyId', 'uuid'),
      column('id', 'uuid', false, 'gen_random_uuid()'),
    ]);
    expect(plan.actions[3].changes).toEqual([
      {
        kind: 'createForeignKey',
        tableName: 'person',
        foreignKey: { name: 'FK_person_companyId', column: 'companyId', targetTable: 'company', onDelete: OnDeleteAction.CASCADE },
      },
    ]);
  });

  it('gives each action the statements its changes render to', () => {
    const desired = buildDesiredState(v1());
    const next = buildDesiredState(DeclarationSetBuilder.build({ entities: [CompanyV2, PersonV2], version: 'v2' }));
    const renderer = new StatementRenderer(WORKSPACE, SCHEMA);
    const plans = [
      WorkspaceComparator.compare(desired, emptyActualState(WORKSPACE, SCHEMA)),
      WorkspaceComparator.compare(next, appliedState(desired)),
    ];
    for (const action of plans.flatMap((plan): PlanAction[] => plan.actions)) {
      expect(action.changes!.length).toBeGreaterThan(0);
      expect(action.statements).toEqual(renderer.renderAll(action.changes!));
    }
  });

  it('gives new metadata rows ids derived from the workspace, so a dry run shows the SQL the real run executes', () => {
    const desired = buildDesiredState(v1());
    const plan = () => WorkspaceComparator.compare(desired, emptyActualState(WORKSPACE, SCHEMA));
    expect(plan()).toEqual(plan());
    const other = WorkspaceComparator.compare(desired, emptyActualState('5d7e1c2a-9b1f-4e2d-8c3a-1b2c3d4e5f60', SCHEMA));
    expect(createdObjects(other)[0].object.id).not.toBe(createdObjects(plan())[0].object.id);
  });

  it('plans nothing for a workspace already in the desired state', () => {
    const desired = buildDesiredState(v1());
    expect(WorkspaceComparator.compare(desired, appliedState(desired))).toEqual({ actions: [], refusals: [] });
  });

  it('renames by standardId, keeps a deprecated field as custom, and creates a new field', () => {
    const desired = buildDesiredState(v1());
    const next = buildDesiredState(DeclarationSetBuilder.build({ entities: [CompanyV2, PersonV2], version: 'v2' }));
    const plan = WorkspaceComparator.compare(next, appliedState(desired));
    expect(plan.refusals).toEqual([]);
    const summaries = plan.actions.map((action) => action.summary);
    expect(summaries).toEqual(
      expect.arrayContaining([
        'rename field person.name to fullName',
        'create field person.nickname (TEXT)',
        'field person.emails is deprecated: kept, with its data, as a custom field',
      ]),
    );
    const rename = plan.actions.find((action) => action.kind === 'RENAME_FIELD')!.changes!;
    expect(rename).toEqual([
      expect.objectContaining({
        kind: 'renameField',
        tableName: 'person',
        columns: expect.arrayContaining([
          { from: 'nameFirstName', to: 'fullNameFirstName', enumType: null },
          { from: 'nameLastName', to: 'fullNameLastName', enumType: null },
        ]),
      }),
    ]);
    // No change that drops columns.
    expect(changesOf(plan).filter((change) => ['dropField', 'dropObject', 'deleteCustomObject'].includes(change.kind))).toEqual([]);
  });

  it('keeps a field that left the declarations as custom, and drops it only when DROPS_DATA is allowed', () => {
    const desired = buildDesiredState(v1());
    const actual = appliedState(desired);
    const without = buildDesiredState(DeclarationSetBuilder.build({ entities: [CompanyV2, PersonV2], version: 'v2' }));
    const kept = WorkspaceComparator.compare(without, actual);
    expect(kept.actions.filter((action) => action.field === 'stage').map((action) => action.kind)).toEqual(['TURN_FIELD_CUSTOM']);
    const dropped = WorkspaceComparator.compare(without, actual, { allowHazards: new Set([Hazard.DROPS_DATA]) });
    const drop = dropped.actions.find((action) => action.field === 'stage')!;
    expect(drop).toMatchObject({ kind: 'DROP_FIELD', hazard: Hazard.DROPS_DATA });
    expect(drop.changes).toContainEqual(expect.objectContaining({ kind: 'dropField', tableName: 'person', columns: ['stage'] }));
  });

  it('refuses a type change and names the upgrade command', () => {
    const desired = buildDesiredState(v1());
    const actual = appliedState(desired);
    const email = actual.objects.find((object) => object.nameSingular === 'person')!.fields.find((field) => field.name === 'emails')!;
    email.type = FieldType.EMAIL;
    email.name = 'email';
    const plan = WorkspaceComparator.compare(desired, actual, { upgradeCommand: 'upgrade-0.23' });
    expect(plan.refusals).toEqual([
      expect.objectContaining({
        hazard: Hazard.TYPE_CHANGE,
        object: 'person',
        field: 'email',
        message: expect.stringContaining('run `upgrade-0.23`'),
      }),
    ]);
  });

  it('refuses a new standard field whose name a custom field already uses', () => {
    const desired = buildDesiredState(v1());
    const actual = appliedState(desired);
    const person = actual.objects.find((object) => object.nameSingular === 'person')!;
    const stage = person.fields.find((field) => field.name === 'stage')!;
    person.fields = person.fields.filter((field) => field !== stage);
    person.fields.push({
      ...stage,
      id: 'custom-stage',
      standardId: null,
      isCustom: true,
      type: FieldType.TEXT,
      options: null,
      defaultValue: '',
    });
    const plan = WorkspaceComparator.compare(desired, actual);
    expect(plan.refusals).toEqual([
      expect.objectContaining({
        hazard: Hazard.NAME_CONFLICT,
        object: 'person',
        field: 'stage',
        message: expect.stringContaining('rename the custom field'),
      }),
    ]);
  });

  it('gives the same refusals without rendering the plan, and none where compare() finds none', () => {
    const desired = buildDesiredState(v1());
    const actual = appliedState(desired);
    expect(WorkspaceComparator.refusals(desired, actual)).toEqual([]);
    const person = actual.objects.find((object) => object.nameSingular === 'person')!;
    const stage = person.fields.find((field) => field.name === 'stage')!;
    person.fields = [
      ...person.fields.filter((field) => field !== stage),
      { ...stage, id: 'custom-stage', standardId: null, isCustom: true, type: FieldType.TEXT, options: null, defaultValue: '' },
    ];
    const refusals = WorkspaceComparator.refusals(desired, actual);
    expect(refusals.map((refusal) => [refusal.hazard, refusal.object, refusal.field])).toEqual([[Hazard.NAME_CONFLICT, 'person', 'stage']]);
    expect(refusals).toEqual(WorkspaceComparator.compare(desired, actual).refusals);
  });

  it('adds a SELECT option with ALTER TYPE, and refuses removing one unless REWRITES_TABLE is allowed', () => {
    const desired = buildDesiredState(v1());
    const actual = appliedState(desired);
    const stage = desired.objects[1].fields.find((field) => field.declared.name === 'stage')!;
    const withOption = structuredClone(desired);
    const added = withOption.objects[1].fields.find((field) => field.declared.name === 'stage')!;
    added.declared.options = [...stage.declared.options!, { value: 'LOST', label: 'Lost', position: 2 }];
    added.enumValues = ['NEW', 'WON', 'LOST'];
    const addPlan = WorkspaceComparator.compare(withOption, actual);
    expect(changesOf(addPlan)).toContainEqual(
      expect.objectContaining({
        kind: 'updateField',
        enumValues: { action: 'add', enumType: 'person_stage_enum', renamed: [], added: [{ value: 'LOST', before: null }] },
      }),
    );
    const removed = structuredClone(desired);
    const fewer = removed.objects[1].fields.find((field) => field.declared.name === 'stage')!;
    fewer.declared.options = [stage.declared.options![0]];
    fewer.enumValues = ['NEW'];
    const removePlan = WorkspaceComparator.compare(removed, actual);
    expect(removePlan.refusals).toEqual([expect.objectContaining({ hazard: Hazard.REWRITES_TABLE, field: 'stage' })]);
    const allowed = WorkspaceComparator.compare(removed, actual, { allowHazards: new Set([Hazard.REWRITES_TABLE]) });
    expect(allowed.refusals).toEqual([]);
    expect(allowed.actions.find((action) => action.field === 'stage')!.preflight).toEqual([
      expect.objectContaining({ kind: 'ONLY_VALUES', table: 'person', columns: ['stage'], values: ['NEW'] }),
    ]);
  });

  it('marks an index build on a large existing table as BLOCKS_WRITES', () => {
    const desired = buildDesiredState(v1());
    const actual = appliedState(desired);
    actual.indexes = [];
    actual.live.indexes = [];
    actual.live.tables.get('person')!.estimatedRows = 5_000_000;
    const plan = WorkspaceComparator.compare(desired, actual);
    expect(plan.actions.find((action) => action.kind === 'CREATE_INDEX')).toMatchObject({ hazard: Hazard.BLOCKS_WRITES });
    expect(plan.refusals).toEqual([expect.objectContaining({ hazard: Hazard.BLOCKS_WRITES })]);
  });
});
