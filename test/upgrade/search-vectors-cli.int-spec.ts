import { randomUUID } from 'node:crypto';

import { asMovesLeaveIt } from '../../bench/upgrade-0-25.bench';
import { WorkspaceRow } from '../../src/metadata/workspace.repository';
import { RecordService } from '../../src/records/record.service';
import { buildStandardDeclarations } from '../../src/standard-objects/standard-objects';
import { WorkspaceCreationService } from '../../src/workspace/workspace-creation.service';
import { catalogSnapshot, comparableMetadata, tableData } from '../utils/schema-snapshot';
import { useTestDatabase } from '../utils/test-services';
import { expectKilled, expectSucceeded, ProcessResult, runCliProcess, waitForSessionsToEnd } from './interrupted.fixtures';
import { ledgerRows } from './upgrade-0-23.fixtures';

/**
 * The search steps of upgrade-0.25 run as commands with the 0.25 snapshot, on 0.24 workspaces
 * holding people and notes, shaped as the field moves of 0.25 leave them (the steps run after
 * those): `?search=` finds people by name, email and phone and notes by title and body, and a
 * process killed (SIGKILL) in the fill, or right after a field was added, ends, run again,
 * exactly where an uninterrupted run ends.
 */
describe('upgrade-0.25 search steps as commands, killed and run again', () => {
  const db = useTestDatabase();
  const PEOPLE = 300;
  const NOTES = 60;
  const personIds = Array.from({ length: PEOPLE }, () => randomUUID()).sort();
  const noteIds = Array.from({ length: NOTES }, () => randomUUID()).sort();
  let reference: WorkspaceRow;

  const prepared = async (displayName: string): Promise<WorkspaceRow> => {
    const { workspace } = await new WorkspaceCreationService(db.dataSource, buildStandardDeclarations()).create({
      displayName,
      version: '0.24',
      prefill: false,
    });
    const schema = workspace.schemaName;
    await db.client.query(
      `INSERT INTO "${schema}".person ("id", "nameFirstName", "nameLastName", "emailsPrimaryEmail", "emailsAdditionalEmails", "phone", "createdAt", "updatedAt")
       SELECT id, 'Ada' || n, 'Lovelace' || n, 'ada' || n || '@engine' || (n % 7) || '.example', '[]', '0612' || lpad(n::text, 6, '0'),
              '2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z'
         FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, n)`,
      [personIds],
    );
    await db.client.query(
      `INSERT INTO "${schema}".note ("id", "title", "body", "createdAt", "updatedAt")
       SELECT id, 'Minutes' || n, 'We talked about quince' || n, '2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z'
         FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, n)`,
      [noteIds],
    );
    await asMovesLeaveIt(db.dataSource, workspace);
    return workspace;
  };

  const run = (workspace: WorkspaceRow, step: string, env: Record<string, string> = {}): Promise<ProcessResult> =>
    runCliProcess([`upgrade-0.25:${step}`, '-w', workspace.id, '--batch-size', '40'], { DATABASE_URL: db.database.url, ...env });

  const expectSameEndState = async (workspace: WorkspaceRow): Promise<void> => {
    const data = await tableData(db.client, workspace.schemaName);
    const expected = await tableData(db.client, reference.schemaName);
    for (const [table, rows] of Object.entries({ person: PEOPLE, note: NOTES })) {
      expect({ table, rows: Object.keys(data[table]).length }).toEqual({ table, rows });
      expect(data[table]).toEqual(expected[table]);
    }
    expect(await comparableMetadata(db.client, workspace.id)).toEqual(await comparableMetadata(db.client, reference.id));
    const catalog = async (schema: string) => {
      const snapshot = await catalogSnapshot(db.client, schema);
      return { ...snapshot, columns: snapshot.columns.map(({ position: _position, ...column }) => column) };
    };
    expect(await catalog(workspace.schemaName)).toEqual(await catalog(reference.schemaName));
    const ledger = async (id: string) =>
      (await ledgerRows(db.client, id)).map(({ step, status, rowsAffected, error }) => ({ step, status, rowsAffected, error }));
    expect(await ledger(workspace.id)).toEqual(await ledger(reference.id));
  };

  beforeAll(async () => {
    reference = await prepared('Uninterrupted');
    expectSucceeded(await run(reference, 'add-search-vectors'));
    expectSucceeded(await run(reference, 'build-search-indexes'));
  });

  it('finds people by name, email and phone, notes by title and body', async () => {
    const records = new RecordService(db.dataSource);
    const ids = async (object: string, text: string) =>
      (await records.list(reference.id, object, { search: text })).records.map((record) => record.id).sort();
    expect(await ids('person', 'Ada217')).toEqual([personIds[216]]);
    expect(await ids('person', 'Lovelace217')).toEqual([personIds[216]]);
    expect(await ids('person', 'ada217@engine0.example')).toEqual([personIds[216]]);
    expect(await ids('person', '0612000217')).toEqual([personIds[216]]);
    expect(await ids('note', 'Minutes42')).toEqual([noteIds[41]]);
    expect(await ids('note', 'quince42')).toEqual([noteIds[41]]);
  });

  it('killed in the fill of person, resumes after the last committed batch', async () => {
    const workspace = await prepared('Killed in the fill');
    expectKilled(await run(workspace, 'add-search-vectors', { WMS_FAULT_KILL_IN_BATCH: '3' }));
    await waitForSessionsToEnd(db.client);
    const [entry] = (await ledgerRows(db.client, workspace.id)).filter((row) => row.step === 'add-search-vectors');
    // Two batches of 40 committed before the kill.
    expect({ status: entry.status, rows: Number(entry.rowsAffected) }).toEqual({ status: 'RUNNING', rows: 80 });
    expectSucceeded(await run(workspace, 'add-search-vectors'));
    expectSucceeded(await run(workspace, 'build-search-indexes'));
    await expectSameEndState(workspace);
  });

  it('killed right after a search field was added, fills it on the next run', async () => {
    const workspace = await prepared('Killed after adding');
    expectKilled(await run(workspace, 'add-search-vectors', { WMS_FAULT_KILL_AT_POINT: 'search-vector-added' }));
    await waitForSessionsToEnd(db.client);
    const { rows } = await db.client.query(
      `SELECT count(*)::int AS "empty" FROM "${workspace.schemaName}".person WHERE "searchVector" IS NULL`,
    );
    expect(rows[0].empty).toBe(PEOPLE);
    expectSucceeded(await run(workspace, 'add-search-vectors'));
    expectSucceeded(await run(workspace, 'build-search-indexes'));
    await expectSameEndState(workspace);
  });
});
