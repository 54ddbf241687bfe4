import { reportsConnectionLoss } from '../../src/database/connection-loss';
import { WorkspaceRepository, WorkspaceRow } from '../../src/metadata/workspace.repository';
import { buildStandardDeclarations } from '../../src/standard-objects/standard-objects';
import { CURRENT_VERSION } from '../../src/standard-objects/version-snapshots';
import { UpgradeRunner } from '../../src/upgrade/upgrade.runner';
import { WorkspaceCreationService } from '../../src/workspace/workspace-creation.service';
import { useTestDatabase } from '../utils/test-services';
import { workspaceVersion } from './upgrade-0-23.fixtures';

/**
 * upgrade:latest runs every pending version under one hold of the workspace's lock: one lock, one
 * read of the workspace and of its ledger, one pre-flight; nothing else takes the workspace between
 * two versions; a run cut off part-way says which version it reached, and a rerun finishes.
 */
describe('upgrade:latest from 0.22', () => {
  const db = useTestDatabase();
  const declared = buildStandardDeclarations();

  const createAt022 = async (displayName: string): Promise<WorkspaceRow> => {
    const { workspace } = await new WorkspaceCreationService(db.dataSource, declared).create({
      displayName,
      version: '0.22',
      prefill: false,
    });
    await db.client.query(
      `INSERT INTO "${workspace.schemaName}".person ("nameFirstName", "email", "phone")
       SELECT 'Person ' || n, 'person' || n || '@example.com', '+33 1 23 45 67 ' || lpad(n::text, 2, '0') FROM generate_series(1, 12) AS n`,
    );
    return workspace;
  };

  /** The runner's server process: the one holding a session advisory lock, other than the test's. */
  const runnerPid = async (): Promise<number | null> =>
    (
      await db.client.query(
        `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid <> pg_backend_pid() AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      )
    ).rows[0]?.pid ?? null;

  it('takes the lock once, reads the workspace and its ledger once, and holds the lock between versions', async () => {
    const workspace = await createAt022('One hold');
    const sent: string[] = [];
    // Every query sent through a query runner of the data source.
    const createQueryRunner = db.dataSource.createQueryRunner.bind(db.dataSource);
    const counting = jest.spyOn(db.dataSource, 'createQueryRunner').mockImplementation((mode) => {
      const runner = createQueryRunner(mode);
      const query = runner.query.bind(runner);
      runner.query = ((sql: string, ...rest: unknown[]) => {
        sent.push(sql);
        return (query as (...args: unknown[]) => Promise<unknown>)(sql, ...rest);
      }) as typeof runner.query;
      return runner;
    });
    // At each batch, whoever holds the workspace's lock, and the version the workspace is at.
    const holders: Array<{ version: string | null; pid: number | null }> = [];
    try {
      const outcome = await new UpgradeRunner(db.dataSource).upgradeToLatest(workspace, {
        batchSize: 5,
        onBatch: async () => {
          holders.push({ version: await workspaceVersion(db.client, workspace.id), pid: await runnerPid() });
        },
      });
      expect({ status: outcome.status, message: outcome.message, version: outcome.version }).toEqual({
        status: 'upgraded',
        message: null,
        version: CURRENT_VERSION,
      });
    } finally {
      counting.mockRestore();
    }
    const count = (pattern: RegExp): number => sent.filter((sql) => pattern.test(sql)).length;
    expect({
      sessionLocks: count(/pg_try_advisory_lock\(/),
      unlocks: count(/pg_advisory_unlock\(/),
      workspaceReads: count(/FROM core\.workspace WHERE "id" = ANY/),
      ledgerReads: count(/FROM core\."upgradeLedger" WHERE "workspaceId" = \$1 ORDER BY/),
      versionsRecorded: count(/UPDATE core\.workspace SET "version"/),
    }).toEqual({ sessionLocks: 1, unlocks: 1, workspaceReads: 1, ledgerReads: 1, versionsRecorded: 3 });
    // Batches ran in more than one version, all under the same server process's lock.
    expect(new Set(holders.map((holder) => holder.version)).size).toBeGreaterThan(1);
    expect(new Set(holders.map((holder) => holder.pid)).size).toBe(1);
    expect(holders[0].pid).not.toBeNull();
  });

  it('is skipped, with nothing written, while another runner holds the workspace', async () => {
    const workspace = await createAt022('Held');
    await db.client.query(`SELECT pg_advisory_lock(hashtext('workspace'), hashtext($1))`, [workspace.id]);
    try {
      const outcome = await new UpgradeRunner(db.dataSource).upgradeToLatest(workspace);
      expect({ status: outcome.status, message: outcome.message, version: outcome.version, steps: outcome.steps }).toEqual({
        status: 'skipped',
        message: 'skipped: locked by another runner',
        version: '0.22',
        steps: [],
      });
    } finally {
      await db.client.query(`SELECT pg_advisory_unlock(hashtext('workspace'), hashtext($1))`, [workspace.id]);
    }
    expect(await workspaceVersion(db.client, workspace.id)).toBe('0.22');
    expect(
      (await db.client.query(`SELECT count(*)::int AS n FROM core."upgradeLedger" WHERE "workspaceId" = $1`, [workspace.id])).rows[0].n,
    ).toBe(0);
  });

  it('says which version it reached when its connection is lost in a later version, and a rerun finishes', async () => {
    const workspace = await createAt022('Cut off');
    let cutAt: string | null = null;
    const outcome = await new UpgradeRunner(db.dataSource).upgradeToLatest(workspace, {
      batchSize: 5,
      onBatch: async () => {
        const version = await workspaceVersion(db.client, workspace.id);
        if (cutAt !== null || version === '0.22') return;
        cutAt = version;
        await db.client.query('SELECT pg_terminate_backend($1)', [await runnerPid()]);
      },
    });
    expect(cutAt).not.toBeNull();
    expect(outcome.status).toBe('failed');
    expect(reportsConnectionLoss(outcome.message)).toBe(true);
    expect(outcome.version).toBe(cutAt);
    expect(await workspaceVersion(db.client, workspace.id)).toBe(cutAt);
    expect(outcome.steps.filter((step) => step.status === 'done').map((step) => step.version)).toContain('0.23');

    const rerun = await new UpgradeRunner(db.dataSource).upgradeToLatest(
      (await new WorkspaceRepository(db.dataSource.manager).findById(workspace.id))!,
    );
    expect({ status: rerun.status, message: rerun.message, version: rerun.version }).toEqual({
      status: 'upgraded',
      message: null,
      version: CURRENT_VERSION,
    });
    expect(await workspaceVersion(db.client, workspace.id)).toBe(CURRENT_VERSION);
  });
});
