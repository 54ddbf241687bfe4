import { randomUUID } from 'node:crypto';

import { buildStandardDeclarations } from '../../src/standard-objects/standard-objects';
import { PERSON_EMAIL_INDEX } from '../../src/upgrade/versions/0-24/build-person-email-unique-index.step';
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
import { ledgerRow, ledgerRows, workspaceVersion } from './upgrade-0-23.fixtures';

/**
 * upgrade-0.24 killed (SIGKILL) after the duplicates were resolved, right after the unique index
 * was built, inside the sync, and in the middle of the point-of-contact backfill, then run again:
 * each ends exactly where an uninterrupted run on an identical workspace ends.
 */

const PEOPLE = 600;
const OPPORTUNITIES = 400;
const BATCH_SIZE = 25;

const personIds = Array.from({ length: PEOPLE }, () => randomUUID()).sort();
const opportunityIds = Array.from({ length: OPPORTUNITIES }, () => randomUUID()).sort();
/** Blanks, exact duplicates of the previous person (deduplicated), case variants (ambiguous matches). */
const emailOf = (index: number): string =>
  index % 10 === 0
    ? ''
    : index % 50 === 7
      ? `person.${index - 1}@example.com`
      : index % 50 === 13
        ? `Person.${index - 1}@Example.com`
        : `person.${index}@example.com`;
/** NULL, blank, nobody's, upper-case, and plain emails of people. */
const pointOfContactOf = (index: number): string | null => {
  const person = (index * 7) % PEOPLE;
  switch (index % 9) {
    case 0:
      return null;
    case 1:
      return '';
    case 2:
      return `nobody.${index}@example.com`;
    case 3:
      return ` PERSON.${person}@EXAMPLE.COM`;
    default:
      return `person.${person}@example.com`;
  }
};

