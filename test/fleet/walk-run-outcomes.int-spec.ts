import { randomUUID } from 'node:crypto';

import { OUTCOMES_PER_STATEMENT, WalkRunRepository, WorkspaceOutcomeRow } from '../../src/workspace/walk-run.repository';
import { useTestDatabase } from '../utils/test-services';

/**
 * The outcomes of a fast stretch of a walk (a no-op walk settles thousands of workspaces between
 * two writes) are written a few hundred per statement: one statement parsing ten thousand of them
 * took a server process to 30 MB of private memory, kept for the rest of its session.
 */
describe('recording the outcomes of a walk', () => {
  const db = useTestDatabase();

  it('writes every outcome, at most OUTCOMES_PER_STATEMENT per statement, each with the run progress', async () => {
    const ids = Array.from({ length: 2 * OUTCOMES_PER_STATEMENT + 7 }, () => randomUUID());
    await db.client.query(
      `INSERT INTO core.workspace ("id", "displayName", "schemaName", "version")
       SELECT id, 'outcomes ' || n, 'workspace_outcomes' || n, '0.25' FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, n)`,
      [ids],
    );
    const statements: string[] = [];
    const manager = db.dataSource.createEntityManager();
    const query = manager.query.bind(manager);
    manager.query = ((sql: string, parameters?: unknown[]) => {
      statements.push(sql);
      return query(sql, parameters);
    }) as typeof manager.query;
    const repository = new WalkRunRepository(manager);
    const runId = await repository.insert({ command: 'workspace:sync-metadata', queued: false, dryRun: false, host: 'test', pid: 1 });
    const finishedAt = new Date('2026-01-01T00:00:00Z');
    const outcomes: WorkspaceOutcomeRow[] = ids.map((workspaceId) => ({
      workspaceId,
      command: 'workspace:sync-metadata',
      outcome: 'succeeded',
      status: 'up-to-date',
      message: null,
      finishedAt,
    }));
    statements.length = 0;
    await repository.write(
      runId,
      { total: ids.length, succeeded: ids.length, failed: 0, skipped: 0, status: 'DONE', error: null },
      outcomes,
    );

    expect(statements).toHaveLength(3);
    const { rows } = await db.client.query(
      `SELECT count(*)::int AS "count", count(DISTINCT "runId")::int AS "runs" FROM core."workspaceOutcome" WHERE "workspaceId" = ANY($1::uuid[])`,
      [ids],
    );
    expect(rows[0]).toEqual({ count: ids.length, runs: 1 });
    const [run] = (await db.client.query(`SELECT "status", "succeeded", "total" FROM core."walkRun" WHERE "id" = $1`, [runId])).rows;
    expect(run).toEqual({ status: 'DONE', succeeded: ids.length, total: ids.length });
  });
});
