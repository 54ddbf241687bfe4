import { randomUUID } from 'node:crypto';

import { buildStandardDeclarations } from '../../src/standard-objects/standard-objects';
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
import { fieldRow, ledgerRow, ledgerRows, liveColumns, workspaceVersion } from './upgrade-0-23.fixtures';

/**
 * The CLI killed (SIGKILL, no chance to clean up) inside a data-move batch of upgrade-0.23, then
 * run again: it resumes from the ledger's checkpoint and ends exactly where an uninterrupted run
 * on an identical workspace ends, with every value once.
 */

const PEOPLE = 3_000;
const COMPANIES = 500;
const BATCH_SIZE = 100;
const EMAIL_BATCHES = PEOPLE / BATCH_SIZE;

/** Same ids and values in every workspace, so that two upgraded workspaces compare row by row. */
const personIds = Array.from({ length: PEOPLE }, () => randomUUID()).sort();
const emailOf = (index: number): string =>
  index % 10 === 0 ? '' : index % 3 === 0 ? `Person.${index}@Example.COM` : `person.${index}@example.com`;
const companyIds = Array.from({ length: COMPANIES }, () => randomUUID()).sort();
const domainOf = (index: number): string | null =>
  index % 7 === 0 ? null : index % 5 === 0 ? `https://c${index}.example/path` : index % 11 === 0 ? '' : `c${index}.example`;

