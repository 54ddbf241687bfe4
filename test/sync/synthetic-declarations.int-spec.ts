import {
  buildSyntheticDeclarations,
  isRequiredSecond,
  SYNTHETIC_FIELD_TYPES,
  SYNTHETIC_OPTION_VALUES,
  SELF_RELATION_EVERY,
  SYNTHETIC_OBJECT_NAMES,
  SYNTHETIC_V2_CHANGES,
  syntheticFieldName,
  syntheticSetSize,
  UNIQUE_EMAILS,
} from '../../bench/synthetic-declarations';
import { DeclaredSchema } from '../../src/declarations/declared-schema';
import { FieldType, RelationType } from '../../src/declarations/field-type';
import { ActualStateRepository } from '../../src/metadata/actual-state.repository';
import { fieldColumns } from '../../src/metadata/column-layout';
import { WorkspaceRow } from '../../src/metadata/workspace.repository';
import { checkWorkspaceHealth } from '../../src/sync/workspace-health';
import { insertRowsWithEveryColumn } from '../utils/every-column-rows';
import { catalogSnapshot, comparableMetadata, TableData, tableData } from '../utils/schema-snapshot';
import { syncHelpers } from '../utils/sync-helpers';
import { useTestDatabase } from '../utils/test-services';

/**
 * A synthetic declaration set the size of a real CRM's (bench/synthetic-declarations.ts): a
 * workspace created from it is in sync with it, and its v2 applied to workspaces holding data
 * gives what a workspace created fresh at v2 holds, every value kept.
 */