describe('upgrade-0.24 killed and run again', () => {
  const db = useTestDatabase();
  let reference: WorkspaceRow;

  beforeAll(async () => {
    reference = await createSeededWorkspace('Uninterrupted');
    expectSucceeded(await upgrade(reference));
  });

  const createSeededWorkspace = async (displayName: string): Promise<WorkspaceRow> => {
    const { workspace } = await new WorkspaceCreationService(db.dataSource, buildStandardDeclarations()).create({
      displayName,
      version: '0.23',
      prefill: false,
    });
    const schema = workspace.schemaName;
    await db.client.query(
      `INSERT INTO "${schema}".person ("id", "nameFirstName", "emailsPrimaryEmail", "emailsAdditionalEmails", "createdAt", "updatedAt")
       SELECT id, 'First ' || n, email, '[]', timestamptz '2024-01-01T00:00:00Z' + n * interval '1 second', '2024-01-02T00:00:00Z'
         FROM unnest($1::uuid[], $2::text[]) WITH ORDINALITY AS t(id, email, n)`,
      [personIds, personIds.map((_, index) => emailOf(index))],
    );
    await db.client.query(
      `INSERT INTO "${schema}".opportunity ("id", "name", "pointOfContactEmail", "createdAt", "updatedAt")
       SELECT id, 'Deal ' || n, email, '2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z'
         FROM unnest($1::uuid[], $2::text[]) WITH ORDINALITY AS t(id, email, n)`,
      [opportunityIds, opportunityIds.map((_, index) => pointOfContactOf(index))],
    );
    return workspace;
  };

  const upgrade = (workspace: WorkspaceRow, env: Record<string, string> = {}): Promise<ProcessResult> =>
    runCliProcess(['upgrade-0.24', '-w', workspace.id, '--batch-size', String(BATCH_SIZE), '--dedupe', 'keep-oldest'], {
      DATABASE_URL: db.database.url,
      ...env,
    });

  const dedupeLog = async (workspaceId: string): Promise<unknown[]> =>
    (
      await db.client.query(
        `SELECT "log" FROM core."upgradeLedger" WHERE "workspaceId" = $1 AND "step" = 'build-person-email-unique-index'`,
        [workspaceId],
      )
    ).rows[0].log.filter((entry: Record<string, unknown>) => entry.dedupe);

  /** The resumed workspace ends as the uninterrupted one: every value, the metadata, the catalog, the views and the ledger. */
  const expectSameAsReference = async (workspace: WorkspaceRow): Promise<void> => {
    // Opportunities point at people of their own workspace, under the same ids in both.
    await expectSameEndState(db.client, workspace, reference, '0.24', { person: PEOPLE, opportunity: OPPORTUNITIES });
    expect(await dedupeLog(workspace.id)).toEqual(await dedupeLog(reference.id));
    const leftovers = await db.client.query(`SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND indexname LIKE 'wms_%'`, [
      workspace.schemaName,
    ]);
    expect(leftovers.rows).toEqual([]);
    // No value lost: every point-of-contact email as seeded, every original email once in its row or kept in additionalEmails.
    const emails = (
      await db.client.query(`SELECT "pointOfContactEmail" AS email FROM "${workspace.schemaName}".opportunity ORDER BY "id"`)
    ).rows.map((row) => row.email);
    expect(emails).toEqual(opportunityIds.map((_, index) => pointOfContactOf(index)));
    const people = (
      await db.client.query(
        `SELECT "emailsPrimaryEmail" AS email, "emailsAdditionalEmails" AS additional FROM "${workspace.schemaName}".person ORDER BY "id"`,
      )
    ).rows;
    expect(
      people
        .map((row, index) => (row.email === emailOf(index) ? 'kept' : row.additional.includes(emailOf(index)) ? 'moved' : 'lost'))
        .filter((state) => state === 'lost'),
    ).toEqual([]);
  };

  it('the uninterrupted run resolved duplicates, counted every kind of match, and backfilled in batches', async () => {
    const ledger = await ledgerRows(db.client, reference.id);
    const renamed = PEOPLE / 50;
    expect(ledger.map((row) => [row.step, row.status])).toEqual([
      ['add-point-of-contact-to-views', 'DONE'],
      ['backfill-opportunity-point-of-contact', 'DONE'],
      ['build-person-email-unique-index', 'DONE'],
    ]);
    expect(ledger.find((row) => row.step === 'build-person-email-unique-index')!.rowsAffected).toBe(renamed);
    expect(await dedupeLog(reference.id)).toHaveLength(renamed);
    const [{ log }] = (
      await db.client.query(
        `SELECT "log" FROM core."upgradeLedger" WHERE "workspaceId" = $1 AND "step" = 'backfill-opportunity-point-of-contact'`,
        [reference.id],
      )
    ).rows;
    const counts = log[0].counts;
    expect(counts.matched).toBeGreaterThan(0);
    expect(counts.unmatched).toBeGreaterThan(0);
    expect(counts.ambiguous).toBeGreaterThan(0);
    expect(counts.empty).toBeGreaterThan(0);
    expect(counts.matched + counts.unmatched + counts.ambiguous + counts.empty).toBe(OPPORTUNITIES);
    const set = (
      await db.client.query(`SELECT count(*)::int AS count FROM "${reference.schemaName}".opportunity WHERE "pointOfContactId" IS NOT NULL`)
    ).rows[0].count;
    expect(set).toBe(counts.matched);
  });

  it('killed after the duplicates were renamed, before the index: the rerun builds it and keeps the renames counted once', async () => {
    const workspace = await createSeededWorkspace('Killed before the index');
    expectKilled(await upgrade(workspace, { WMS_FAULT_KILL_AT_POINT: 'before-index-build' }));
    const entry = await ledgerRow(db.client, workspace.id, 'build-person-email-unique-index');
    expect({ status: entry?.status, rowsAffected: entry?.rowsAffected }).toEqual({ status: 'RUNNING', rowsAffected: PEOPLE / 50 });
    expect(await workspaceVersion(db.client, workspace.id)).toBe('0.23');
    await waitForSessionsToEnd(db.client);
    expectSucceeded(await upgrade(workspace));
    await expectSameAsReference(workspace);
  });

  it('killed right after the index was built: the rerun finds it valid, records its metadata, and goes on', async () => {
    const workspace = await createSeededWorkspace('Killed after the index');
    expectKilled(await upgrade(workspace, { WMS_FAULT_KILL_AT_POINT: 'index-built' }));
    const index = await db.client.query(
      `SELECT x.indisvalid AS "isValid" FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_namespace n ON n.oid = i.relnamespace WHERE n.nspname = $1 AND i.relname = $2`,
      [workspace.schemaName, PERSON_EMAIL_INDEX],
    );
    expect(index.rows).toEqual([{ isValid: true }]);
    const metadata = await db.client.query(`SELECT 1 FROM metadata."indexMetadata" WHERE "workspaceId" = $1 AND "name" = $2`, [
      workspace.id,
      PERSON_EMAIL_INDEX,
    ]);
    expect(metadata.rows).toEqual([]);
    await waitForSessionsToEnd(db.client);
    const rerun = await upgrade(workspace);
    expectSucceeded(rerun);
    expect(rerun.stdout).toContain(`${PERSON_EMAIL_INDEX} already in place`);
    await expectSameAsReference(workspace);
  });

  it('killed inside the sync to 0.24: the sync rolls back whole, and the rerun finishes', async () => {
    const workspace = await createSeededWorkspace('Killed in the sync');
    expectKilled(await upgrade(workspace, { WMS_FAULT_KILL_AT_STATEMENT: '3' }));
    const fields = await db.client.query(
      `SELECT 1 FROM metadata."fieldMetadata" WHERE "workspaceId" = $1 AND "name" IN ('birthdate', 'pointOfContact')`,
      [workspace.id],
    );
    expect(fields.rows).toEqual([]);
    await waitForSessionsToEnd(db.client);
    expectSucceeded(await upgrade(workspace));
    await expectSameAsReference(workspace);
  });

  it('killed in the 5th backfill batch: RUNNING at the checkpoint of batch 4; the rerun finishes as an uninterrupted run', async () => {
    const workspace = await createSeededWorkspace('Killed in the backfill');
    expectKilled(await upgrade(workspace, { WMS_FAULT_KILL_IN_BATCH: '5' }));
    const entry = await ledgerRow(db.client, workspace.id, 'backfill-opportunity-point-of-contact');
    expect({ status: entry?.status, backfill: (entry?.checkpoint as Record<string, unknown>)?.backfill }).toEqual({
      status: 'RUNNING',
      backfill: { lastId: opportunityIds[4 * BATCH_SIZE - 1] },
    });
    const set = (
      await db.client.query(`SELECT count(*)::int AS count FROM "${workspace.schemaName}".opportunity WHERE "pointOfContactId" IS NOT NULL`)
    ).rows[0].count;
    expect(set).toBe(entry?.rowsAffected);
    const untouched = await db.client.query(
      `SELECT count(*)::int AS count FROM "${workspace.schemaName}".opportunity WHERE "pointOfContactId" IS NOT NULL AND "id" > $1`,
      [opportunityIds[4 * BATCH_SIZE - 1]],
    );
    expect(untouched.rows[0].count).toBe(0);
    expect(await workspaceVersion(db.client, workspace.id)).toBe('0.23');
    await waitForSessionsToEnd(db.client);
    expectSucceeded(await upgrade(workspace));
    await expectSameAsReference(workspace);
  });
});
