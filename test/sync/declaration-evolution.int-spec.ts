import { DeclaredSchema } from '../../src/declarations/declared-schema';
import { FieldType } from '../../src/declarations/field-type';
import { ColumnType, getFieldTypeDefinition } from '../../src/declarations/field-type.registry';
import { Hazard, Plan, PlanAction } from '../../src/sync/plan';
import { SyncOptions, WorkspaceSyncService } from '../../src/sync/workspace-sync.service';
import { WorkspaceCreationService } from '../../src/workspace/workspace-creation.service';
import { WorkspaceRepository, WorkspaceRow } from '../../src/metadata/workspace.repository';
import { FIXTURE_PERSON_FIELD_IDS } from '../fixtures/declarations/standard-ids';
import { v1 } from '../fixtures/declarations/v1';
import { v2 } from '../fixtures/declarations/v2';
import { v3 } from '../fixtures/declarations/v3';
import { insertRowsWithEveryColumn } from '../utils/every-column-rows';
import { addRawCustomTextField } from '../utils/raw-custom-field';
import { catalogSnapshot, comparableMetadata, TableData, tableData, WorkspaceSnapshot, workspaceSnapshot } from '../utils/schema-snapshot';
import { useTestDatabase } from '../utils/test-services';
import { fieldColumns } from '../../src/metadata/column-layout';
import { WorkspaceOutcome } from '../../src/sync/sync-result';

/**
 * Declaration-set evolution, in the manner of TypeORM's schema tests: a workspace created from v1
 * is synced to v2, then to v3. After each step it must equal a workspace created fresh from that
 * set, keep every value, and a second sync must plan nothing.
 */

/** Every plain and composite type that a field can be created with, or that standard objects use. */
const EVERY_FIELD_TYPE = Object.values(FieldType).filter((type) => {
  const definition = getFieldTypeDefinition(type);
  return definition.kind !== 'relation' && !definition.isLegacy;
});

/** information_schema.columns.udt_name of a registry column type (enum types are per field). */
const UDT_NAMES: Record<Exclude<ColumnType, 'enum' | 'enum[]'>, string> = {
  uuid: 'uuid',
  text: 'text',
  'double precision': 'float8',
  numeric: 'numeric',
  boolean: 'bool',
  date: 'date',
  timestamptz: 'timestamptz',
  jsonb: 'jsonb',
  'text[]': '_text',
  tsvector: 'tsvector',
};

const personOf = (declared: DeclaredSchema) => declared.objects.find((object) => object.nameSingular === 'person')!;

const statementCount = (plan: Plan | null): number => (plan?.actions ?? []).reduce((sum, action) => sum + action.statements.length, 0);

const actionsOn = (plan: Plan | null, object: string, ...fields: string[]): PlanAction[] =>
  (plan?.actions ?? []).filter((action) => action.object === object && action.field !== null && fields.includes(action.field));

/** A snapshot that would catch a change: metadata, catalog and data are all there. */
const expectSubstantial = (snapshot: WorkspaceSnapshot): void => {
  expect(snapshot.metadata.workspace).toBeDefined();
  expect(snapshot.metadata.objects.length).toBeGreaterThan(0);
  expect(snapshot.metadata.fields.length).toBeGreaterThan(0);
  expect(snapshot.catalog.columns.length).toBeGreaterThan(0);
  expect(snapshot.catalog.constraints.length).toBeGreaterThan(0);
  expect(snapshot.catalog.enums.length).toBeGreaterThan(0);
  expect(Object.values(snapshot.data).every((rows) => Object.keys(rows).length > 0)).toBe(true);
};