describe('upgrade-0.23 killed in the middle of a data move', () => {
  const db = useTestDatabase();
  let reference: WorkspaceRow;

  beforeAll(async () => {
    reference = await createSeededWorkspace('Uninterrupted');
    const result = await upgrade(reference);
    expectSucceeded(result);
  });

  const createSeededWorkspace = async (displayName: string): Promise<WorkspaceRow> => {
    const { workspace } = await new WorkspaceCreationService(db.dataSource, buildStandardDeclarations()).create({
      displayName,
      version: '0.22',
      prefill: false,
    });
    const schema = workspace.schemaName;
    await db.client.query(
      `INSERT INTO "${schema}".company ("id", "name", "domainNameUrl", "domainNameLabel", "linkedinLinkUrl", "address", "createdAt", "updatedAt")
       SELECT id, 'Company ' || n, url, CASE WHEN n % 2 = 0 THEN 'Label ' || n END, CASE WHEN n % 4 = 0 THEN 'linkedin.com/company/c' || n END,
              n || ' Company Street', '2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z'
         FROM unnest($1::uuid[], $2::text[]) WITH ORDINALITY AS t(id, url, n)`,
      [companyIds, companyIds.map((_, index) => domainOf(index))],
    );
    await db.client.query(
      `INSERT INTO "${schema}".person ("id", "nameFirstName", "nameLastName", "email", "city", "companyId", "createdAt", "updatedAt")
       SELECT id, 'First ' || n, 'Last ' || n, email, 'City ' || (n % 17), ($3::uuid[])[(n % $4) + 1], '2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z'
         FROM unnest($1::uuid[], $2::text[]) WITH ORDINALITY AS t(id, email, n)`,
      [personIds, personIds.map((_, index) => emailOf(index)), companyIds, COMPANIES],
    );
    return workspace;
  };

  const upgrade = (workspace: WorkspaceRow, env: Record<string, string> = {}): Promise<ProcessResult> =>
    runCliProcess(['upgrade-0.23', '-w', workspace.id, '--batch-size', String(BATCH_SIZE)], { DATABASE_URL: db.database.url, ...env });

  const movedCount = async (schema: string, table: string, column: string): Promise<number> =>
    (await db.client.query(`SELECT count(*)::int AS count FROM "${schema}"."${table}" WHERE "${column}" IS NOT NULL`)).rows[0].count;

  const triggerCount = async (schema: string): Promise<number> =>
    (
      await db.client.query(
        `SELECT count(*)::int AS count FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND NOT t.tgisinternal`,
        [schema],
      )
    ).rows[0].count;

  /** The resumed workspace ends as the uninterrupted one: every value, the metadata, the catalog, the views and the ledger. */
  const expectSameAsReference = async (workspace: WorkspaceRow): Promise<void> => {
    await expectSameEndState(db.client, workspace, reference, '0.23', { person: PEOPLE, company: COMPANIES });
    expect(await triggerCount(workspace.schemaName)).toBe(0);
    const functions = await db.client.query(
      `SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = $1`,
      [workspace.schemaName],
    );
    expect(functions.rows).toEqual([]);

    // No value lost: every original email exactly once, in its own row.
    const { rows } = await db.client.query(
      `SELECT "id"::text AS id, "emailsPrimaryEmail" AS email FROM "${workspace.schemaName}".person ORDER BY "id"`,
    );
    expect(rows).toEqual(personIds.map((id, index) => ({ id, email: emailOf(index) })));
    const counts = new Map<string, number>();
    for (const row of rows) counts.set(row.email, (counts.get(row.email) ?? 0) + 1);
    expect([...counts.entries()].filter(([email, count]) => email !== '' && count !== 1)).toEqual([]);
    const urls = await db.client.query(
      `SELECT "id"::text AS id, "domainNamePrimaryLinkUrl" AS url FROM "${workspace.schemaName}".company ORDER BY "id"`,
    );
    expect(urls.rows).toEqual(
      companyIds.map((id, index) => {
        const old = domainOf(index);
        return { id, url: old === null || old === '' || old.startsWith('https://') ? old : `https://${old}` };
      }),
    );
  };

  it('the uninterrupted run moved every row, in the batches the kill points count on', async () => {
    const ledger = await ledgerRows(db.client, reference.id);
    expect(ledger.map((row) => [row.step, row.status, row.rowsAffected])).toEqual([
      ['add-address-to-views', 'DONE', 1],
      ['deprecate-company-address', 'DONE', 0],
      ['migrate-email-fields-to-emails', 'DONE', PEOPLE],
      ['migrate-link-fields-to-links', 'DONE', 2 * COMPANIES],
    ]);
  });

  it('killed in the 5th email batch: the step is RUNNING with the checkpoint of batch 4; the rerun finishes as an uninterrupted run', async () => {
    const workspace = await createSeededWorkspace('Killed in batch 5');
    const emailField = (await fieldRow(db.client, workspace.id, 'person', 'email'))!;
    const killed = await upgrade(workspace, { WMS_FAULT_KILL_IN_BATCH: '5' });
    expectKilled(killed);

    const entry = await ledgerRow(db.client, workspace.id, 'migrate-email-fields-to-emails');
    expect({ status: entry?.status, rowsAffected: entry?.rowsAffected, finishedAt: entry?.finishedAt }).toEqual({
      status: 'RUNNING',
      rowsAffected: 4 * BATCH_SIZE,
      finishedAt: null,
    });
    expect(entry?.checkpoint).toEqual({ [`field:${emailField.id}`]: { lastId: personIds[4 * BATCH_SIZE - 1] } });
    expect((await ledgerRows(db.client, workspace.id)).map((row) => row.step)).toEqual(['migrate-email-fields-to-emails']);
    expect(await movedCount(workspace.schemaName, 'person', 'emailsAdditionalEmails')).toBe(4 * BATCH_SIZE);
    expect(await workspaceVersion(db.client, workspace.id)).toBe('0.22');
    expect(await fieldRow(db.client, workspace.id, 'person', 'email')).toEqual(
      expect.objectContaining({ id: emailField.id, type: 'EMAIL' }),
    );
    expect(await liveColumns(db.client, workspace.schemaName, 'person')).toEqual(expect.arrayContaining(['email', 'emailsPrimaryEmail']));

    // The trigger that keeps writes to the old column is in place while the upgrade is down.
    expect(await triggerCount(workspace.schemaName)).toBe(2);

    await waitForSessionsToEnd(db.client);
    const rerun = await upgrade(workspace);
    expectSucceeded(rerun);
    expect(rerun.stdout).toContain(`person.email -> emails (EMAILS): ${PEOPLE - 4 * BATCH_SIZE} row(s) in ${EMAIL_BATCHES - 4} batch(es)`);
    await expectSameAsReference(workspace);
  });

  it('keeps what writers wrote to the old column between the kill and the rerun', async () => {
    const workspace = await createSeededWorkspace('Written to while down');
    const killed = await upgrade(workspace, { WMS_FAULT_KILL_IN_BATCH: '3' });
    expectKilled(killed);
    const person = `"${workspace.schemaName}".person`;
    // Until the upgrade finishes, writers see the 0.22 shape: a moved row, a row not yet moved, a new row.
    await db.client.query(`UPDATE ${person} SET "email" = 'moved-then-changed@new.test' WHERE "id" = $1`, [personIds[0]]);
    await db.client.query(`UPDATE ${person} SET "email" = 'changed-before-move@new.test' WHERE "id" = $1`, [personIds[PEOPLE - 1]]);
    const [inserted] = (
      await db.client.query(`INSERT INTO ${person} ("email") VALUES ('inserted-while-down@new.test') RETURNING "id"::text AS id`)
    ).rows;

    await waitForSessionsToEnd(db.client);
    expectSucceeded(await upgrade(workspace));
    const emails = new Map(
      (await db.client.query(`SELECT "id"::text AS id, "emailsPrimaryEmail" AS email FROM ${person}`)).rows.map((row) => [
        row.id,
        row.email,
      ]),
    );
    expect(emails.size).toBe(PEOPLE + 1);
    expect(emails.get(personIds[0])).toBe('moved-then-changed@new.test');
    expect(emails.get(personIds[PEOPLE - 1])).toBe('changed-before-move@new.test');
    expect(emails.get(inserted.id)).toBe('inserted-while-down@new.test');
    const others = personIds.map((id, index) => [id, emailOf(index)]).slice(1, PEOPLE - 1);
    expect(others.filter(([id, email]) => emails.get(id) !== email)).toEqual([]);
    expect(await triggerCount(workspace.schemaName)).toBe(0);
  });

  it('killed in the 1st email batch: nothing moved, the rerun finishes as an uninterrupted run', async () => {
    const workspace = await createSeededWorkspace('Killed in batch 1');
    const killed = await upgrade(workspace, { WMS_FAULT_KILL_IN_BATCH: '1' });
    expectKilled(killed);

    const entry = await ledgerRow(db.client, workspace.id, 'migrate-email-fields-to-emails');
    expect({ status: entry?.status, rowsAffected: entry?.rowsAffected, checkpoint: entry?.checkpoint }).toEqual({
      status: 'RUNNING',
      rowsAffected: 0,
      checkpoint: null,
    });
    expect(await movedCount(workspace.schemaName, 'person', 'emailsAdditionalEmails')).toBe(0);
    expect(await workspaceVersion(db.client, workspace.id)).toBe('0.22');

    await waitForSessionsToEnd(db.client);
    const rerun = await upgrade(workspace);
    expectSucceeded(rerun);
    await expectSameAsReference(workspace);
  });

  it('killed in the LINK step (the 3rd domainName batch): emails done, links RUNNING at their checkpoint; the rerun finishes as an uninterrupted run', async () => {
    const workspace = await createSeededWorkspace('Killed in the LINK step');
    const domainField = (await fieldRow(db.client, workspace.id, 'company', 'domainName'))!;
    // Batches count across steps: the email batches come first, then domainName, then linkedinLink.
    const killed = await upgrade(workspace, { WMS_FAULT_KILL_IN_BATCH: String(EMAIL_BATCHES + 3) });
    expectKilled(killed);

    const emailEntry = await ledgerRow(db.client, workspace.id, 'migrate-email-fields-to-emails');
    expect({ status: emailEntry?.status, rowsAffected: emailEntry?.rowsAffected }).toEqual({ status: 'DONE', rowsAffected: PEOPLE });
    const linkEntry = await ledgerRow(db.client, workspace.id, 'migrate-link-fields-to-links');
    expect({ status: linkEntry?.status, rowsAffected: linkEntry?.rowsAffected, checkpoint: linkEntry?.checkpoint }).toEqual({
      status: 'RUNNING',
      rowsAffected: 2 * BATCH_SIZE,
      checkpoint: { [`field:${domainField.id}`]: { lastId: companyIds[2 * BATCH_SIZE - 1] } },
    });
    expect(await movedCount(workspace.schemaName, 'company', 'domainNameSecondaryLinks')).toBe(
      companyIds.slice(0, 2 * BATCH_SIZE).filter((_, index) => domainOf(index) !== null || (index + 1) % 2 === 0).length,
    );
    const personColumns = await liveColumns(db.client, workspace.schemaName, 'person');
    expect({ email: personColumns.includes('email'), emails: personColumns.includes('emailsPrimaryEmail') }).toEqual({
      email: false,
      emails: true,
    });
    expect(await liveColumns(db.client, workspace.schemaName, 'company')).toEqual(
      expect.arrayContaining(['domainNameUrl', 'domainNameLabel', 'domainNamePrimaryLinkUrl']),
    );
    expect(await workspaceVersion(db.client, workspace.id)).toBe('0.22');

    await waitForSessionsToEnd(db.client);
    const rerun = await upgrade(workspace);
    expectSucceeded(rerun);
    expect(rerun.stdout).toMatch(/skipped\s+(0\.23\s+)?migrate-email-fields-to-emails\n\s+already done/);
    await expectSameAsReference(workspace);
  });
});
