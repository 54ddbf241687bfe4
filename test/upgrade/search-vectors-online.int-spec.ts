import { Client } from 'pg';

import { WorkspaceRow } from '../../src/metadata/workspace.repository';
import { RecordService } from '../../src/records/record.service';
import { Hazard } from '../../src/sync/plan';
import { getVersionSnapshot } from '../../src/standard-objects/version-snapshots';
import { connectClient } from '../utils/test-database';
import { catalogSnapshot, comparableMetadata, tableData } from '../utils/schema-snapshot';
import { syncHelpers } from '../utils/sync-helpers';
import { useTestDatabase } from '../utils/test-services';
import { COMPANIES, OPPORTUNITIES, PEOPLE, personIds, runSearchStep, seedRecords, withSearchVectors } from './search-vectors.fixtures';

/**
 * add-search-vectors and build-search-indexes on 0.24 workspaces with rows: the fields, triggers,
 * functions, indexes and metadata rows they leave are those of a workspace created with the search
 * fields, the sync finds nothing to do, the values are those the sync's own fill computes,
 * `?search=` finds the records, writes during the fill are indexed, and a run interrupted in the
 * fill or in a concurrent index build ends, run again, where an uninterrupted run ends.
 */
describe('search fields added online', () => {
  const db = useTestDatabase();
  const fillTriggers = async (schema: string): Promise<string[]> =>
    (
      await db.client.query(
        `SELECT DISTINCT t.tgname AS "name" FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = $1 AND t.tgname LIKE 'wms_fill_%' ORDER BY 1`,
        [schema],
      )
    ).rows.map((row) => row.name);
  const { create, reload, sync, expectConverged, expectSameAsFresh } = syncHelpers(db);
  const declared = withSearchVectors();
  const BATCH = { batchSize: 40, batchTargetMs: undefined };
  let reference: WorkspaceRow;
  let records: RecordService;

  const seeded = async (name: string): Promise<WorkspaceRow> => {
    const workspace = await create(getVersionSnapshot('0.24'), name);
    await seedRecords(db, workspace.schemaName);
    return workspace;
  };

  const search = async (workspace: WorkspaceRow, object: string, text: string): Promise<string[]> =>
    (await records.list(workspace.id, object, { search: text })).records.map((record) => record.id as string).sort();

  /** Values, metadata and catalog (column order aside) equal those of `expected`. */
  const expectSameEndState = async (workspace: WorkspaceRow, expected: WorkspaceRow): Promise<void> => {
    const data = await tableData(db.client, workspace.schemaName);
    const wanted = await tableData(db.client, expected.schemaName);
    for (const table of ['person', 'company', 'opportunity']) expect(data[table]).toEqual(wanted[table]);
    expect(await comparableMetadata(db.client, workspace.id)).toEqual(await comparableMetadata(db.client, expected.id));
    const catalog = async (schema: string) => {
      const snapshot = await catalogSnapshot(db.client, schema);
      return { ...snapshot, columns: snapshot.columns.map(({ position: _position, ...column }) => column) };
    };
    expect(await catalog(workspace.schemaName)).toEqual(await catalog(expected.schemaName));
  };

  beforeAll(async () => {
    records = new RecordService(db.dataSource);
    reference = await seeded('Uninterrupted');
    const add = await runSearchStep(db, reference, 'add', declared, BATCH);
    expect(add.rowsAffected).toBe(PEOPLE + COMPANIES + OPPORTUNITIES);
    const index = await runSearchStep(db, reference, 'index', declared);
    expect(index.notes).toEqual([
      'built IDX_person_searchVector on person',
      'built IDX_company_searchVector on company',
      'built IDX_opportunity_searchVector on opportunity',
    ]);
  });

  it('gives the field, trigger, function, index and metadata rows of a workspace created with them; the sync finds nothing to do', async () => {
    await expectConverged(declared, reference.id);
    await expectSameAsFresh(reference.id, declared);
  });

  it('leaves a workspace that has the search fields already as it is, filling nothing', async () => {
    const workspace = await create(declared, 'Created with them');
    await seedRecords(db, workspace.schemaName);
    const before = await tableData(db.client, workspace.schemaName);
    const add = await runSearchStep(db, workspace, 'add', declared, BATCH);
    expect({ rows: add.rowsAffected, notes: add.notes }).toEqual({ rows: 0, notes: ['every search field in place and filled'] });
    const index = await runSearchStep(db, workspace, 'index', declared);
    expect(index.notes).toEqual([
      'IDX_person_searchVector already in place',
      'IDX_company_searchVector already in place',
      'IDX_opportunity_searchVector already in place',
    ]);
    expect(await tableData(db.client, workspace.schemaName)).toEqual(before);
  });

  it('writes the field rows with the ids the sync would give them', async () => {
    const workspace = await seeded('Planned ids');
    const plan = await sync(declared, workspace, { dryRun: true });
    const planned = (plan.plan?.actions ?? [])
      .flatMap((action) => action.changes ?? [])
      .flatMap((change) => (change.kind === 'createField' ? [change.field.id] : change.kind === 'createIndex' ? [change.row.id] : []))
      .sort();
    expect(planned).toHaveLength(6);
    await runSearchStep(db, workspace, 'add', declared);
    await runSearchStep(db, workspace, 'index', declared);
    const { rows } = await db.client.query(
      `SELECT "id" FROM metadata."fieldMetadata" WHERE "workspaceId" = $1 AND "name" = 'searchVector'
       UNION ALL SELECT "id" FROM metadata."indexMetadata" WHERE "workspaceId" = $1 AND "name" LIKE '%searchVector'`,
      [workspace.id],
    );
    expect(rows.map((row) => row.id).sort()).toEqual(planned);
  });

  it('fills every row with the vector the sync itself computes', async () => {
    const bySync = await seeded('Filled by the sync');
    const outcome = await sync(declared, bySync, { allowHazards: new Set([Hazard.REWRITES_TABLE, Hazard.BLOCKS_WRITES]) });
    expect(outcome.status).toBe('applied');
    await expectSameEndState(reference, bySync);
    const { rows } = await db.client.query(
      `SELECT count(*)::int AS "filled" FROM "${reference.schemaName}".person WHERE "searchVector" IS NOT NULL AND "searchVector" <> ''::tsvector`,
    );
    expect(rows[0].filled).toBe(PEOPLE);
  });

  it('finds people by name and email, companies by name and domain', async () => {
    // Words match as prefixes: numbers above 200 are nobody else's prefix.
    expect(await search(reference, 'person', 'First218')).toEqual([personIds[217]]);
    expect(await search(reference, 'person', 'Last218')).toEqual([personIds[217]]);
    expect(await search(reference, 'person', 'person218@firm2.example')).toEqual([personIds[217]]);
    // Every person at firm8 has an email (n % 9 = 8, n not a multiple of 5).
    const firm8 = personIds.filter((_, index) => (index + 1) % 9 === 8 && (index + 1) % 5 !== 0).sort();
    expect(await search(reference, 'person', 'firm8')).toEqual(firm8);
    const names = async (object: string, text: string) =>
      (await records.list(reference.id, object, { search: text })).records.map((record) => record.name).sort();
    expect(await names('company', 'Company7')).toEqual(['Company7']);
    expect(await names('company', 'site7')).toEqual(['Company7']);
    expect(await names('company', 'site5')).toEqual([
      'Company5',
      'Company50',
      'Company51',
      'Company53',
      'Company54',
      'Company55',
      'Company57',
      'Company58',
      'Company59',
    ]);
    expect(await names('opportunity', 'Deal30')).toEqual(['Deal30']);
  });

  it('indexes the writes made while the rows are being filled, and fills rows a writer moved behind the pass', async () => {
    const workspace = await seeded('Written meanwhile');
    const schema = workspace.schemaName;
    let inserted = '';
    const report = await runSearchStep(db, workspace, 'add', declared, {
      ...BATCH,
      onBatch: async (key, batch) => {
        if (key !== 'person.searchVector' || batch !== 1) return;
        // Renamed (the trigger fills them), a new person, and every row moved by a write of a column the vector does not read.
        await db.client.query(`UPDATE "${schema}".person SET "nameFirstName" = 'Renamedfirst' WHERE "id" = $1`, [personIds[0]]);
        await db.client.query(`UPDATE "${schema}".person SET "nameFirstName" = 'Renamedlast' WHERE "id" = $1`, [personIds[PEOPLE - 1]]);
        inserted = (
          await db.client.query(
            `INSERT INTO "${schema}".person ("nameFirstName", "emailsPrimaryEmail") VALUES ('Newcomer', 'new@late.example') RETURNING "id"`,
          )
        ).rows[0].id;
        await db.client.query(`UPDATE "${schema}".person SET "jobTitle" = 'Moved'`);
      },
    });
    await runSearchStep(db, workspace, 'index', declared);
    expect(report.rowsAffected).toBeLessThanOrEqual(PEOPLE + COMPANIES + OPPORTUNITIES);
    const empty = await db.client.query(`SELECT count(*)::int AS "count" FROM "${schema}".person WHERE "searchVector" IS NULL`);
    expect(empty.rows[0].count).toBe(0);
    expect(await search(workspace, 'person', 'Renamedfirst')).toEqual([personIds[0]]);
    expect(await search(workspace, 'person', 'Renamedlast')).toEqual([personIds[PEOPLE - 1]]);
    expect(await search(workspace, 'person', 'First1')).not.toContain(personIds[0]);
    expect(await search(workspace, 'person', `First${PEOPLE}`)).toEqual([]);
    expect(await search(workspace, 'person', 'First218')).toEqual([personIds[217]]);
    expect(await search(workspace, 'person', 'late.example')).toEqual([inserted]);
    expect(await search(workspace, 'person', 'Newcomer')).toEqual([inserted]);
  });

  it('computes, while the rows are being filled, the vector of a row not yet filled that a writer updates, and drops that trigger at the end', async () => {
    const workspace = await seeded('Kept filled');
    const schema = workspace.schemaName;
    const last = personIds[PEOPLE - 1];
    let seen: { vector: string | null; triggers: string[] } | null = null;
    await runSearchStep(db, workspace, 'add', declared, {
      ...BATCH,
      onBatch: async (key, batch) => {
        if (key !== 'person.searchVector' || batch !== 1 || seen) return;
        // A column the vector does not read: the field's own trigger does not fire, the row moves.
        await db.client.query(`UPDATE "${schema}".person SET "jobTitle" = 'Moved' WHERE "id" = $1`, [last]);
        const { rows } = await db.client.query(`SELECT "searchVector"::text AS "vector" FROM "${schema}".person WHERE "id" = $1`, [last]);
        seen = { vector: rows[0].vector, triggers: await fillTriggers(schema) };
      },
    });
    expect(seen).toEqual({ vector: expect.stringContaining(`'first${PEOPLE}'`), triggers: ['wms_fill_searchVector_search'] });
    expect(await fillTriggers(schema)).toEqual([]);
  });

  it('killed in the fill, resumes after the last committed batch and ends as the uninterrupted run', async () => {
    const workspace = await seeded('Killed in the fill');
    const killed = new Error('killed in batch 3 of person');
    await expect(
      runSearchStep(db, workspace, 'add', declared, {
        ...BATCH,
        beforeBatchCommit: (key, batch) => {
          if (key === 'person.searchVector' && batch === 3) throw killed;
        },
      }),
    ).rejects.toBe(killed);
    const { rows } = await db.client.query(
      `SELECT "checkpoint", "rowsAffected" FROM core."upgradeLedger" WHERE "workspaceId" = $1 AND "step" = 'add-search-vectors'`,
      [workspace.id],
    );
    // Person comes first (the snapshot's order): two batches of it committed.
    expect(Number(rows[0].rowsAffected)).toBe(80);
    expect(rows[0].checkpoint['person.searchVector']).toMatchObject({ pass: 1, filledInPass: 80 });
    const report = await runSearchStep(db, workspace, 'add', declared, BATCH);
    expect(report.rowsAffected).toBe(PEOPLE - 80 + COMPANIES + OPPORTUNITIES);
    expect(report.notes).toEqual([
      expect.stringMatching(new RegExp(`^filled person.searchVector on ${PEOPLE - 80} row\\(s\\) in \\d+ batch\\(es\\)$`)),
      'added company.searchVector with its trigger searchVector_search (company_searchVector_search)',
      expect.stringMatching(new RegExp(`^filled company.searchVector on ${COMPANIES} row\\(s\\) in \\d+ batch\\(es\\)$`)),
      'added opportunity.searchVector with its trigger searchVector_search (opportunity_searchVector_search)',
      expect.stringMatching(new RegExp(`^filled opportunity.searchVector on ${OPPORTUNITIES} row\\(s\\) in \\d+ batch\\(es\\)$`)),
    ]);
    await runSearchStep(db, workspace, 'index', declared);
    await expectSameEndState(workspace, reference);
  });

  it('killed in a concurrent index build, drops the invalid index and ends as the uninterrupted run', async () => {
    const workspace = await seeded('Killed in the index build');
    await runSearchStep(db, workspace, 'add', declared, BATCH);
    // An open transaction with a snapshot makes the concurrent build wait for it, with its index already in the catalog.
    const holder = await connectClient(db.database.url);
    await holder.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    await holder.query('SELECT txid_current()');
    const build = runSearchStep(db, workspace, 'index', declared, { concurrentIndexRows: 0 }).then(
      () => null,
      (error: Error) => error,
    );
    const pid = await waitForQuery(db.client, 'CREATE INDEX CONCURRENTLY', 'Lock');
    await db.client.query('SELECT pg_terminate_backend($1)', [pid]);
    expect(await build).toBeInstanceOf(Error);
    await holder.query('COMMIT');
    await holder.end();
    const invalid = await db.client.query(
      `SELECT i.relname AS "name" FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_namespace n ON n.oid = i.relnamespace
        WHERE n.nspname = $1 AND NOT x.indisvalid`,
      [workspace.schemaName],
    );
    expect(invalid.rows.map((row) => row.name)).toEqual(['IDX_person_searchVector']);
    const report = await runSearchStep(db, await reload(workspace.id), 'index', declared, { concurrentIndexRows: 0 });
    expect(report.notes).toEqual([
      'dropped the invalid IDX_person_searchVector left by an interrupted build',
      'built IDX_person_searchVector on person CONCURRENTLY',
      'built IDX_company_searchVector on company CONCURRENTLY',
      'built IDX_opportunity_searchVector on opportunity CONCURRENTLY',
    ]);
    await expectSameEndState(workspace, reference);
    await expectConverged(declared, workspace.id);
  });

  it('refuses with the 0.25 snapshot before the field moves, writing nothing: person.searchVector reads the phones columns', async () => {
    const workspace = await seeded('Before the moves');
    await expect(runSearchStep(db, workspace, 'add', getVersionSnapshot('0.25'))).rejects.toThrow(
      'person.searchVector indexes phonesPrimaryPhoneNumber, which table person lacks; the steps of this upgrade that create them run before this one: run the whole upgrade, not this step alone',
    );
    const { rows } = await db.client.query(
      `SELECT table_name FROM information_schema.columns WHERE table_schema = $1 AND column_name = 'searchVector'`,
      [workspace.schemaName],
    );
    expect(rows).toEqual([]);
  });

  it('waits for a busy table in short attempts, so writers are not queued behind it', async () => {
    const workspace = await seeded('Busy table');
    const reader = await connectClient(db.database.url);
    await reader.query('BEGIN');
    await reader.query(`SELECT count(*) FROM "${workspace.schemaName}".opportunity`);
    const adding = runSearchStep(db, workspace, 'add', declared, BATCH);
    // Behind an ADD COLUMN waiting its default 5 s for the reader, this write would give up after 1 s.
    const writer = await connectClient(db.database.url);
    await waitForQuery(db.client, 'ALTER TABLE', 'Lock');
    await writer.query(`SET lock_timeout = '1s'`);
    await writer.query(`INSERT INTO "${workspace.schemaName}".opportunity ("name") VALUES ('Written while the step waits')`);
    await writer.end();
    await reader.query('COMMIT');
    await reader.end();
    await adding;
    expect(await search(workspace, 'opportunity', 'waits')).toHaveLength(1);
  });
});

/** The pid of the first session running a query that begins with `prefix` (waiting on `waitType` if given). */
const waitForQuery = async (client: Client, prefix: string, waitType?: string): Promise<number> => {
  for (;;) {
    const { rows } = await client.query(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query LIKE $1 AND pid <> pg_backend_pid()
          AND ($2::text IS NULL OR wait_event_type = $2)`,
      [`${prefix}%`, waitType ?? null],
    );
    if (rows.length > 0) return rows[0].pid;
  }
};
