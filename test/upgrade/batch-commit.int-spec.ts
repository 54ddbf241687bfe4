import { randomUUID } from 'node:crypto';

import { inTransaction } from '../../src/database/transaction';
import { WorkspaceRepository } from '../../src/metadata/workspace.repository';
import { buildStandardDeclarations } from '../../src/standard-objects/standard-objects';
import { UpgradeRunner } from '../../src/upgrade/upgrade.runner';
import { WorkspaceCreationService } from '../../src/workspace/workspace-creation.service';
import { useTestDatabase } from '../utils/test-services';

/**
 * The batches of every kind of data move commit without waiting for the disk (their row locks are
 * released at once), and only they: the setting is the transaction's own and ends with it.
 */
describe('the commit of a data move batch', () => {
  const db = useTestDatabase();
  const TIMEOUTS = { lockTimeoutMs: 1_000, statementTimeoutMs: 10_000 };

  it('does not wait for the disk in a no-wait transaction, which leaves the session as it was', async () => {
    const connection = db.dataSource.createQueryRunner();
    await connection.connect();
    try {
      const setting = async (): Promise<string> => (await connection.query(`SELECT current_setting('synchronous_commit') AS s`))[0].s;
      const server = await setting();
      const inside = (flush: 'wait' | 'no-wait') =>
        inTransaction(
          connection,
          TIMEOUTS,
          async (manager) => (await manager.query(`SELECT current_setting('synchronous_commit') AS s`))[0].s,
          flush,
        );
      expect(await inside('no-wait')).toBe('off');
      expect(await setting()).toBe(server);
      expect(await inside('wait')).toBe(server);
      await expect(inTransaction(connection, TIMEOUTS, () => Promise.reject(new Error('batch failed')), 'no-wait')).rejects.toThrow(
        'batch failed',
      );
      expect(await setting()).toBe(server);
    } finally {
      await connection.release();
    }
  });

  it('refuses a no-wait transaction inside another, whose commit would stop waiting too', async () => {
    const connection = db.dataSource.createQueryRunner();
    await connection.connect();
    try {
      const nested = inTransaction(connection, TIMEOUTS, () => inTransaction(connection, TIMEOUTS, async () => 'ran', 'no-wait'));
      await expect(nested).rejects.toThrow('a no-wait batch cannot run inside another transaction');
      expect(connection.isTransactionActive).toBe(false);
    } finally {
      await connection.release();
    }
  });

  it('is so for every batch of the moves, fills and backfills of 0.22 -> 0.25', async () => {
    const { workspace } = await new WorkspaceCreationService(db.dataSource, buildStandardDeclarations()).create({
      displayName: 'Batches',
      version: '0.22',
      prefill: false,
    });
    const schema = workspace.schemaName;
    const people = Array.from({ length: 30 }, () => randomUUID());
    await db.client.query(
      `INSERT INTO "${schema}".person ("id", "nameFirstName", "email", "phone")
       SELECT id, 'P' || n, 'p' || n || '@example.com', '+33 6 12 34 56 ' || lpad(n::text, 2, '0')
         FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, n)`,
      [people],
    );
    await db.client.query(
      `INSERT INTO "${schema}".company ("name") SELECT 'C' || n FROM generate_series(1, 30) AS n;
       INSERT INTO "${schema}".opportunity ("name", "pointOfContactEmail") SELECT 'O' || n, 'p' || n || '@example.com' FROM generate_series(1, 30) AS n;
       INSERT INTO "${schema}".note ("title", "body") SELECT 'N' || n, 'Body ' || n FROM generate_series(1, 30) AS n;`,
    );
    // Every write of the ledger records how its transaction commits, and what it changed.
    await db.client.query(`CREATE TABLE public.ledger_audit ("change" text, "setting" text)`);
    await db.client.query(
      `CREATE FUNCTION public.audit_ledger() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         INSERT INTO public.ledger_audit VALUES (
           CASE WHEN NEW."status" IS DISTINCT FROM OLD."status" THEN 'status'
                WHEN jsonb_path_exists(NEW."log", '$[*].note') AND NOT jsonb_path_exists(OLD."log", '$[*].note') THEN 'notes apart'
                WHEN NEW."log" IS DISTINCT FROM OLD."log" THEN 'log'
                WHEN NEW."rowsAffected" > OLD."rowsAffected" AND NEW."checkpoint" IS DISTINCT FROM OLD."checkpoint" THEN 'batch'
                WHEN NEW."rowsAffected" > OLD."rowsAffected" THEN 'rows'
                ELSE 'checkpoint' END,
           current_setting('synchronous_commit'));
         RETURN NULL;
       END $$`,
    );
    await db.client.query(
      `CREATE TRIGGER "audit" AFTER UPDATE ON core."upgradeLedger" FOR EACH ROW EXECUTE FUNCTION public.audit_ledger()`,
    );
    const [{ server }] = (await db.client.query(`SELECT current_setting('synchronous_commit') AS "server"`)).rows;
    const seen: Array<{ key: string; setting: string }> = [];
    const runner = new UpgradeRunner(db.dataSource);
    for (const version of ['0.23', '0.24', '0.25']) {
      const current = (await new WorkspaceRepository(db.dataSource.manager).findById(workspace.id))!;
      const outcome = await runner.upgrade(current, version, {
        batchSize: 10,
        beforeBatchCommit: async (key, _batch, manager) => {
          const [{ s }] = await manager.query(`SELECT current_setting('synchronous_commit') AS s`);
          seen.push({ key, setting: s });
        },
      });
      expect(outcome.status).toBe('upgraded');
    }
    const fields = await db.client.query(`SELECT "id"::text AS id, "name" FROM metadata."fieldMetadata" WHERE "workspaceId" = $1`, [
      workspace.id,
    ]);
    const nameOf = new Map(fields.rows.map((row: { id: string; name: string }) => [`field:${row.id}`, row.name]));
    // Keyset moves (0.23's emails and links), converted moves (0.25's phones and note bodies), search fills, the point-of-contact backfill.
    expect([...new Set(seen.map((batch) => nameOf.get(batch.key) ?? batch.key))].sort()).toEqual([
      'backfill',
      'bodyV2',
      'company.searchVector',
      'domainName',
      'emails',
      'linkedinLink',
      'opportunity.searchVector',
      'phones',
    ]);
    expect(seen.length).toBeGreaterThan(15);
    expect(seen.filter((batch) => batch.setting !== 'off')).toEqual([]);
    // The ledger: a write adding rows with a checkpoint is a batch's; a step's start, finish, log and
    // the rows a view step counts wait for the disk. A step's notes come with its DONE, in one write.
    const audited = (await db.client.query(`SELECT DISTINCT "change", "setting" FROM public.ledger_audit WHERE "change" <> 'checkpoint'`))
      .rows;
    expect(audited.map((row: { change: string; setting: string }) => `${row.change}: ${row.setting}`).sort()).toEqual(
      ['batch: off', `log: ${server}`, `rows: ${server}`, `status: ${server}`].sort(),
    );
    await db.client.query(`DROP TRIGGER "audit" ON core."upgradeLedger"`);
  });
});