describe('declaration-set evolution v1 -> v2 -> v3', () => {
  const db = useTestDatabase();

  const createWorkspace = async (declared: DeclaredSchema, displayName: string): Promise<WorkspaceRow> =>
    (await new WorkspaceCreationService(db.dataSource, declared).createFrom(declared, { displayName, prefill: false })).workspace;

  const reload = async (id: string): Promise<WorkspaceRow> => (await new WorkspaceRepository(db.dataSource.manager).findById(id))!;

  const sync = async (declared: DeclaredSchema, id: string, options: SyncOptions = {}): Promise<WorkspaceOutcome> =>
    new WorkspaceSyncService(db.dataSource, declared).sync(await reload(id), options);

  const field = async (workspaceId: string, objectName: string, name: string): Promise<Record<string, unknown> | undefined> =>
    (
      await db.client.query(
        `SELECT f.* FROM metadata."fieldMetadata" f JOIN metadata."objectMetadata" o ON o."id" = f."objectMetadataId"
          WHERE f."workspaceId" = $1 AND o."nameSingular" = $2 AND f."name" = $3`,
        [workspaceId, objectName, name],
      )
    ).rows[0];

  const attnums = async (schema: string, table: string): Promise<Record<string, number>> =>
    Object.fromEntries(
      (
        await db.client.query(
          `SELECT a.attname, a.attnum FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = $1 AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped`,
          [schema, table],
        )
      ).rows.map((row) => [row.attname, row.attnum]),
    );

  const activate = async (workspaceId: string, objectName: string, name: string): Promise<void> => {
    const { rowCount } = await db.client.query(
      `UPDATE metadata."fieldMetadata" f SET "isActive" = true FROM metadata."objectMetadata" o
        WHERE o."id" = f."objectMetadataId" AND f."workspaceId" = $1 AND o."nameSingular" = $2 AND f."name" = $3`,
      [workspaceId, objectName, name],
    );
    expect(rowCount).toBe(1);
  };

  /** A second sync does nothing, and a full comparison (check) plans nothing. */
  const expectConverged = async (declared: DeclaredSchema, id: string, options: SyncOptions = {}): Promise<void> => {
    const again = await sync(declared, id, options);
    expect({ status: again.status, actions: again.plan?.actions, statements: again.statementsExecuted }).toEqual({
      status: 'up-to-date',
      actions: [],
      statements: 0,
    });
    const check = await sync(declared, id, { ...options, dryRun: true, check: true });
    expect({
      status: check.status,
      message: check.message,
      actions: check.plan?.actions.map((a) => a.summary),
      refusals: check.plan?.refusals,
    }).toEqual({
      status: 'up-to-date',
      message: null,
      actions: [],
      refusals: [],
    });
  };

  /**
   * The upgraded workspace equals one created fresh from `declared`: metadata rows of objects,
   * fields and indexes, and the catalog (columns, constraints, foreign keys, indexes, enum types).
   * Fields that the upgrade turned custom, and their columns, are left out; their names are returned.
   */
  const expectSameAsFresh = async (
    upgradedId: string,
    declared: DeclaredSchema,
    prepareFresh: (fresh: WorkspaceRow) => Promise<void> = async () => undefined,
  ): Promise<string[]> => {
    const upgraded = await reload(upgradedId);
    const fresh = await createWorkspace(declared, `Fresh ${declared.version}`);
    await prepareFresh(fresh);
    await expectConverged(declared, fresh.id);

    const upgradedMetadata = await comparableMetadata(db.client, upgraded.id);
    const freshMetadata = await comparableMetadata(db.client, fresh.id);
    expect(freshMetadata.fields.filter((row) => row.isCustom)).toEqual([]);
    const customFields = upgradedMetadata.fields.filter((row) => row.isCustom);
    const tableOf = new Map(upgradedMetadata.objects.map((row) => [row.nameSingular, row.tableName]));
    const customColumns = new Set(
      customFields.flatMap((row) =>
        fieldColumns({ name: row.name as string, type: row.type as FieldType, relation: null }).map(
          (column) => `${tableOf.get(row.objectName)}.${column}`,
        ),
      ),
    );
    expect(upgradedMetadata.objects).toEqual(freshMetadata.objects);
    expect(upgradedMetadata.fields.filter((row) => !row.isCustom)).toEqual(freshMetadata.fields);
    expect(upgradedMetadata.indexes).toEqual(freshMetadata.indexes);

    const upgradedCatalog = await catalogSnapshot(db.client, upgraded.schemaName);
    const freshCatalog = await catalogSnapshot(db.client, fresh.schemaName);
    const columns = (catalog: typeof freshCatalog) => catalog.columns.map(({ position: _position, ...column }) => column);
    expect(columns(upgradedCatalog).filter((column) => !customColumns.has(`${column.table}.${column.column}`))).toEqual(
      columns(freshCatalog),
    );
    expect(upgradedCatalog.constraints).toEqual(freshCatalog.constraints);
    expect(upgradedCatalog.foreignKeys).toEqual(freshCatalog.foreignKeys);
    expect(upgradedCatalog.indexes).toEqual(freshCatalog.indexes);
    expect(upgradedCatalog.enums).toEqual(freshCatalog.enums);
    return customFields.map((row) => `${row.objectName}.${row.name}`).sort();
  };

  /** Every value of `before` is still there, in the same row, under the column's new name where it was renamed. */
  const expectValuesKept = (
    before: TableData,
    after: TableData,
    renamed: Record<string, Record<string, string>> = {},
    dropped: Record<string, string[]> = {},
  ): void => {
    for (const [table, rows] of Object.entries(before)) {
      // Not vacuous: every column compared holds a value in some row.
      const columns = Object.keys(Object.values(rows)[0] ?? {});
      expect({ table, empty: columns.filter((column) => Object.values(rows).every((row) => row[column] === null)) }).toEqual({
        table,
        empty: [],
      });
      const expected: TableData[string] = {};
      const actual: TableData[string] = {};
      for (const [id, row] of Object.entries(rows)) {
        expected[id] = {};
        actual[id] = {};
        for (const [column, value] of Object.entries(row)) {
          if (dropped[table]?.includes(column)) continue;
          const now = renamed[table]?.[column] ?? column;
          expected[id][now] = value;
          actual[id][now] = after[table]?.[id]?.[now];
        }
      }
      expect({ table, rows: Object.keys(after[table] ?? {}).sort() }).toEqual({ table, rows: Object.keys(rows).sort() });
      expect({ table, values: actual }).toEqual({ table, values: expected });
    }
  };

  const fillV1 = async (schema: string, seed: number): Promise<void> => {
    await insertRowsWithEveryColumn(db.client, schema, 'company', 3, seed);
    await insertRowsWithEveryColumn(db.client, schema, 'person', 4, seed);
  };

  const fillV2 = async (schema: string, seed: number): Promise<void> => {
    await insertRowsWithEveryColumn(db.client, schema, 'company', 2, seed);
    await insertRowsWithEveryColumn(db.client, schema, 'person', 3, seed);
    await insertRowsWithEveryColumn(db.client, schema, 'project', 3, seed);
  };

  it('the fixtures cover every plain and composite type of the registry', () => {
    expect([...EVERY_FIELD_TYPE].sort()).toEqual(
      [
        'UUID',
        'TEXT',
        'NUMBER',
        'NUMERIC',
        'BOOLEAN',
        'DATE',
        'DATE_TIME',
        'SELECT',
        'MULTI_SELECT',
        'RATING',
        'POSITION',
        'RAW_JSON',
        'ARRAY',
        'FULL_NAME',
        'LINKS',
        'EMAILS',
        'PHONES',
        'ADDRESS',
        'CURRENCY',
        'ACTOR',
        'RICH_TEXT_V2',
        'TS_VECTOR',
      ].sort(),
    );
    const added = personOf(v2).fields.filter((candidate) => !personOf(v1).fields.some((old) => old.standardId === candidate.standardId));
    expect([...new Set(added.map((candidate) => candidate.type))].filter((type) => type !== FieldType.RELATION).sort()).toEqual(
      [...EVERY_FIELD_TYPE].sort(),
    );
  });

  describe('the chain', () => {
    let workspace: WorkspaceRow;

    beforeAll(async () => {
      workspace = await createWorkspace(v1, 'Evolving');
      await fillV1(workspace.schemaName, 1);
    });

    it('a workspace created from v1 is in sync with v1', async () => {
      await expectConverged(v1, workspace.id);
    });

    describe('v1 -> v2', () => {
      let before: TableData;
      let columnsBefore: Record<string, number>;
      let titleFieldId: unknown;
      let dryRun: WorkspaceOutcome;
      let outcome: WorkspaceOutcome;

      beforeAll(async () => {
        before = await tableData(db.client, workspace.schemaName);
        columnsBefore = await attnums(workspace.schemaName, 'person');
        titleFieldId = (await field(workspace.id, 'person', 'title'))!.id;
        dryRun = await sync(v2, workspace.id, { dryRun: true });
        outcome = await sync(v2, workspace.id);
      });

      it('applies, running exactly the plan that the dry run showed', () => {
        expect(dryRun.status).toBe('planned');
        expect({ status: outcome.status, message: outcome.message }).toEqual({ status: 'applied', message: null });
        expect(outcome.plan).toEqual(dryRun.plan);
        expect(outcome.statementsExecuted).toBe(statementCount(dryRun.plan));
      });

      it('equals a workspace created fresh from v2, but for the field it turned custom', async () => {
        expect(await expectSameAsFresh(workspace.id, v2)).toEqual(['person.legacyCode']);
      });

      it('keeps every value of every column, the renamed one included', async () => {
        expectValuesKept(before, await tableData(db.client, workspace.schemaName), { person: { title: 'jobTitle' } });
      });

      it('renames title to jobTitle in place: same column, same field row, no drop and no add', async () => {
        const columnsAfter = await attnums(workspace.schemaName, 'person');
        expect(columnsAfter.jobTitle).toBe(columnsBefore.title);
        expect(columnsAfter.title).toBeUndefined();
        expect(actionsOn(outcome.plan, 'person', 'title', 'jobTitle').map((action) => action.kind)).toEqual([
          'RENAME_FIELD',
          'UPDATE_FIELD',
        ]);
        expect(await field(workspace.id, 'person', 'jobTitle')).toMatchObject({
          id: titleFieldId,
          standardId: FIXTURE_PERSON_FIELD_IDS.title,
          label: 'Job title',
          isCustom: false,
        });
        expect(await field(workspace.id, 'person', 'title')).toBeUndefined();
      });

      it('keeps the deprecated field legacyCode, with its column and data, as a custom field', async () => {
        expect(await field(workspace.id, 'person', 'legacyCode')).toMatchObject({ isCustom: true, isDeprecated: true, type: 'TEXT' });
        const { rows } = await db.client.query(`SELECT "id"::text AS id, "legacyCode" FROM "${workspace.schemaName}".person ORDER BY "id"`);
        expect(rows.map((row) => row.legacyCode)).toEqual(Object.values(before.person).map((row) => row.legacyCode));
        expect(rows.every((row) => typeof row.legacyCode === 'string')).toBe(true);
        expect(actionsOn(outcome.plan, 'person', 'legacyCode').map((action) => action.kind)).toEqual(['TURN_FIELD_CUSTOM']);
      });

      it('adds a field of every plain and composite type, with its columns and metadata', async () => {
        const added = personOf(v2).fields.filter(
          (candidate) =>
            candidate.type !== FieldType.RELATION && !personOf(v1).fields.some((old) => old.standardId === candidate.standardId),
        );
        const { rows } = await db.client.query(
          `SELECT column_name, udt_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'person'`,
          [workspace.schemaName],
        );
        const live = Object.fromEntries(rows.map((row) => [row.column_name, row.udt_name]));
        for (const declared of added) {
          const definition = getFieldTypeDefinition(declared.type);
          const expectedColumns =
            definition.kind === 'composite'
              ? definition.subfields!.map(
                  (subfield) =>
                    [`${declared.name}${subfield.name[0].toUpperCase()}${subfield.name.slice(1)}`, subfield.columnType] as const,
                )
              : [[declared.name, definition.columnType!] as const];
          const expected = Object.fromEntries(
            expectedColumns.map(([column, type]) => [
              column,
              type === 'enum' ? `person_${column}_enum` : type === 'enum[]' ? `_person_${column}_enum` : UDT_NAMES[type],
            ]),
          );
          expect({
            field: declared.name,
            columns: Object.fromEntries(Object.keys(expected).map((column) => [column, live[column]])),
          }).toEqual({
            field: declared.name,
            columns: expected,
          });
          expect(await field(workspace.id, 'person', declared.name)).toMatchObject({
            type: declared.type,
            standardId: declared.standardId,
            isCustom: false,
          });
          // A search field also gets the trigger that keeps it current.
          expect(actionsOn(outcome.plan, 'person', declared.name).map((action) => action.kind)).toEqual(
            declared.type === FieldType.TS_VECTOR ? ['CREATE_FIELD', 'SET_SEARCH_VECTOR'] : ['CREATE_FIELD'],
          );
        }
        expect(new Set(added.map((candidate) => candidate.type)).size).toBe(EVERY_FIELD_TYPE.length);
      });

      it('fills the new non-nullable columns of existing rows with their defaults', async () => {
        const { rows } = await db.client.query(
          `SELECT "bio", "visits", "isVip", "priority"::text, "interests"::text, "rating"::text, "profile"::text, "tags"::text,
                  "salaryCurrencyCode", "createdBySource", "linksSecondaryLinks"::text, "lastContactAt" IS NOT NULL AS "hasLastContact"
             FROM "${workspace.schemaName}".person`,
        );
        expect(rows).toHaveLength(4);
        for (const row of rows) {
          expect(row).toEqual({
            bio: '',
            visits: 0,
            isVip: false,
            priority: 'MEDIUM',
            interests: '{MUSIC}',
            rating: 'RATING_3',
            profile: '{}',
            tags: '{}',
            salaryCurrencyCode: 'USD',
            createdBySource: 'MANUAL',
            linksSecondaryLinks: '[]',
            hasLastContact: true,
          });
        }
      });

      it('adds the object project with its composite field', async () => {
        expect(outcome.plan!.actions.filter((action) => action.kind === 'CREATE_OBJECT').map((action) => action.object)).toEqual([
          'project',
        ]);
        const { rows } = await db.client.query(
          `SELECT column_name, data_type, column_default FROM information_schema.columns
            WHERE table_schema = $1 AND table_name = 'project' AND column_name LIKE 'budget%' ORDER BY column_name`,
          [workspace.schemaName],
        );
        expect(rows).toEqual([
          { column_name: 'budgetAmountMicros', data_type: 'numeric', column_default: '0' },
          { column_name: 'budgetCurrencyCode', data_type: 'text', column_default: "'EUR'::text" },
        ]);
        expect(await field(workspace.id, 'project', 'budget')).toMatchObject({
          type: 'CURRENCY',
          defaultValue: { amountMicros: 0, currencyCode: 'EUR' },
        });
      });

      it('adds the relation person.company <-> company.people both ways, with a SET NULL foreign key', async () => {
        const company = await field(workspace.id, 'company', 'people');
        const person = await field(workspace.id, 'person', 'company');
        expect(person).toMatchObject({ relationType: 'MANY_TO_ONE', onDelete: 'SET_NULL', relationTargetFieldMetadataId: company!.id });
        expect(company).toMatchObject({ relationType: 'ONE_TO_MANY', onDelete: null, relationTargetFieldMetadataId: person!.id });
        expect(person!.relationTargetObjectMetadataId).toBe(company!.objectMetadataId);
        expect(company!.relationTargetObjectMetadataId).toBe(person!.objectMetadataId);
        const { foreignKeys } = await catalogSnapshot(db.client, workspace.schemaName);
        expect(foreignKeys).toEqual(
          expect.arrayContaining([
            { name: 'FK_person_companyId', table: 'person', column: 'companyId', targetTable: 'company', onDelete: 'n' },
          ]),
        );
      });

      it('adds the index on person.city to pg_indexes and metadata."indexMetadata"', async () => {
        const { rows } = await db.client.query(`SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND indexname = 'IDX_person_city'`, [
          workspace.schemaName,
        ]);
        expect(rows).toEqual([{ indexdef: `CREATE INDEX "IDX_person_city" ON ${workspace.schemaName}.person USING btree (city)` }]);
        const metadata = await db.client.query(
          `SELECT "columns", "isUnique", "isCustom" FROM metadata."indexMetadata" WHERE "workspaceId" = $1 AND "name" = 'IDX_person_city'`,
          [workspace.id],
        );
        expect(metadata.rows).toEqual([{ columns: ['city'], isUnique: false, isCustom: false }]);
      });

      it('adds the option WON to stage, in the enum type (in option order) and in the field options', async () => {
        const { rows } = await db.client.query(
          `SELECT array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels FROM pg_enum e
             JOIN pg_type t ON t.oid = e.enumtypid JOIN pg_namespace n ON n.oid = t.typnamespace
            WHERE n.nspname = $1 AND t.typname = 'person_stage_enum'`,
          [workspace.schemaName],
        );
        expect(rows[0].labels).toEqual(['NEW', 'QUALIFIED', 'WON', 'LOST']);
        expect(((await field(workspace.id, 'person', 'stage'))!.options as Array<{ value: string }>).map((option) => option.value)).toEqual(
          ['NEW', 'QUALIFIED', 'WON', 'LOST'],
        );
      });

      it('makes score non-nullable with its default', async () => {
        const { rows } = await db.client.query(
          `SELECT is_nullable, column_default FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'person' AND column_name = 'score'`,
          [workspace.schemaName],
        );
        expect(rows).toEqual([{ is_nullable: 'NO', column_default: '0' }]);
        expect(await field(workspace.id, 'person', 'score')).toMatchObject({ isNullable: false, defaultValue: 0 });
      });

      it('creates birthdate inactive', async () => {
        expect(await field(workspace.id, 'person', 'birthdate')).toMatchObject({ isActive: false, type: 'DATE' });
      });

      it('a second sync changes nothing and a check plans nothing', async () => {
        await expectConverged(v2, workspace.id);
      });
    });

    describe('v2 -> v3', () => {
      let before: TableData;
      let columnsBefore: Record<string, number>;
      let dryRunDroppingData: WorkspaceOutcome;
      let outcome: WorkspaceOutcome;

      beforeAll(async () => {
        // An operator activates the inactive field; no later sync may undo that.
        await activate(workspace.id, 'person', 'birthdate');
        await fillV2(workspace.schemaName, 100);
        before = await tableData(db.client, workspace.schemaName);
        columnsBefore = await attnums(workspace.schemaName, 'person');
        dryRunDroppingData = await sync(v3, workspace.id, { dryRun: true, allowHazards: new Set([Hazard.DROPS_DATA]) });
        outcome = await sync(v3, workspace.id);
      });

      it('applies', () => {
        expect({ status: outcome.status, message: outcome.message }).toEqual({ status: 'applied', message: null });
        expect(outcome.statementsExecuted).toBe(statementCount(outcome.plan));
      });

      it('equals a workspace created fresh from v3 (birthdate activated there too), but for the fields it turned custom', async () => {
        expect(await expectSameAsFresh(workspace.id, v3, (fresh) => activate(fresh.id, 'person', 'birthdate'))).toEqual([
          'person.legacyCode',
          'person.nickname',
        ]);
      });

      it('keeps every value of every column, the renamed ones included', async () => {
        expectValuesKept(before, await tableData(db.client, workspace.schemaName), {
          person: { fullNameFirstName: 'nameFirstName', fullNameLastName: 'nameLastName', stage: 'pipelineStage' },
        });
      });

      it('renames the composite fullName to name and the SELECT stage to pipelineStage in place, enum type included', async () => {
        const columnsAfter = await attnums(workspace.schemaName, 'person');
        expect([columnsAfter.nameFirstName, columnsAfter.nameLastName, columnsAfter.pipelineStage]).toEqual([
          columnsBefore.fullNameFirstName,
          columnsBefore.fullNameLastName,
          columnsBefore.stage,
        ]);
        expect(
          actionsOn(outcome.plan, 'person', 'fullName', 'name', 'stage', 'pipelineStage').map((action) => `${action.kind} ${action.field}`),
        ).toEqual(['RENAME_FIELD name', 'RENAME_FIELD pipelineStage', 'UPDATE_FIELD name', 'UPDATE_FIELD pipelineStage']);
        const { enums } = await catalogSnapshot(db.client, workspace.schemaName);
        expect(enums.map((type) => type.name)).toContain('person_pipelineStage_enum');
        expect(enums.map((type) => type.name)).not.toContain('person_stage_enum');
      });

      it('keeps the removed field nickname as a custom field with its data; only DROPS_DATA would drop it', async () => {
        expect(await field(workspace.id, 'person', 'nickname')).toMatchObject({ isCustom: true, isDeprecated: false });
        expect(actionsOn(outcome.plan, 'person', 'nickname').map((action) => [action.kind, action.hazard])).toEqual([
          ['TURN_FIELD_CUSTOM', null],
        ]);
        expect(actionsOn(dryRunDroppingData.plan, 'person', 'nickname').map((action) => [action.kind, action.hazard])).toEqual([
          ['DROP_FIELD', Hazard.DROPS_DATA],
        ]);
        const { rows } = await db.client.query(
          `SELECT count(*)::int AS count FROM "${workspace.schemaName}".person WHERE "nickname" IS NOT NULL`,
        );
        expect(rows[0].count).toBe(Object.keys(before.person).length);
      });

      it('changes the on-delete rule of person.company from SET_NULL to CASCADE in the foreign key and the metadata', async () => {
        const { rows } = await db.client.query(
          `SELECT con.confdeltype FROM pg_constraint con JOIN pg_namespace n ON n.oid = con.connamespace
            WHERE n.nspname = $1 AND con.conname = 'FK_person_companyId'`,
          [workspace.schemaName],
        );
        expect(rows).toEqual([{ confdeltype: 'c' }]);
        expect(await field(workspace.id, 'person', 'company')).toMatchObject({ onDelete: 'CASCADE' });
        expect(
          actionsOn(outcome.plan, 'person', 'company')
            .map((action) => action.kind)
            .sort(),
        ).toEqual(['UPDATE_FIELD', 'UPDATE_FOREIGN_KEY']);

        const schema = workspace.schemaName;
        const [{ companyId }] = (await db.client.query(`SELECT "companyId"::text AS "companyId" FROM "${schema}".person LIMIT 1`)).rows;
        await db.client.query('BEGIN');
        try {
          await db.client.query(`DELETE FROM "${schema}".company WHERE "id" = $1`, [companyId]);
          const left = await db.client.query(`SELECT count(*)::int AS count FROM "${schema}".person WHERE "companyId" = $1`, [companyId]);
          expect(left.rows[0].count).toBe(0);
        } finally {
          await db.client.query('ROLLBACK');
        }
      });

      it('adds the unique index on person.email to pg_indexes and metadata', async () => {
        const { rows } = await db.client.query(
          `SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND indexname = 'IDX_UNIQUE_person_email'`,
          [workspace.schemaName],
        );
        expect(rows).toEqual([
          { indexdef: `CREATE UNIQUE INDEX "IDX_UNIQUE_person_email" ON ${workspace.schemaName}.person USING btree (email)` },
        ]);
        const metadata = await db.client.query(
          `SELECT "columns", "isUnique" FROM metadata."indexMetadata" WHERE "workspaceId" = $1 AND "name" = 'IDX_UNIQUE_person_email'`,
          [workspace.id],
        );
        expect(metadata.rows).toEqual([{ columns: ['email'], isUnique: true }]);
        expect(await field(workspace.id, 'person', 'email')).toMatchObject({ isUnique: true });
      });

      it('leaves the activated field birthdate active', async () => {
        expect(await field(workspace.id, 'person', 'birthdate')).toMatchObject({ isActive: true });
        const check = await sync(v3, workspace.id, { check: true });
        expect({ status: check.status, actions: check.plan?.actions }).toEqual({ status: 'up-to-date', actions: [] });
        expect(await field(workspace.id, 'person', 'birthdate')).toMatchObject({ isActive: true });
      });

      it('a second sync changes nothing and a check plans nothing', async () => {
        await expectConverged(v3, workspace.id);
      });
    });
  });

  describe('a removed field with --allow-hazards DROPS_DATA', () => {
    const dropsData = { allowHazards: new Set([Hazard.DROPS_DATA]) };
    let workspace: WorkspaceRow;
    let before: TableData;
    let outcome: WorkspaceOutcome;

    beforeAll(async () => {
      workspace = await createWorkspace(v2, 'Dropping');
      await fillV2(workspace.schemaName, 200);
      before = await tableData(db.client, workspace.schemaName);
      outcome = await sync(v3, workspace.id, dropsData);
    });

    it('drops the column and the field row', async () => {
      expect({ status: outcome.status, message: outcome.message }).toEqual({ status: 'applied', message: null });
      expect(actionsOn(outcome.plan, 'person', 'nickname').map((action) => action.kind)).toEqual(['DROP_FIELD']);
      expect(await field(workspace.id, 'person', 'nickname')).toBeUndefined();
      expect((await attnums(workspace.schemaName, 'person')).nickname).toBeUndefined();
    });

    it('equals a workspace created fresh from v3, with no exception', async () => {
      expect(await expectSameAsFresh(workspace.id, v3)).toEqual([]);
    });

    it('keeps every other value', async () => {
      expectValuesKept(
        before,
        await tableData(db.client, workspace.schemaName),
        { person: { fullNameFirstName: 'nameFirstName', fullNameLastName: 'nameLastName', stage: 'pipelineStage' } },
        { person: ['nickname'] },
      );
    });

    it('a second sync changes nothing and a check plans nothing', async () => {
      await expectConverged(v3, workspace.id, dropsData);
      await expectConverged(v3, workspace.id);
    });
  });

  describe('a failure in the middle of the plan', () => {
    let workspace: WorkspaceRow;
    let total: number;

    beforeAll(async () => {
      workspace = await createWorkspace(v1, 'Failing');
      await fillV1(workspace.schemaName, 300);
      const dryRun = await sync(v2, workspace.id, { dryRun: true });
      expect(dryRun.status).toBe('planned');
      total = statementCount(dryRun.plan);
    });

    const failAt = async (k: number): Promise<void> => {
      const before = await workspaceSnapshot(db.client, workspace.id, workspace.schemaName);
      expectSubstantial(before);
      let reached = 0;
      const outcome = await sync(v2, workspace.id, {
        onStatement: (n) => {
          reached = n;
          if (n === k) throw new Error('injected');
        },
      });
      expect({ k, reached, status: outcome.status, injected: outcome.message?.includes('injected') }).toEqual({
        k,
        reached: k,
        status: 'failed',
        injected: true,
      });
      expect({ k, after: await workspaceSnapshot(db.client, workspace.id, workspace.schemaName) }).toEqual({ k, after: before });
    };

    it('the plan has enough statements to fail in the middle', () => {
      expect(total).toBeGreaterThan(10);
    });

    it.each([
      ['the first statement', () => 1],
      ['a middle statement', () => Math.ceil(total / 2)],
      ['the last statement', () => total],
    ])('leaves metadata, tables and data exactly as before when %s fails', async (_label, k) => {
      await failAt(k());
    });

    it('leaves everything as before whichever statement fails', async () => {
      for (let k = 2; k < total; k += 1) {
        await failAt(k);
      }
    });

    it('then a normal sync applies, and equals a fresh v2 workspace', async () => {
      const outcome = await sync(v2, workspace.id);
      expect({ status: outcome.status, statements: outcome.statementsExecuted }).toEqual({ status: 'applied', statements: total });
      expect(await expectSameAsFresh(workspace.id, v2)).toEqual(['person.legacyCode']);
      await expectConverged(v2, workspace.id);
    });
  });

  describe('pre-flight checks', () => {
    const expectNothingWritten = async (
      workspace: WorkspaceRow,
      declared: DeclaredSchema,
      options: SyncOptions = {},
    ): Promise<WorkspaceOutcome> => {
      const before = await workspaceSnapshot(db.client, workspace.id, workspace.schemaName);
      expectSubstantial(before);
      const outcome = await sync(declared, workspace.id, options);
      expect(outcome.status).toBe('failed');
      expect(outcome.statementsExecuted).toBe(0);
      expect(await workspaceSnapshot(db.client, workspace.id, workspace.schemaName)).toEqual(before);
      return outcome;
    };

    it('refuses NULLs where a field becomes non-nullable, naming the table, the column and the remedy', async () => {
      const workspace = await createWorkspace(v1, 'Nulls');
      await fillV1(workspace.schemaName, 400);
      const { rowCount } = await db.client.query(
        `UPDATE "${workspace.schemaName}".person SET "score" = NULL WHERE "id" IN (SELECT "id" FROM "${workspace.schemaName}".person ORDER BY "id" LIMIT 2)`,
      );
      expect(rowCount).toBe(2);

      const outcome = await expectNothingWritten(workspace, v2);
      expect(outcome.message).toContain('pre-flight checks failed, nothing was written');
      expect(outcome.message).toContain('2 row(s) of person have no value in score');
      expect(outcome.message).toContain('fill the empty values of person.score');

      await db.client.query(`UPDATE "${workspace.schemaName}".person SET "score" = 1 WHERE "score" IS NULL`);
      expect((await sync(v2, workspace.id)).status).toBe('applied');
    });

    it('refuses duplicates where a unique index appears, naming the table, the column and the remedy', async () => {
      const workspace = await createWorkspace(v2, 'Duplicates');
      await fillV2(workspace.schemaName, 500);
      await db.client.query(`UPDATE "${workspace.schemaName}".person SET "email" = 'same@example.com'`);

      const outcome = await expectNothingWritten(workspace, v3);
      expect(outcome.message).toContain('person holds duplicate values of email');
      expect(outcome.message).toContain('same@example.com');
      expect(outcome.message).toContain('make the values of email on person unique');
      expect(outcome.plan!.refusals).toEqual([]);

      await db.client.query(`UPDATE "${workspace.schemaName}".person SET "email" = "id"::text`);
      expect((await sync(v3, workspace.id)).status).toBe('applied');
    });

    it('refuses a new standard field whose name a custom field uses (NAME_CONFLICT), and applies once the custom field is renamed', async () => {
      const workspace = await createWorkspace(v1, 'Conflict');
      const schema = workspace.schemaName;
      await addRawCustomTextField(db.client, workspace, 'person', 'externalId', 'External id (custom)');
      await fillV1(schema, 600);

      const outcome = await expectNothingWritten(workspace, v2);
      expect(outcome.plan!.refusals).toEqual([
        expect.objectContaining({ hazard: Hazard.NAME_CONFLICT, object: 'person', field: 'externalId' }),
      ]);
      expect(outcome.message).toContain('person.externalId');
      expect(outcome.message).toContain('custom field "externalId"');
      expect(outcome.message).toContain('rename the custom field');

      const customValues = (await db.client.query(`SELECT "id"::text AS id, "externalId" FROM "${schema}".person ORDER BY "id"`)).rows;
      await db.client.query(
        `UPDATE metadata."fieldMetadata" SET "name" = 'externalIdCustom' WHERE "workspaceId" = $1 AND "name" = 'externalId'`,
        [workspace.id],
      );
      await db.client.query(`ALTER TABLE "${schema}".person RENAME COLUMN "externalId" TO "externalIdCustom"`);
      expect((await sync(v2, workspace.id)).status).toBe('applied');
      expect(await expectSameAsFresh(workspace.id, v2)).toEqual(['person.externalIdCustom', 'person.legacyCode']);
      const kept = (
        await db.client.query(`SELECT "id"::text AS id, "externalIdCustom" AS "externalId" FROM "${schema}".person ORDER BY "id"`)
      ).rows;
      expect(kept).toEqual(customValues);
    });
  });
});
