import { randomUUID } from 'node:crypto';

import { buildStandardDeclarations } from '../../src/standard-objects/standard-objects';
import { BLOCKNOTE_CASES, TEXT_CASES } from '../../src/upgrade/converters/note-body.corpus.spec-support';
import { PHONE_CORPUS } from '../../src/upgrade/converters/phone.corpus.spec-support';
import { WorkspaceCreationService } from '../../src/workspace/workspace-creation.service';
import { WorkspaceRow } from '../../src/metadata/workspace.repository';
import { useTestDatabase } from '../utils/test-services';
import {
  expectKilled,
  expectSameEndState,
  expectSucceeded,
  ProcessResult,
  runCliProcess,
  waitForSessionsToEnd,
} from './interrupted.fixtures';
import { staleSearchVectors } from './search-vectors.fixtures';
import { ledgerRow, workspaceVersion } from './upgrade-0-23.fixtures';

/**
 * upgrade-0.25 killed (SIGKILL) inside a batch of the phone move, between its batches and its
 * switch, right after its switch, and inside a batch of the note move, then run again: each ends
 * exactly where an uninterrupted run on an identical workspace ends, no value lost.
 */

const PEOPLE = 300;
const NOTES = 150;
const BATCH_SIZE = 25;
const PHONE_BATCHES = PEOPLE / BATCH_SIZE;

const phones = PHONE_CORPUS.filter((entry) => entry[0] !== null && (entry[1] === '' || entry[1] === 'FR')).map((entry) => entry[0]!);
const bodies = [...BLOCKNOTE_CASES, ...TEXT_CASES].map((entry) => entry.body);
const personIds = Array.from({ length: PEOPLE }, () => randomUUID()).sort();
const noteIds = Array.from({ length: NOTES }, () => randomUUID()).sort();
const phoneOf = (index: number): string => phones[index % phones.length];
const bodyOf = (index: number): string | null => (index % 13 === 0 ? null : bodies[index % bodies.length]);

