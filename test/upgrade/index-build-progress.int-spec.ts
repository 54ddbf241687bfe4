import { Client } from 'pg';
import { DataSource, QueryRunner } from 'typeorm';

import { WorkspaceRow } from '../../src/metadata/workspace.repository';
import { LedgerEntry } from '../../src/upgrade/ledger.repository';
import { ensureIndex, IndexDefinition } from '../../src/upgrade/steps/index-build';
import { stepContext, TaskProgress, UpgradeStepContext, UpgradeStepOptions } from '../../src/upgrade/upgrade-step';
import { connectClient, createTestDatabase, TestDatabase } from '../utils/test-database';
import { openDataSource } from '../utils/test-services';

const ROWS = 2_000;
const WAITING_FOR_WRITERS = 'waiting for writers before build';

/** An index build's progress, read from pg_stat_progress_create_index on a second connection while it runs. */
describe('index build progress', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let connection: QueryRunner;
  let writer: Client;
  let pid: number;

  const contextOf = (options: Partial<UpgradeStepOptions>): UpgradeStepContext => {
    const stepOptions: UpgradeStepOptions = { batchSize: 1_000, lockTimeoutMs: 5_000, statementTimeoutMs: 60_000, ...options };
    return stepContext({} as WorkspaceRow, {} as LedgerEntry, stepOptions, connection);
  };
  const index = (name: string): IndexDefinition => ({ schema: 'progress', table: 'item', name, isUnique: false, keys: '"label"' });
  const isValid = async (name: string): Promise<boolean | undefined> =>
    (await writer.query(`SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass($1)`, [`progress.${name}`])).rows[0]?.indisvalid;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await openDataSource(database.url, 3);
    connection = dataSource.createQueryRunner();
    await connection.connect();
    [{ pid }] = await connection.query(`SELECT pg_backend_pid() AS pid`);
    writer = await connectClient(database.url);
    await writer.query(`CREATE SCHEMA progress; CREATE TABLE progress.item ("id" serial PRIMARY KEY, "label" text)`);
    await writer.query(
      `INSERT INTO progress.item ("label") SELECT 'item ' || n FROM generate_series(1, ${ROWS}) AS n; ANALYZE progress.item`,
    );
  });

  afterAll(async () => {
    await writer?.end();
    await connection?.release();
    await dataSource?.destroy();
    await database?.drop();
  });

  it('reports the phase a concurrent build waits in, with the building backend, then its end', async () => {
    const reports: TaskProgress[] = [];
    let sawWaiting!: () => void;
    const waiting = new Promise<void>((resolve) => (sawWaiting = resolve));
    const context = contextOf({
      concurrentIndexRows: 0,
      indexProgressMs: 100,
      onProgress: (progress) => {
        reports.push(progress);
        if (progress.phase === WAITING_FOR_WRITERS) sawWaiting();
      },
    });

    // A transaction that wrote to the table and stays open: the concurrent build waits for it.
    await writer.query(`BEGIN; INSERT INTO progress.item ("label") VALUES ('written while the build waits')`);
    const build = ensureIndex(context, index('item_label_concurrent'));
    await waiting;
    expect(reports[0]).toEqual({ task: 'index', done: 0, total: ROWS, unit: 'rows', pid, finished: false });
    expect(reports.find((progress) => progress.phase === WAITING_FOR_WRITERS)).toEqual({
      task: 'index',
      done: 0,
      total: ROWS,
      unit: 'rows',
      phase: WAITING_FOR_WRITERS,
      pid,
      finished: false,
    });
    expect(reports.some((progress) => progress.finished)).toBe(false);
    expect(await isValid('item_label_concurrent')).toBe(false);

    await writer.query('COMMIT');
    expect(await build).toEqual({ built: true, concurrently: true, droppedInvalid: false });
    expect(reports.at(-1)).toEqual({ task: 'index', done: ROWS, total: ROWS, unit: 'rows', pid, finished: true });
    expect(reports.filter((progress) => progress.finished)).toHaveLength(1);
    expect(await isValid('item_label_concurrent')).toBe(true);
  });

  it('without a progress interval (the embedded database: one session) reports only the start and the end', async () => {
    const reports: TaskProgress[] = [];
    const context = contextOf({ concurrentIndexRows: 0, onProgress: (progress) => reports.push(progress) });
    // The first build counted the row written while it waited.
    const estimate = Number((await writer.query(`SELECT reltuples FROM pg_class WHERE oid = 'progress.item'::regclass`)).rows[0].reltuples);
    expect(estimate).toBe(ROWS + 1);
    await writer.query(`BEGIN; INSERT INTO progress.item ("label") VALUES ('written before the build')`);
    const build = ensureIndex(context, index('item_label_plain'));
    // The build waits for this transaction; committing it lets the build end.
    await writer.query('COMMIT');
    expect(await build).toEqual({ built: true, concurrently: true, droppedInvalid: false });
    expect(reports).toEqual([
      { task: 'index', done: 0, total: estimate, unit: 'rows', pid: undefined, finished: false },
      { task: 'index', done: estimate, total: estimate, unit: 'rows', pid: undefined, finished: true },
    ]);
  });
});
