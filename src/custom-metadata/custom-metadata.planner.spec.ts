import { FieldType, OnDeleteAction, RelationType } from '../declarations/field-type';
import { ActualObject, ActualState, emptyActualState } from '../metadata/actual-state';
import { buildStandardDeclarations } from '../standard-objects/standard-objects';
import { Change, CreateGeneratedRelation, CreateObject } from '../sync/changes';
import { buildDesiredState } from '../sync/desired-state';
import { Plan } from '../sync/plan';
import { StatementRenderer } from '../sync/statement.renderer';
import { WorkspaceComparator } from '../sync/workspace.comparator';
import { CustomMetadataError } from './custom-metadata.error';
import { CustomMetadataPlanner } from './custom-metadata.planner';

const WORKSPACE = '0b3f8a52-3d55-4c5e-9a55-6c1f0b0e8f11';
const SCHEMA = 'workspace_test';
const STANDARD = buildStandardDeclarations();

/** Ids in UUID form from a counter, as the planner is given them. */
const counterIds = () => {
  let next = 0;
  return () => `aaaaaaaa-aaaa-4000-8000-${String((next += 1)).padStart(12, '0')}`;
};

const changesOf = (plan: Plan): Change[] => plan.actions.flatMap((action) => action.changes ?? []);

/** Applies the objects and generated relations of `changes` to `state`: their rows, tables and enum types. */
const apply = (state: ActualState, changes: Change[]): ActualState => {
  for (const change of changes.filter((candidate): candidate is CreateObject => candidate.kind === 'createObject')) {
    state.objects.push({
      ...change.object,
      labelIdentifierFieldMetadataId: change.object.labelIdentifierFieldMetadataId ?? null,
      imageIdentifierFieldMetadataId: change.object.imageIdentifierFieldMetadataId ?? null,
      shortcut: change.object.shortcut ?? null,
      isSearchable: change.object.isSearchable ?? false,
      isAuditLogged: change.object.isAuditLogged ?? true,
      fields: [...change.fields],
    });
    state.live.tables.set(change.object.tableName, {
      name: change.object.tableName,
      estimatedRows: 0,
      columns: new Map(
        change.columns.map((column) => [
          column.name,
          { name: column.name, type: column.type, enumName: column.enumName, isNullable: column.isNullable },
        ]),
      ),
    });
    for (const type of change.enumTypes) state.live.enums.set(type.name, type.values);
  }
  for (const { relation } of changes.filter(
    (candidate): candidate is CreateGeneratedRelation => candidate.kind === 'createGeneratedRelation',
  )) {
    state.objects.find((object) => object.tableName === relation.tableName)!.fields.push(relation.field);
    state.live.tables
      .get(relation.tableName)!
      .columns.set(relation.column.name, { name: relation.column.name, type: 'uuid', enumName: null, isNullable: true });
  }
  return state;
};

/** A workspace created from the standard declarations, as the comparator's changes make it. */
const standardWorkspace = (): ActualState =>
  apply(
    { ...emptyActualState(WORKSPACE, SCHEMA), live: { ...emptyActualState(WORKSPACE, SCHEMA).live, exists: true } },
    changesOf(WorkspaceComparator.compare(buildDesiredState(STANDARD), emptyActualState(WORKSPACE, SCHEMA))),
  );

const objectNamed = (state: ActualState, name: string): ActualObject => state.objects.find((object) => object.nameSingular === name)!;

const INVOICE = { nameSingular: 'invoice', namePlural: 'invoices', labelSingular: 'Invoice', labelPlural: 'Invoices', icon: 'IconReceipt' };