describe('upgrade-0.25 killed during its data moves and run again', () => {
  const db = useTestDatabase();
  let reference: WorkspaceRow;

  const createSeededWorkspace = async (displayName: string): Promise<WorkspaceRow> => {
    const { workspace } = await new WorkspaceCreationService(db.dataSource, buildStandardDeclarations()).create({
      displayName,
      version: '0.24',
      prefill: false,
      defaultCountry: 'FR',
    });
    const schema = workspace.schemaName;
    await db.client.query(
      `INSERT INTO "${schema}".person ("id", "nameFirstName", "phone", "createdAt", "updatedAt")
       SELECT id, 'First ' || n, phone, timestamptz '2024-01-01T00:00:00Z' + n * interval '1 second', '2024-01-02T00:00:00Z'
         FROM unnest($1::uuid[], $2::text[]) WITH ORDINALITY AS t(id, phone, n)`,
      [personIds, personIds.map((_, index) => phoneOf(index))],
    );
    await db.client.query(
      `INSERT INTO "${schema}".note ("id", "title", "body", "createdAt", "updatedAt")
       SELECT id, 'Note ' || n, body, '2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z'
         FROM unnest($1::uuid[], $2::text[]) WITH ORDINALITY AS t(id, body, n)`,
      [noteIds, noteIds.map((_, index) => bodyOf(index))],
    );
    return workspace;
  };

  const upgrade = (workspace: WorkspaceRow, env: Record<string, string> = {}): Promise<ProcessResult> =>
    runCliProcess(['upgrade-0.25', '-w', workspace.id, '--batch-size', String(BATCH_SIZE)], { DATABASE_URL: db.database.url, ...env });

  const expectSameAsReference = async (workspace: WorkspaceRow): Promise<void> => {
    await expectSameEndState(db.client, workspace, reference, '0.25', { person: PEOPLE, note: NOTES });
    expect(await staleSearchVectors(db.client, workspace)).toEqual({ person: 0, note: 0 });
    const leftovers = await db.client.query(
      `SELECT tablename AS name FROM pg_tables WHERE schemaname = $1 AND tablename LIKE 'wms_move_%'
       UNION ALL SELECT proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = $1 AND proname LIKE 'wms_move_%'`,
      [workspace.schemaName],
    );
    expect(leftovers.rows).toEqual([]);
  };

  beforeAll(async () => {
    reference = await createSeededWorkspace('Uninterrupted');
    expectSucceeded(await upgrade(reference));
  });

  it('the uninterrupted run moved every phone and note body, in batches', async () => {
    const phone = await ledgerRow(db.client, reference.id, 'migrate-phone-fields-to-phones');
    const note = await ledgerRow(db.client, reference.id, 'migrate-note-body-to-rich-text');
    expect([phone?.status, phone?.rowsAffected, note?.status, note?.rowsAffected]).toEqual(['DONE', PEOPLE, 'DONE', NOTES]);
    const verbatim = (
      await db.client.query(
        `SELECT count(*)::int AS count FROM "${reference.schemaName}".person WHERE "phonesPrimaryPhoneCountryCode" = ''`,
      )
    ).rows[0].count;
    expect(verbatim).toBeGreaterThan(0);
    expect(verbatim).toBeLessThan(PEOPLE);
  });

  it('the moves added the search fields of person and note before their batches, which filled them: the search step had none to fill', async () => {
    const phone = await ledgerRow(db.client, reference.id, 'migrate-phone-fields-to-phones');
    const note = await ledgerRow(db.client, reference.id, 'migrate-note-body-to-rich-text');
    const search = await ledgerRow(db.client, reference.id, 'add-search-vectors');
    const filledBy = (checkpoint: Record<string, unknown> | null | undefined) =>
      Object.values(checkpoint ?? {}).flatMap((state) => (state as { searchFilled?: string[] } | null)?.searchFilled ?? []);
    expect([filledBy(phone?.checkpoint), filledBy(note?.checkpoint)]).toEqual([['person.searchVector'], ['note.searchVector']]);
    expect(Object.keys(search?.checkpoint ?? {})).not.toEqual(expect.arrayContaining(['person.searchVector']));
    expect(Object.keys(search?.checkpoint ?? {})).not.toEqual(expect.arrayContaining(['note.searchVector']));
    expect(await staleSearchVectors(db.client, reference)).toEqual({ person: 0, note: 0 });
  });

  it('killed in the 4th batch of the phone move: RUNNING at the checkpoint of batch 3; the rerun ends as the uninterrupted run', async () => {
    const workspace = await createSeededWorkspace('Killed in a phone batch');
    expectKilled(await upgrade(workspace, { WMS_FAULT_KILL_IN_BATCH: '4' }));
    const entry = await ledgerRow(db.client, workspace.id, 'migrate-phone-fields-to-phones');
    expect({ status: entry?.status, rows: entry?.rowsAffected }).toEqual({ status: 'RUNNING', rows: 3 * BATCH_SIZE });
    expect(await workspaceVersion(db.client, workspace.id)).toBe('0.24');
    await waitForSessionsToEnd(db.client);
    expectSucceeded(await upgrade(workspace));
    await expectSameAsReference(workspace);
  });

  it.each(['person.phone:prepared', 'person.phone:copied', 'person.phone:switched', 'note.body:prepared'])(
    'killed at %s: the rerun ends as the uninterrupted run',
    async (point) => {
      const workspace = await createSeededWorkspace(`Killed at ${point}`);
      expectKilled(await upgrade(workspace, { WMS_FAULT_KILL_AT_POINT: point }));
      expect(await workspaceVersion(db.client, workspace.id)).toBe('0.24');
      await waitForSessionsToEnd(db.client);
      expectSucceeded(await upgrade(workspace));
      await expectSameAsReference(workspace);
    },
  );

  it('the values kept verbatim are counted after the switch, not under its lock: killed right after it, the rerun writes their log', async () => {
    const workspace = await createSeededWorkspace('Killed before the verbatim log');
    expectKilled(await upgrade(workspace, { WMS_FAULT_KILL_AT_POINT: 'person.phone:switched' }));
    const { rows } = await db.client.query(
      `SELECT "checkpoint" -> 'unparsedLogs' AS queued,
              (SELECT count(*)::int FROM jsonb_array_elements("log") AS entry WHERE entry ? 'keptVerbatim') AS written
         FROM core."upgradeLedger" WHERE "workspaceId" = $1 AND "step" = 'migrate-phone-fields-to-phones'`,
      [workspace.id],
    );
    // The switch committed with the count queued: the read of the whole table did not hold its writers.
    expect(rows).toEqual([{ queued: [{ table: 'person', label: 'person.phone', columns: expect.any(Array) }], written: 0 }]);
    await waitForSessionsToEnd(db.client);
    expectSucceeded(await upgrade(workspace));
    await expectSameAsReference(workspace);
  });

  it('killed in the 3rd batch of the note move: the rerun ends as the uninterrupted run', async () => {
    const workspace = await createSeededWorkspace('Killed in a note batch');
    expectKilled(await upgrade(workspace, { WMS_FAULT_KILL_IN_BATCH: String(PHONE_BATCHES + 3) }));
    const entry = await ledgerRow(db.client, workspace.id, 'migrate-note-body-to-rich-text');
    expect({ status: entry?.status, rows: entry?.rowsAffected }).toEqual({ status: 'RUNNING', rows: 2 * BATCH_SIZE });
    await waitForSessionsToEnd(db.client);
    expectSucceeded(await upgrade(workspace));
    await expectSameAsReference(workspace);
  });
});