describe('a synthetic declaration set of a real CRM size', () => {
  const db = useTestDatabase();
  const { create, reload, sync } = syncHelpers(db);
  const v1 = buildSyntheticDeclarations('v1');
  const v2 = buildSyntheticDeclarations('v2');
  const TARGETS = ['commentTarget', 'fileTarget', 'starTarget'];

  const health = async (workspace: WorkspaceRow) =>
    checkWorkspaceHealth(await new ActualStateRepository(db.dataSource.manager).read(workspace.id, workspace.schemaName));

  /** A second sync plans nothing, a comparison of the whole workspace neither, and health is clean. */
  const expectConverged = async (declared: DeclaredSchema, workspace: WorkspaceRow): Promise<void> => {
    const again = await sync(declared, await reload(workspace.id));
    expect({ status: again.status, actions: again.plan?.actions.length, statements: again.statementsExecuted }).toEqual({
      status: 'up-to-date',
      actions: 0,
      statements: 0,
    });
    const check = await sync(declared, await reload(workspace.id), { dryRun: true, check: true });
    expect({ status: check.status, actions: check.plan?.actions.map((action) => action.summary), refusals: check.plan?.refusals }).toEqual({
      status: 'up-to-date',
      actions: [],
      refusals: [],
    });
    expect(await health(workspace)).toEqual([]);
  };

  /** Rows with a value in every column: business objects in order (each points at earlier ones), then targets. */
  const fill = async (workspace: WorkspaceRow, seed: number): Promise<void> => {
    for (const name of [...SYNTHETIC_OBJECT_NAMES, ...TARGETS]) {
      await insertRowsWithEveryColumn(db.client, workspace.schemaName, name, 2, seed);
    }
  };

  it('is at least 35 objects, 450 fields and 120 relations, with every field type and polymorphic targets', () => {
    const size = syntheticSetSize(v1);
    expect(size.objects).toBeGreaterThanOrEqual(35);
    expect(size.fields).toBeGreaterThanOrEqual(450);
    expect(size.relations).toBeGreaterThanOrEqual(120);
    const types = new Set(v1.objects.flatMap((object) => object.fields.map((field) => field.type)));
    expect([...types].sort()).toEqual([...SYNTHETIC_FIELD_TYPES, FieldType.RELATION, FieldType.TS_VECTOR].sort());
    expect([...types].sort()).toEqual(Object.values(FieldType).sort());
    const selfRelated = v1.objects.filter((object) =>
      object.fields.some(
        (field) => field.relation?.type === RelationType.MANY_TO_ONE && field.relation.targetObject === object.nameSingular,
      ),
    );
    expect(selfRelated.map((object) => object.nameSingular)).toEqual(
      SYNTHETIC_OBJECT_NAMES.filter((_name, i) => i % SELF_RELATION_EVERY === 0),
    );
    const uniqueEmails = v1.objects[UNIQUE_EMAILS.object].fields.filter((field) => field.isUnique);
    expect(uniqueEmails.map((field) => [field.name, field.type])).toEqual([
      [syntheticFieldName(UNIQUE_EMAILS.object, UNIQUE_EMAILS.field), FieldType.EMAILS],
    ]);
    const required = v1.objects.flatMap((object) =>
      object.fields
        .filter((field) => field.relation?.type === RelationType.MANY_TO_ONE && !field.isNullable)
        .map((field) => `${object.nameSingular}.${field.name}`),
    );
    const expectedRequired = SYNTHETIC_OBJECT_NAMES.filter((_name, i) => isRequiredSecond(i)).map((name) => `${name}.second`);
    expect(expectedRequired.length).toBeGreaterThanOrEqual(10);
    expect(required).toEqual(expectedRequired);
    const selects = v1.objects.flatMap((object) =>
      object.fields.filter((field) => field.type === FieldType.SELECT || field.type === FieldType.MULTI_SELECT),
    );
    expect(new Set(selects.map((field) => field.type))).toEqual(new Set([FieldType.SELECT, FieldType.MULTI_SELECT]));
    for (const field of selects) {
      expect(field.options?.map((option) => option.value)).toEqual([...SYNTHETIC_OPTION_VALUES]);
      expect(field.options?.every((option) => typeof option.id === 'string')).toBe(true);
    }
    for (const target of TARGETS) {
      const object = v1.objects.find((candidate) => candidate.nameSingular === target)!;
      expect(object.fields.filter((field) => field.relation?.type === RelationType.MANY_TO_ONE).map((field) => field.name)).toEqual([
        ...SYNTHETIC_OBJECT_NAMES,
      ]);
      expect(v1.customObjectFields.find((field) => field.name === `${target}s`)?.relation).toEqual({
        type: RelationType.ONE_TO_MANY,
        targetObject: target,
        inverseFieldName: null,
      });
    }
  });

  it('a workspace created from it syncs again to 0 actions, --check to 0, health clean', async () => {
    const workspace = await create(v1, 'Synthetic v1');
    const { rows } = await db.client.query(
      `SELECT count(*)::int AS tables FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE'`,
      [workspace.schemaName],
    );
    expect(rows[0].tables).toBe(v1.objects.length);
    await expectConverged(v1, workspace);
    const enumLabels = await db.client.query(
      `SELECT e.enumlabel FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE n.nspname = $1 AND t.typname = $2 ORDER BY e.enumsortorder`,
      [workspace.schemaName, `alpha_${syntheticFieldName(0, SYNTHETIC_V2_CHANGES.optionsChanged.field)}_enum`],
    );
    expect(enumLabels.rows.map((row) => row.enumlabel)).toEqual([...SYNTHETIC_OPTION_VALUES]);
  });

  it('the database refuses a duplicate primary email of the unique EMAILS field, and a NULL required relation', async () => {
    const workspace = await create(v1, 'Synthetic constraints');
    const table = SYNTHETIC_OBJECT_NAMES[UNIQUE_EMAILS.object];
    const [primaryEmail, additionalEmails] = fieldColumns({
      name: syntheticFieldName(UNIQUE_EMAILS.object, UNIQUE_EMAILS.field),
      type: FieldType.EMAILS,
      relation: null,
    });
    const insert = (email: string | null, additional: string) =>
      db.client.query(
        `INSERT INTO "${workspace.schemaName}"."${table}" ("${primaryEmail}", "${additionalEmails}") VALUES ($1, $2::jsonb)`,
        [email, additional],
      );
    await insert('ada@example.com', '["one@example.com"]');
    // NULL and empty primary emails are not values: any number of them is allowed.
    for (const empty of [null, null, '', '']) await insert(empty, '[]');
    await expect(insert('ada@example.com', '["two@example.com"]')).rejects.toMatchObject({ code: '23505' });
    const { rows } = await db.client.query(
      `SELECT count(*)::int AS n FROM "${workspace.schemaName}"."${table}" WHERE "${primaryEmail}" = 'ada@example.com'`,
    );
    expect(rows[0].n).toBe(1);

    const requiredOn = SYNTHETIC_OBJECT_NAMES.find((_name, i) => isRequiredSecond(i))!;
    await expect(db.client.query(`INSERT INTO "${workspace.schemaName}"."${requiredOn}" ("secondId") VALUES (NULL)`)).rejects.toMatchObject(
      {
        code: '23502',
      },
    );
  });

  describe('v2 applied to 5 workspaces with data', () => {
    const workspaces: WorkspaceRow[] = [];
    const before = new Map<string, TableData>();
    let fresh: WorkspaceRow;

    const renamedField = (i: number) => syntheticFieldName(i, 0);
    const deprecated = `${SYNTHETIC_OBJECT_NAMES[SYNTHETIC_V2_CHANGES.deprecated.object]}.${syntheticFieldName(
      SYNTHETIC_V2_CHANGES.deprecated.object,
      SYNTHETIC_V2_CHANGES.deprecated.field,
    )}`;
    const removed = `${SYNTHETIC_OBJECT_NAMES[SYNTHETIC_V2_CHANGES.removed.object]}.${syntheticFieldName(
      SYNTHETIC_V2_CHANGES.removed.object,
      SYNTHETIC_V2_CHANGES.removed.field,
    )}`;

    beforeAll(async () => {
      for (let n = 0; n < 5; n += 1) {
        const workspace = await create(v1, `Synthetic ${n}`);
        await fill(workspace, 10 * n + 1);
        before.set(workspace.id, await tableData(db.client, workspace.schemaName));
        const outcome = await sync(v2, await reload(workspace.id));
        expect({ status: outcome.status, message: outcome.message, refusals: outcome.plan?.refusals }).toEqual({
          status: 'applied',
          message: null,
          refusals: [],
        });
        workspaces.push(workspace);
      }
      fresh = await create(v2, 'Synthetic fresh v2');
    });

    it('a workspace created fresh at v2 is in sync with v2', async () => {
      await expectConverged(v2, fresh);
    });

    it('each equals the fresh one (metadata, columns, constraints, indexes), but for the fields v2 left', async () => {
      const freshMetadata = await comparableMetadata(db.client, fresh.id);
      const freshCatalog = await catalogSnapshot(db.client, fresh.schemaName);
      const columns = (catalog: typeof freshCatalog) => catalog.columns.map(({ position: _position, ...column }) => column);
      for (const workspace of workspaces) {
        await expectConverged(v2, workspace);
        const metadata = await comparableMetadata(db.client, workspace.id);
        const custom = metadata.fields.filter((row) => row.isCustom);
        expect(custom.map((row) => `${row.objectName}.${row.name}`).sort()).toEqual([deprecated, removed].sort());
        const customColumns = new Set(
          custom.flatMap((row) =>
            fieldColumns({ name: row.name as string, type: row.type as FieldType, relation: null }).map(
              (column) => `${row.objectName}.${column}`,
            ),
          ),
        );
        expect(metadata.objects).toEqual(freshMetadata.objects);
        expect(metadata.fields.filter((row) => !row.isCustom)).toEqual(freshMetadata.fields);
        expect(metadata.indexes).toEqual(freshMetadata.indexes);
        const catalog = await catalogSnapshot(db.client, workspace.schemaName);
        expect(columns(catalog).filter((column) => !customColumns.has(`${column.table}.${column.column}`))).toEqual(columns(freshCatalog));
        expect(catalog.constraints).toEqual(freshCatalog.constraints);
        expect(catalog.foreignKeys).toEqual(freshCatalog.foreignKeys);
        expect(catalog.indexes).toEqual(freshCatalog.indexes);
        expect(catalog.triggers).toEqual(freshCatalog.triggers);
        expect(catalog.functions).toEqual(freshCatalog.functions);
        // The enum type of a field kept as custom stays with its column.
        expect(
          catalog.enums.filter((type) => ![...customColumns].some((column) => type.name === `${column.replace('.', '_')}_enum`)),
        ).toEqual(freshCatalog.enums);
      }
    });

    it('keeps every surviving value, under the new name where a field was renamed', async () => {
      for (const workspace of workspaces) {
        const after = await tableData(db.client, workspace.schemaName);
        const old = before.get(workspace.id)!;
        let compared = 0;
        const { object: optionsObject, field: optionsField } = SYNTHETIC_V2_CHANGES.optionsChanged;
        const optionsColumn = `${SYNTHETIC_OBJECT_NAMES[optionsObject]}.${syntheticFieldName(optionsObject, optionsField)}`;
        for (const [table, rows] of Object.entries(old)) {
          const index = SYNTHETIC_OBJECT_NAMES.indexOf(table as (typeof SYNTHETIC_OBJECT_NAMES)[number]);
          const renamed = (SYNTHETIC_V2_CHANGES.renamedOn as readonly number[]).includes(index)
            ? fieldColumns({
                name: renamedField(index),
                type: v1.objects[index].fields.find((f) => f.name === renamedField(index))!.type,
                relation: null,
              })
            : [];
          const expected: TableData[string] = {};
          const actual: TableData[string] = {};
          for (const [id, row] of Object.entries(rows)) {
            expected[id] = {};
            actual[id] = {};
            for (const [column, value] of Object.entries(row)) {
              // The search vector is derived by the database from the other values, not a value kept.
              if (column === 'searchVector') continue;
              const now = renamed.includes(column) ? column.replace(renamedField(index), `${renamedField(index)}Renamed`) : column;
              // A value renamed by its option id reads under its new name.
              expected[id][now] =
                `${table}.${column}` === optionsColumn && value === SYNTHETIC_V2_CHANGES.optionRenamed.from
                  ? SYNTHETIC_V2_CHANGES.optionRenamed.to
                  : value;
              actual[id][now] = after[table]?.[id]?.[now];
              if (value !== null) compared += 1;
            }
          }
          expect({ table, values: actual }).toEqual({ table, values: expected });
        }
        expect(compared).toBeGreaterThan(2000);
      }
    });

    it('renamed an option value by its id: rows that held it keep it under the new name', async () => {
      const { object, field } = SYNTHETIC_V2_CHANGES.optionsChanged;
      const table = SYNTHETIC_OBJECT_NAMES[object];
      const column = syntheticFieldName(object, field);
      let held = 0;
      for (const workspace of workspaces) {
        const old = before.get(workspace.id)![table];
        const renamedIds = Object.keys(old).filter((rowId) => old[rowId][column] === SYNTHETIC_V2_CHANGES.optionRenamed.from);
        held += renamedIds.length;
        const { rows } = await db.client.query(
          `SELECT "id"::text AS id, "${column}"::text AS value FROM "${workspace.schemaName}"."${table}"`,
        );
        expect(
          rows
            .filter((row) => row.value === SYNTHETIC_V2_CHANGES.optionRenamed.to)
            .map((row) => row.id)
            .sort(),
        ).toEqual(renamedIds.sort());
        expect(rows.filter((row) => row.value === SYNTHETIC_V2_CHANGES.optionRenamed.from)).toEqual([]);
      }
      expect(held).toBeGreaterThan(0);
    });

    it('applied each change of v2: the renames, the new option, the on-delete rule and the new target object', async () => {
      const [workspace] = workspaces;
      const fields = (await comparableMetadata(db.client, workspace.id)).fields;
      for (const i of SYNTHETIC_V2_CHANGES.renamedOn) {
        const object = SYNTHETIC_OBJECT_NAMES[i];
        expect(
          fields
            .filter((row) => row.objectName === object && [renamedField(i), `${renamedField(i)}Renamed`].includes(row.name as string))
            .map((row) => row.name),
        ).toEqual([`${renamedField(i)}Renamed`]);
      }
      const { rows: labels } = await db.client.query(
        `SELECT e.enumlabel FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid JOIN pg_namespace n ON n.oid = t.typnamespace
          WHERE n.nspname = $1 AND t.typname = $2 ORDER BY e.enumsortorder`,
        [workspace.schemaName, `alpha_${syntheticFieldName(0, 7)}_enum`],
      );
      expect(labels.map((row) => row.enumlabel)).toEqual(['NEW', 'inProgress', 'closedWon', 'ARCHIVED']);
      const onDeleteOf = SYNTHETIC_OBJECT_NAMES[SYNTHETIC_V2_CHANGES.onDeleteChanged];
      expect(fields.find((row) => row.objectName === onDeleteOf && row.name === 'previous')).toMatchObject({ onDelete: 'CASCADE' });
      const { rows: rules } = await db.client.query(
        `SELECT con.confdeltype FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = $1 AND c.relname = $2 AND con.contype = 'f' AND pg_get_constraintdef(con.oid) LIKE '%("previousId")%'`,
        [workspace.schemaName, onDeleteOf],
      );
      expect(rules).toEqual([{ confdeltype: 'c' }]);
      const timeline = fields.filter((row) => row.objectName === SYNTHETIC_V2_CHANGES.newTarget && row.type === 'RELATION');
      expect(timeline.map((row) => row.name).sort()).toEqual([...SYNTHETIC_OBJECT_NAMES].sort());
      expect(fields.filter((row) => row.name === `${SYNTHETIC_V2_CHANGES.newTarget}s`).map((row) => row.relationTargetObjectName)).toEqual(
        SYNTHETIC_OBJECT_NAMES.map(() => SYNTHETIC_V2_CHANGES.newTarget),
      );
    });
  });
});