describe('CustomMetadataPlanner', () => {
  const renderer = new StatementRenderer(WORKSPACE, SCHEMA);

  it('gives each plan one action whose statements render its changes', () => {
    const state = standardWorkspace();
    const planner = new CustomMetadataPlanner(state, '0.24', counterIds());
    const plans = [
      planner.planObject(INVOICE, STANDARD.customObjectFields),
      planner.planField('company', { name: 'tagline', label: 'Tagline', type: 'TEXT' }),
      planner.planFieldUpdate('company', 'employees', { isActive: false }),
    ];
    for (const plan of plans) {
      expect(plan.refusals).toEqual([]);
      expect(plan.actions).toHaveLength(1);
      expect(plan.actions[0].statements).toEqual(renderer.renderAll(plan.actions[0].changes!));
    }
  });

  it('creates a custom field: its columns, enum type and a custom row (no standardId, not deprecated, no settings)', () => {
    const state = standardWorkspace();
    const person = objectNamed(state, 'person');
    const plan = new CustomMetadataPlanner(state, '0.24', counterIds()).planField('person', {
      name: 'tier',
      label: 'Tier',
      type: 'SELECT',
      options: [
        { value: 'GOLD', label: 'Gold', position: 0 },
        { value: 'SILVER', label: 'Silver', position: 1 },
      ],
      defaultValue: 'GOLD',
      isNullable: false,
    });
    expect(plan.actions[0]).toMatchObject({
      kind: 'CREATE_FIELD',
      object: 'person',
      field: 'tier',
      hazard: null,
      summary: 'create custom field person.tier (SELECT)',
    });
    expect(changesOf(plan)).toEqual([
      {
        kind: 'createField',
        tableName: 'person',
        enumTypes: [{ name: 'person_tier_enum', values: ['GOLD', 'SILVER'] }],
        columns: [{ name: 'tier', type: 'enum', enumName: 'person_tier_enum', isNullable: false, defaultSql: `'GOLD'` }],
        field: expect.objectContaining({
          id: 'aaaaaaaa-aaaa-4000-8000-000000000001',
          objectMetadataId: person.id,
          standardId: null,
          isCustom: true,
          isDeprecated: false,
          settings: null,
          type: FieldType.SELECT,
          defaultValue: 'GOLD',
          options: [
            { value: 'GOLD', label: 'Gold', position: 0 },
            { value: 'SILVER', label: 'Silver', position: 1 },
          ],
        }),
      },
    ]);
    // An enum type of that name left in the schema: the field is refused.
    state.live.enums.set('person_tier_enum', ['GOLD']);
    expect(() =>
      new CustomMetadataPlanner(state, '0.24', counterIds()).planField('person', {
        name: 'tier',
        label: 'Tier',
        type: 'SELECT',
        options: [{ value: 'A', label: 'A', position: 0 }],
      }),
    ).toThrow(new CustomMetadataError('name', 'the type person_tier_enum already exists in this workspace; choose another name'));
  });

  it('creates a custom object with the shared fields, its label identifier, and a generated relation on each linked object', () => {
    const state = standardWorkspace();
    const plan = new CustomMetadataPlanner(state, '0.24', counterIds()).planObject(INVOICE, STANDARD.customObjectFields);
    const [object, ...relations] = changesOf(plan) as [CreateObject, ...CreateGeneratedRelation[]];
    const rowNamed = (name: string) => object.fields.find((row) => row.name === name)!;
    expect(object.object).toMatchObject({
      standardId: null,
      nameSingular: 'invoice',
      tableName: '_invoice',
      isCustom: true,
      isSystem: false,
      labelIdentifierFieldMetadataId: rowNamed('name').id,
    });
    expect(object.fields.map((row) => row.name)).toEqual([
      'name',
      'position',
      'createdBy',
      'id',
      'createdAt',
      'updatedAt',
      'deletedAt',
      'noteTargets',
      'attachments',
      'taskTargets',
      'favorites',
      'timelineActivities',
    ]);
    expect(object.fields.every((row) => !row.isCustom && row.standardId !== null && row.objectMetadataId === object.object.id)).toBe(true);
    expect(relations.map((change) => change.kind)).toEqual(Array(5).fill('createGeneratedRelation'));
    for (const [owner, inverse] of [
      ['noteTarget', 'noteTargets'],
      ['attachment', 'attachments'],
      ['taskTarget', 'taskTargets'],
      ['favorite', 'favorites'],
      ['timelineActivity', 'timelineActivities'],
    ]) {
      const { relation } = relations.find((change) => change.relation.tableName === owner)!;
      expect(relation.foreignKey).toEqual({
        name: `FK_${owner}_invoiceId`,
        column: 'invoiceId',
        targetTable: '_invoice',
        onDelete: OnDeleteAction.CASCADE,
      });
      expect(relation.index).toEqual({
        id: expect.any(String),
        objectMetadataId: objectNamed(state, owner).id,
        name: `IDX_${owner}_invoiceId`,
        columns: ['invoiceId'],
        isUnique: false,
        isCustom: true,
      });
      expect(relation.field).toMatchObject({
        name: 'invoice',
        isCustom: true,
        standardId: null,
        relationType: RelationType.MANY_TO_ONE,
        relationTargetObjectMetadataId: object.object.id,
        relationTargetFieldMetadataId: rowNamed(inverse).id,
      });
      expect(rowNamed(inverse)).toMatchObject({
        relationType: RelationType.ONE_TO_MANY,
        relationTargetObjectMetadataId: objectNamed(state, owner).id,
        relationTargetFieldMetadataId: relation.field.id,
      });
    }
  });

  it('renames a custom object with its table, generated relations and row', () => {
    const state = standardWorkspace();
    apply(state, changesOf(new CustomMetadataPlanner(state, '0.24', counterIds()).planObject(INVOICE, STANDARD.customObjectFields)));
    const invoice = objectNamed(state, 'invoice');
    const plan = new CustomMetadataPlanner(state, '0.24', counterIds()).planObjectUpdate('invoice', {
      nameSingular: 'bill',
      namePlural: 'bills',
      labelSingular: 'Bill',
    });
    expect(plan.actions[0]).toMatchObject({
      kind: 'RENAME_OBJECT',
      object: 'bill',
      summary: 'rename custom object invoice to bill (table _invoice -> _bill)',
    });
    const [change] = changesOf(plan);
    if (change.kind !== 'renameCustomObject') throw new Error(`expected renameCustomObject, got ${change.kind}`);
    expect(change).toMatchObject({ objectId: invoice.id, tableName: { from: '_invoice', to: '_bill' }, enumTypes: [] });
    expect(change.set).toEqual({ labelSingular: 'Bill', nameSingular: 'bill', namePlural: 'bills', tableName: '_bill' });
    expect(change.relations.map((relation) => [relation.tableName, relation.name, relation.column, relation.index.to])).toEqual([
      ['noteTarget', 'bill', { from: 'invoiceId', to: 'billId' }, 'IDX_noteTarget_billId'],
      ['attachment', 'bill', { from: 'invoiceId', to: 'billId' }, 'IDX_attachment_billId'],
      ['taskTarget', 'bill', { from: 'invoiceId', to: 'billId' }, 'IDX_taskTarget_billId'],
      ['favorite', 'bill', { from: 'invoiceId', to: 'billId' }, 'IDX_favorite_billId'],
      ['timelineActivity', 'bill', { from: 'invoiceId', to: 'billId' }, 'IDX_timelineActivity_billId'],
    ]);
  });

  it('renames and relabels a custom field in one row update; updates a standard field without DDL', () => {
    const state = standardWorkspace();
    const company = objectNamed(state, 'company');
    const [created] = changesOf(
      new CustomMetadataPlanner(state, '0.24', counterIds()).planField('company', {
        name: 'stage',
        label: 'Stage',
        type: 'SELECT',
        options: [{ value: 'A', label: 'A', position: 0 }],
      }),
    );
    if (created.kind !== 'createField') throw new Error(`expected createField, got ${created.kind}`);
    company.fields.push(created.field);
    state.live.enums.set('company_stage_enum', ['A']);
    const planner = new CustomMetadataPlanner(state, '0.24', counterIds());
    const field = company.fields.find((candidate) => candidate.name === 'stage')!;
    expect(changesOf(planner.planFieldUpdate('company', 'stage', { name: 'phase', label: 'Phase' }))).toEqual([
      {
        kind: 'renameField',
        fieldId: field.id,
        tableName: 'company',
        columns: [{ from: 'stage', to: 'phase', enumType: { from: 'company_stage_enum', to: 'company_phase_enum' } }],
        foreignKey: null,
        set: { label: 'Phase', name: 'phase' },
      },
    ]);
    const employees = company.fields.find((candidate) => candidate.name === 'employees')!;
    expect(changesOf(planner.planFieldUpdate('company', 'employees', { isActive: false }))).toEqual([
      {
        kind: 'updateField',
        fieldId: employees.id,
        tableName: 'company',
        set: { isActive: false },
        nullability: null,
        enumValues: null,
        defaults: [],
      },
    ]);
  });

  it('deletes a custom field with its view entries, and refuses one that holds values unless forced', () => {
    const state = standardWorkspace();
    const person = objectNamed(state, 'person');
    const [created] = changesOf(
      new CustomMetadataPlanner(state, '0.24', counterIds()).planField('person', { name: 'nickname', label: 'Nickname', type: 'TEXT' }),
    );
    if (created.kind !== 'createField') throw new Error(`expected createField, got ${created.kind}`);
    const nickname = created.field;
    person.fields.push(nickname);
    const planner = new CustomMetadataPlanner(state, '0.24', counterIds());
    expect(() => planner.planFieldDelete('person', 'nickname', 3, false)).toThrow(
      expect.objectContaining({ code: 'CONFLICT', property: 'force' }),
    );
    const plan = planner.planFieldDelete('person', 'nickname', 3, true);
    expect(plan.actions[0]).toMatchObject({ kind: 'DROP_FIELD', hazard: 'DROPS_DATA' });
    expect(changesOf(plan)).toEqual([
      { kind: 'deleteViewEntries', tables: ['viewField', 'viewFilter', 'viewSort'], fieldIds: [nickname.id] },
      {
        kind: 'dropField',
        objectId: person.id,
        fieldId: nickname.id,
        tableName: 'person',
        columns: ['nickname'],
        enumTypes: [],
        viewTables: [],
        withIndexRows: false,
      },
    ]);
  });

  it('deletes a custom object with its views, view entries and generated relations', () => {
    const state = standardWorkspace();
    apply(state, changesOf(new CustomMetadataPlanner(state, '0.24', counterIds()).planObject(INVOICE, STANDARD.customObjectFields)));
    const invoice = objectNamed(state, 'invoice');
    const owners = ['noteTarget', 'attachment', 'taskTarget', 'favorite', 'timelineActivity'];
    const inverses = owners.map((name) => objectNamed(state, name).fields.find((field) => field.name === 'invoice')!);
    const plan = new CustomMetadataPlanner(state, '0.24', counterIds()).planObjectDelete('invoice', 0, false);
    expect(plan.actions[0]).toMatchObject({ kind: 'DROP_OBJECT', hazard: null });
    expect(changesOf(plan)).toEqual([
      {
        kind: 'deleteViewEntries',
        tables: ['viewField', 'viewFilter', 'viewSort'],
        fieldIds: [...invoice.fields, ...inverses].map((field) => field.id),
      },
      {
        kind: 'deleteCustomObject',
        objectId: invoice.id,
        tableName: '_invoice',
        viewTable: 'view',
        relations: owners.map((owner, index) => ({
          objectId: objectNamed(state, owner).id,
          tableName: owner,
          fieldId: inverses[index].id,
          column: 'invoiceId',
          index: `IDX_${owner}_invoiceId`,
        })),
        enumTypes: [],
      },
    ]);
  });
});
