import { randomUUID } from 'node:crypto';

import { DataSource, EntityManager } from 'typeorm';

import { qualified } from '../../src/database/sql';
import { CustomMetadataService } from '../../src/custom-metadata/custom-metadata.service';
import { FieldType } from '../../src/declarations/field-type';
import { ActualStateRepository } from '../../src/metadata/actual-state.repository';
import { WorkspaceRepository, WorkspaceRow } from '../../src/metadata/workspace.repository';
import { searchVectorSpec } from '../../src/metadata/search-vector';
import { buildStandardDeclarations } from '../../src/standard-objects/standard-objects';
import { StatementRenderer } from '../../src/sync/statement.renderer';
import { convertNoteBody } from '../../src/upgrade/converters/note-body.converter';
import { parsePhones } from '../../src/upgrade/converters/phone.converter';
import { ConvertedMove, moveConverted, refillSearchColumns } from '../../src/upgrade/steps/converted-move';
import { UpgradeRunner } from '../../src/upgrade/upgrade.runner';
import { UpgradeStepContext } from '../../src/upgrade/upgrade-step';
import { WorkspaceCreationService } from '../../src/workspace/workspace-creation.service';
import { createTestDatabase, TestDatabase } from '../utils/test-database';
import { openDataSource } from '../utils/test-services';
import { runAsStep } from './step-context.fixtures';

/**
 * The machinery of a transformed type change (upgrade/steps/converted-move.ts), driven on a 0.24
 * workspace: values converted in Node batch by batch, writes of the old app during the move ending
 * converted from their latest value, a run failing mid-move resumed to the same end state, and
 * search fields over the moved field re-made to read the new columns.
 */

const ROWS = 60;
const BATCH = 10;
const ids = Array.from({ length: ROWS }, () => randomUUID()).sort();
const mobileOf = (index: number): string | null =>
  index % 7 === 0
    ? null
    : index % 11 === 0
      ? ''
      : index % 5 === 0
        ? `call me ${index}`
        : `+33 6 12 34 ${String(10 + index).padStart(2, '0')} 78`;

describe('a converted move', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let writer: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await openDataSource(database.url);
    writer = await openDataSource(database.url, 1);
  });

  afterAll(async () => {
    await writer.destroy();
    await dataSource.destroy();
    await database.drop();
  });

  /** A 0.24 workspace whose person has a custom PHONE field `mobile` holding mobileOf(i) on ROWS people. */
  const phoneWorkspace = async (displayName: string): Promise<WorkspaceRow> => {
    const declared = buildStandardDeclarations();
    const { workspace } = await new WorkspaceCreationService(dataSource, declared).create({ displayName, version: '0.22', prefill: false });
    await new CustomMetadataService(dataSource, declared).createField(workspace.id, 'person', {
      name: 'mobile',
      label: 'Mobile',
      type: 'PHONE',
    });
    const runner = new UpgradeRunner(dataSource);
    for (const version of ['0.23', '0.24']) {
      const current = (await new WorkspaceRepository(dataSource.manager).findById(workspace.id))!;
      expect((await runner.upgrade(current, version)).status).toBe('upgraded');
    }
    await dataSource.query(
      `INSERT INTO ${qualified(workspace.schemaName, 'person')} ("id", "nameFirstName", "mobile") SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[])`,
      [ids, ids.map((_, index) => `P${index}`), ids.map((_, index) => mobileOf(index))],
    );
    return (await new WorkspaceRepository(dataSource.manager).findById(workspace.id))!;
  };

  /** The move of a custom PHONE field as the 0.25 step makes it. */
  const phoneMove = async (context: UpgradeStepContext, objectName: string, fieldName: string): Promise<ConvertedMove> => {
    const actual = await new ActualStateRepository(context.connection.manager).read(context.workspace.id, context.workspace.schemaName);
    const object = actual.objects.find((candidate) => candidate.nameSingular === objectName)!;
    const field = object.fields.find((candidate) => candidate.name === fieldName)!;
    const [number, code, additional] = ['PrimaryPhoneNumber', 'PrimaryPhoneCountryCode', 'AdditionalPhones'].map(
      (suffix) => `${fieldName}${suffix}`,
    );
    return {
      object,
      field,
      newName: fieldName,
      newType: FieldType.PHONES,
      newLabel: field.label,
      newColumns: [
        { name: number, type: 'text' },
        { name: code, type: 'text' },
        { name: additional, type: 'jsonb' },
      ],
      convert: (rows) => {
        const batch = parsePhones(rows.map((row) => row.value));
        return [batch.primaryPhoneNumbers, batch.primaryPhoneCountryCodes, rows.map((row) => (row.value === null ? null : '[]'))];
      },
      rawAssignments: `NEW."${number}" := NEW."${fieldName}"; NEW."${code}" := CASE WHEN NEW."${fieldName}" IS NULL THEN NULL ELSE '' END; NEW."${additional}" := CASE WHEN NEW."${fieldName}" IS NULL THEN NULL ELSE '[]'::jsonb END;`,
    };
  };

  const phones = async (workspace: WorkspaceRow): Promise<Map<string, [string | null, string | null, unknown]>> =>
    new Map(
      (
        await dataSource.query(
          `SELECT "id", "mobilePrimaryPhoneNumber" AS n, "mobilePrimaryPhoneCountryCode" AS c, "mobileAdditionalPhones" AS a FROM ${qualified(workspace.schemaName, 'person')}`,
        )
      ).map((row: { id: string; n: string | null; c: string | null; a: unknown }) => [row.id, [row.n, row.c, row.a]]),
    );

  const leftovers = async (workspace: WorkspaceRow) => ({
    triggers: (
      await dataSource.query(
        `SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = $1 AND NOT t.tgisinternal AND t.tgname LIKE 'wms_move_%'`,
        [workspace.schemaName],
      )
    ).length,
    tables: (
      await dataSource.query(`SELECT tablename FROM pg_tables WHERE schemaname = $1 AND tablename LIKE 'wms_move_%'`, [
        workspace.schemaName,
      ])
    ).length,
    oldColumn: (
      await dataSource.query(
        `SELECT 1 FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'person' AND column_name = 'mobile'`,
        [workspace.schemaName],
      )
    ).length,
  });

  const expectedOf = (raw: string | null): [string | null, string | null, unknown] => {
    const batch = parsePhones([raw]);
    return [batch.primaryPhoneNumbers[0], batch.primaryPhoneCountryCodes[0], raw === null ? null : []];
  };

  /** An onBatch hook running `write` once, after batch `at` of the move, and whether it ran. */
  const writeAfterBatch = (at: number, write: () => Promise<void>) => {
    const hook = {
      wrote: false,
      onBatch: async (_key: string, batch: number) => {
        if (batch !== at || hook.wrote) return;
        hook.wrote = true;
        await write();
      },
    };
    return hook;
  };

  let reference: Map<string, [string | null, string | null, unknown]>;

  it('converts every value in batches, retypes the field under its id and drops the old column', async () => {
    const workspace = await phoneWorkspace('Reference');
    const [{ id: fieldId }] = await dataSource.query(
      `SELECT f."id" FROM metadata."fieldMetadata" f WHERE f."workspaceId" = $1 AND f."name" = 'mobile'`,
      [workspace.id],
    );
    const result = await runAsStep(dataSource, workspace, 'reference', { batchSize: BATCH }, async (context) =>
      moveConverted(context, await phoneMove(context, 'person', 'mobile')),
    );
    // A NULL stays NULL: the batches read only the rows with a value.
    const valued = ids.filter((_, index) => mobileOf(index) !== null).length;
    expect(valued).toBeLessThan(ROWS);
    expect(result).toEqual({
      rows: valued,
      batches: Math.ceil(valued / BATCH),
      maxBatchMs: expect.any(Number),
      rewritten: 0,
      searchAdded: [],
    });
    reference = await phones(workspace);
    expect(ids.map((id) => reference.get(id))).toEqual(ids.map((_, index) => expectedOf(mobileOf(index))));
    expect(reference.get(ids[1])).toEqual(['612341178', '+33', []]);
    expect(reference.get(ids[5])).toEqual(['call me 5', '', []]);
    expect(reference.get(ids[0])).toEqual([null, null, null]);
    expect(reference.get(ids[11])).toEqual(['', '', []]);
    const [field] = await dataSource.query(`SELECT "id", "name", "type", "label" FROM metadata."fieldMetadata" WHERE "id" = $1`, [fieldId]);
    expect(field).toEqual({ id: fieldId, name: 'mobile', type: 'PHONES', label: 'Mobile' });
    expect(await leftovers(workspace)).toEqual({ triggers: 0, tables: 0, oldColumn: 0 });
  });

  it('ends every write of the old app during the move converted from its latest value: moved rows, rows read ahead, unmoved rows, new rows', async () => {
    const workspace = await phoneWorkspace('Writers');
    const person = qualified(workspace.schemaName, 'person');
    const inserted = randomUUID();
    const writes = writeAfterBatch(2, async () => {
      // Batch 3 (rows 20-29) was read before batch 2 was written: row 25 changes after its read.
      await writer.query(`UPDATE ${person} SET "mobile" = '+33 1 23 45 67 89' WHERE "id" = $1`, [ids[0]]);
      await writer.query(`UPDATE ${person} SET "mobile" = '+44 20 7946 0958' WHERE "id" = $1`, [ids[25]]);
      await writer.query(`UPDATE ${person} SET "mobile" = 'ask reception' WHERE "id" = $1`, [ids[59]]);
      await writer.query(`UPDATE ${person} SET "mobile" = NULL WHERE "id" = $1`, [ids[1]]);
      await writer.query(`INSERT INTO ${person} ("id", "mobile") VALUES ($1, '+1 212 555 0123')`, [inserted]);
    });
    const result = await runAsStep(
      dataSource,
      workspace,
      'writers',
      {
        batchSize: BATCH,
        onBatch: writes.onBatch,
      },
      async (context) => moveConverted(context, await phoneMove(context, 'person', 'mobile')),
    );
    expect(writes.wrote).toBe(true);
    expect(result.rewritten).toBe(5);
    const after = await phones(workspace);
    expect(after.size).toBe(ROWS + 1);
    expect(after.get(ids[0])).toEqual(['123456789', '+33', []]);
    expect(after.get(ids[25])).toEqual(['2079460958', '+44', []]);
    expect(after.get(ids[59])).toEqual(['ask reception', '', []]);
    expect(after.get(ids[1])).toEqual([null, null, null]);
    expect(after.get(inserted)).toEqual(['2125550123', '+1', []]);
    const untouched = ids.filter((_, index) => ![0, 1, 25, 59].includes(index));
    expect(untouched.map((id) => after.get(id))).toEqual(untouched.map((id) => reference.get(id)));
    expect(await leftovers(workspace)).toEqual({ triggers: 0, tables: 0, oldColumn: 0 });
  });

  it('commits its batches and the drain of rows written meanwhile without waiting for the disk, and its switch waiting for it', async () => {
    const workspace = await phoneWorkspace('Commits');
    const schema = workspace.schemaName;
    const person = qualified(schema, 'person');
    const audit = qualified(schema, 'commit_audit');
    const [{ setting: serverSetting }] = await dataSource.query(`SELECT current_setting('synchronous_commit') AS "setting"`);
    const [{ pid: writerPid }] = await writer.query(`SELECT pg_backend_pid() AS "pid"`);
    // Each statement that writes person, the move's notes or the field's row records how its transaction commits.
    await dataSource.query(`CREATE TABLE ${audit} ("what" text, "setting" text, "pid" int)`);
    await dataSource.query(
      `CREATE FUNCTION ${qualified(schema, 'audit_commit')}() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN INSERT INTO ${audit} VALUES (TG_ARGV[0], current_setting('synchronous_commit'), pg_backend_pid()); RETURN NULL; END $$`,
    );
    await dataSource.query(
      `CREATE TRIGGER "audit" AFTER UPDATE ON ${person} FOR EACH STATEMENT EXECUTE FUNCTION ${qualified(schema, 'audit_commit')}('write')`,
    );
    await dataSource.query(
      `CREATE TRIGGER "audit_${schema}" AFTER UPDATE ON metadata."fieldMetadata" FOR EACH STATEMENT EXECUTE FUNCTION ${qualified(schema, 'audit_commit')}('switch')`,
    );
    try {
      const writes = writeAfterBatch(1, async () => {
        const [{ pending }] = await dataSource.query(
          `SELECT tablename AS "pending" FROM pg_tables WHERE schemaname = $1 AND tablename LIKE 'wms_move_%_pending'`,
          [schema],
        );
        await dataSource.query(
          `CREATE TRIGGER "audit" AFTER DELETE ON ${qualified(schema, pending)} FOR EACH STATEMENT EXECUTE FUNCTION ${qualified(schema, 'audit_commit')}('drain')`,
        );
        await writer.query(`UPDATE ${person} SET "mobile" = '+33 1 23 45 67 89' WHERE "id" = ANY($1::uuid[])`, [[ids[1], ids[40]]]);
      });
      const result = await runAsStep(
        dataSource,
        workspace,
        'commits',
        {
          batchSize: BATCH,
          onBatch: writes.onBatch,
        },
        async (context) => moveConverted(context, await phoneMove(context, 'person', 'mobile')),
      );
      expect([writes.wrote, result.rewritten]).toEqual([true, 2]);
      const seen: Array<{ what: string; setting: string; pid: number }> = await dataSource.query(`SELECT * FROM ${audit}`);
      const made = new Set(seen.filter((row) => row.pid !== writerPid).map((row) => `${row.what}: ${row.setting}`));
      expect([...made].sort()).toEqual(['drain: off', `switch: ${serverSetting}`, 'write: off']);
    } finally {
      await dataSource.query(`DROP TRIGGER "audit_${schema}" ON metadata."fieldMetadata"`);
    }
  });

  it('converts again a row the old app writes while it is still to convert, whatever it changes (the write may move it behind the batches)', async () => {
    const workspace = await phoneWorkspace('Moved rows');
    const person = qualified(workspace.schemaName, 'person');
    const valued = ids.filter((_, index) => mobileOf(index) !== null).length;
    const writes = writeAfterBatch(1, async () => {
      // Not the field: a new version of the row, somewhere in the table, its new columns still empty.
      await writer.query(`UPDATE ${person} SET "nameFirstName" = 'Moved' WHERE "id" = ANY($1::uuid[])`, [[ids[50], ids[58]]]);
      // Row 2 was converted by batch 1: its new columns emptied again, the field left alone.
      await writer.query(
        `UPDATE ${person} SET "mobilePrimaryPhoneNumber" = NULL, "mobilePrimaryPhoneCountryCode" = NULL, "mobileAdditionalPhones" = NULL WHERE "id" = $1`,
        [ids[2]],
      );
    });
    const result = await runAsStep(
      dataSource,
      workspace,
      'moved',
      {
        batchSize: BATCH,
        onBatch: writes.onBatch,
      },
      async (context) => moveConverted(context, await phoneMove(context, 'person', 'mobile')),
    );
    expect(writes.wrote).toBe(true);
    // The three rows were noted by the trigger and converted again from their latest value.
    expect({ rewritten: result.rewritten, rows: result.rows }).toEqual({ rewritten: 3, rows: valued - 2 });
    expect(await phones(workspace)).toEqual(reference);
    expect(await leftovers(workspace)).toEqual({ triggers: 0, tables: 0, oldColumn: 0 });
  });

  it('a run failing inside a batch, then after the batches, resumes each time to the same end state as an uninterrupted run', async () => {
    const workspace = await phoneWorkspace('Resumed');
    const fail = (what: string) => {
      throw new Error(`interrupted ${what}`);
    };
    const attempt = (options: Parameters<typeof runAsStep>[3]) =>
      runAsStep(dataSource, workspace, 'resumed', { batchSize: BATCH, ...options }, async (context) =>
        moveConverted(context, await phoneMove(context, 'person', 'mobile')),
      );
    await expect(attempt({ beforeBatchCommit: (_key, batch) => (batch === 3 ? fail('in batch 3') : undefined) })).rejects.toThrow(
      'interrupted in batch 3',
    );
    const [{ checkpoint }] = await dataSource.query(
      `SELECT "checkpoint" FROM core."upgradeLedger" WHERE "workspaceId" = $1 AND "step" = 'resumed'`,
      [workspace.id],
    );
    expect(Object.values(checkpoint)).toEqual([{ after: expect.stringMatching(/^\(\d+,\d+\)$/), endBlock: expect.any(Number) }]);
    await expect(
      attempt({ crashPoint: (point) => (point === 'person.mobile:copied' ? fail('after the batches') : undefined) }),
    ).rejects.toThrow('interrupted after the batches');
    const result = await attempt({});
    expect(result.rows).toBe(0);
    expect(await phones(workspace)).toEqual(reference);
    expect(await leftovers(workspace)).toEqual({ triggers: 0, tables: 0, oldColumn: 0 });
  });

  it('re-makes a search field over the moved field to read the new columns, lets the old column go, and computes it again for every row', async () => {
    const workspace = await phoneWorkspace('Search');
    const schema = workspace.schemaName;
    const person = qualified(schema, 'person');
    const actual = await new ActualStateRepository(dataSource.manager).read(workspace.id, schema);
    const object = actual.objects.find((candidate) => candidate.nameSingular === 'person')!;
    // A search field naming `mobile` and `nameFirstName`'s field: PHONE is not searchable, so only the name is read before the move.
    const settings = {
      searchFields: [
        { field: 'name', weight: 'A' },
        { field: 'mobile', weight: 'B' },
      ],
    };
    await dataSource.query(
      `INSERT INTO metadata."fieldMetadata" ("workspaceId", "objectMetadataId", "name", "label", "type", "isCustom", "settings")
       VALUES ($1, $2, 'searchVector', 'Search vector', 'TS_VECTOR', true, $3)`,
      [workspace.id, object.id, JSON.stringify(settings)],
    );
    await dataSource.query(`ALTER TABLE ${person} ADD COLUMN "searchVector" tsvector`);
    const spec = searchVectorSpec('person', { name: 'searchVector', settings }, object.fields);
    expect(spec.sources.map((source) => source.column)).toEqual(['nameFirstName', 'nameLastName']);
    for (const statement of new StatementRenderer(workspace.id, schema).render({
      kind: 'setSearchVector',
      spec,
      replaces: null,
      backfill: true,
    })) {
      await dataSource.query(statement.sql, statement.params as unknown[] | undefined);
    }
    const refills: string[] = [];
    const options = {
      batchSize: BATCH,
      beforeBatchCommit: async (key: string, _batch: number, manager: EntityManager) => {
        if (key.startsWith('search:')) refills.push((await manager.query(`SELECT current_setting('synchronous_commit') AS "s"`))[0].s);
      },
    };
    const notes = await runAsStep(dataSource, workspace, 'search', options, async (context) => {
      await moveConverted(context, await phoneMove(context, 'person', 'mobile'));
      return refillSearchColumns(context);
    });
    expect(notes).toEqual([`person.searchVector: computed again for ${ROWS} row(s)`]);
    // Its batches commit without waiting for the disk, as every batch of a move does.
    expect(refills).toEqual(Array(Math.ceil(ROWS / BATCH)).fill('off'));
    const found = async (query: string) =>
      (await dataSource.query(`SELECT "id" FROM ${person} WHERE "searchVector" @@ to_tsquery('simple', $1) ORDER BY "id"`, [query])).map(
        (row: { id: string }) => row.id,
      );
    expect(await found('612341178')).toEqual([ids[1]]);
    expect(await found('P1')).toEqual([ids[1]]);
    // New writes go through the re-made trigger.
    await dataSource.query(`UPDATE ${person} SET "mobilePrimaryPhoneNumber" = '799999999' WHERE "id" = $1`, [ids[2]]);
    expect(await found('799999999')).toEqual([ids[2]]);
  });

  it('a search trigger watching the TEXT column a move drops is re-made first, so the drop goes through', async () => {
    const { workspace } = await new WorkspaceCreationService(dataSource, buildStandardDeclarations()).create({
      displayName: 'Note search',
      version: '0.24',
      prefill: false,
    });
    const schema = workspace.schemaName;
    const note = qualified(schema, 'note');
    const noteIds = [randomUUID(), randomUUID()].sort();
    await dataSource.query(
      `INSERT INTO ${note} ("id", "title", "body") VALUES ($1, 'Kickoff', 'agenda budget'), ($2, 'Retro', NULL)`,
      noteIds,
    );
    const actual = await new ActualStateRepository(dataSource.manager).read(workspace.id, schema);
    const object = actual.objects.find((candidate) => candidate.nameSingular === 'note')!;
    const settings = {
      searchFields: [
        { field: 'title', weight: 'A' },
        { field: 'body', weight: 'B' },
      ],
    };
    await dataSource.query(
      `INSERT INTO metadata."fieldMetadata" ("workspaceId", "objectMetadataId", "name", "label", "type", "isCustom", "settings")
       VALUES ($1, $2, 'searchVector', 'Search vector', 'TS_VECTOR', true, $3)`,
      [workspace.id, object.id, JSON.stringify(settings)],
    );
    await dataSource.query(`ALTER TABLE ${note} ADD COLUMN "searchVector" tsvector`);
    const spec = searchVectorSpec('note', { name: 'searchVector', settings }, object.fields);
    for (const statement of new StatementRenderer(workspace.id, schema).render({
      kind: 'setSearchVector',
      spec,
      replaces: null,
      backfill: true,
    })) {
      await dataSource.query(statement.sql, statement.params as unknown[] | undefined);
    }
    await runAsStep(dataSource, workspace, 'note search', { batchSize: 1 }, async (context) => {
      const state = await new ActualStateRepository(context.connection.manager).read(workspace.id, schema);
      const noteObject = state.objects.find((candidate) => candidate.nameSingular === 'note')!;
      const body = noteObject.fields.find((candidate) => candidate.name === 'body')!;
      await moveConverted(context, {
        object: noteObject,
        field: body,
        newName: 'bodyV2',
        newType: FieldType.RICH_TEXT_V2,
        newLabel: 'Body',
        newColumns: [
          { name: 'bodyV2Blocknote', type: 'text' },
          { name: 'bodyV2Markdown', type: 'text' },
        ],
        convert: (rows) => {
          const converted = rows.map((row) => convertNoteBody(row.value, row.id));
          return [converted.map((value) => value.blocknote), converted.map((value) => value.markdown)];
        },
        rawAssignments: `NEW."bodyV2Markdown" := NEW."body"; NEW."bodyV2Blocknote" := NULL;`,
      });
      return refillSearchColumns(context);
    });
    const rows = await dataSource.query(
      `SELECT "id", "bodyV2Markdown" AS markdown, "searchVector"::text AS search FROM ${note} ORDER BY "id"`,
    );
    expect(rows.map((row: { markdown: string | null }) => row.markdown)).toEqual(
      noteIds.map((id) => (id === noteIds[0] ? 'agenda budget' : null)) as Array<string | null>,
    );
    const [{ definition }] = await dataSource.query(
      `SELECT pg_get_triggerdef(t.oid) AS definition FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relname = 'note' AND t.tgname = 'searchVector_search'`,
      [schema],
    );
    expect(definition).toContain('UPDATE OF title ON');
  });
});
