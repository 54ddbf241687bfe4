import { buildStandardDeclarations } from '../../src/standard-objects/standard-objects';
import { WorkspaceCreationService } from '../../src/workspace/workspace-creation.service';
import { WorkspaceRow } from '../../src/metadata/workspace.repository';
import { v1 } from '../fixtures/declarations/v1';
import { insertRowsWithEveryColumn } from '../utils/every-column-rows';
import { tableData } from '../utils/schema-snapshot';
import { useTestDatabase } from '../utils/test-services';
import { endState, integrityProblems, recordsWithoutIds } from './support/end-state';
import { FixtureCli, ProcessResult, runProductCli, waitForServiceSessionsToEnd } from './support/processes';
import { TcpProxy } from './support/tcp-proxy';

/**
 * The server ends every connection of the service in the middle of a fleet run
 * (pg_terminate_backend, as a restart or a failover does). The run pauses at a fault point and
 * prints a marker; the test terminates the backends, then lets it go on. The workspaces whose work
 * was in flight are reported failed with the reason, the run exits 1, nothing is half-applied,
 * and a rerun completes them.
 */

const LOST = /database connection lost \(.+\); nothing of the work in progress was kept half-done; run the command again to finish it/;

interface JsonResult {
  id: string;
  status: string;
  message: string | null;
}

/**
 * The scenarios of terminated backends run without retries (a terminated backend is retried at
 * once and succeeds): they prove the failure path, what a longer outage than the bound ends in.
 */
const NO_RETRY = '0';

/** Guards against a hang only: these hooks start many processes, and the machine may be busy. */
const HOOK_TIMEOUT = 600_000;

describe('database connections terminated in the middle of a fleet run', () => {
  const db = useTestDatabase(2);
  let fixtureCli: FixtureCli;
  const standard = buildStandardDeclarations();

  beforeAll(async () => {
    fixtureCli = FixtureCli.build();
  });

  afterAll(async () => {
    fixtureCli?.remove();
  });

  /** When the run says it paused: terminate every backend of the service, then let the run go on. */
  const terminateWhenPaused = (terminated: number[]) => async (line: string, stdin: NodeJS.WritableStream) => {
    if (!line.startsWith('wms-fault: paused')) return;
    const { rows } = await db.client.query(
      `SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'workspace-metadata-sync'`,
    );
    terminated.push(rows.filter((row) => row.done).length);
    stdin.write('\n');
  };

  const resultsOf = (result: ProcessResult): JsonResult[] => JSON.parse(result.stdout).workspaces;

  const createAt022 = async (count: number, prefix: string): Promise<WorkspaceRow[]> => {
    const creation = new WorkspaceCreationService(db.dataSource, standard);
    const workspaces: WorkspaceRow[] = [];
    for (let index = 0; index < count; index += 1) {
      workspaces.push((await creation.create({ displayName: `${prefix} ${index}`, version: '0.22' })).workspace);
    }
    return workspaces.sort((a, b) => (a.id < b.id ? -1 : 1));
  };

  const expectUpgradedLikeReference = async (workspaces: WorkspaceRow[], reference: WorkspaceRow): Promise<void> => {
    const referenceState = await endState(db.client, reference.id, reference.schemaName);
    const expected = {
      metadata: referenceState.metadata,
      catalog: referenceState.catalog,
      views: referenceState.views,
      records: await recordsWithoutIds(db.client, reference.schemaName),
    };
    for (const workspace of workspaces) {
      const state = await endState(db.client, workspace.id, workspace.schemaName);
      expect({
        id: workspace.id,
        metadata: state.metadata,
        catalog: state.catalog,
        views: state.views,
        records: await recordsWithoutIds(db.client, workspace.schemaName),
      }).toEqual({
        id: workspace.id,
        ...expected,
      });
      expect(await integrityProblems(db.client, db.dataSource, workspace.id, workspace.schemaName)).toEqual([]);
    }
  };

  describe('upgrade-0.23, stopping at the first failure', () => {
    let workspaces: WorkspaceRow[];
    let reference: WorkspaceRow;
    let run: ProcessResult;
    const terminated: number[] = [];

    beforeAll(async () => {
      workspaces = await createAt022(4, 'Stop');
      [reference] = await createAt022(1, 'Reference');
      expect(
        (await runProductCli(['upgrade-0.23', '-w', reference.id, '--batch-size', '2'], { env: { DATABASE_URL: db.database.url } })).code,
      ).toBe(0);
      // 5 people and 5 companies, batches of 2: 3 email, 3 domainName, 3 linkedinLink batches per workspace.
      // Batch 14 is the 2nd domainName batch of the 2nd workspace.
      run = await runProductCli(
        ['upgrade-0.23', ...workspaces.flatMap((workspace) => ['-w', workspace.id]), '--batch-size', '2', '--json'],
        {
          env: { DATABASE_URL: db.database.url, DATABASE_RETRY_MS: NO_RETRY, WMS_FAULT_PAUSE_IN_BATCH: '14' },
          onStderrLine: terminateWhenPaused(terminated),
        },
      );
    }, HOOK_TIMEOUT);

    it('reports the workspace in flight as failed because the connection was lost, and exits 1', () => {
      expect(terminated).toHaveLength(1);
      expect(terminated[0]).toBeGreaterThanOrEqual(1);
      expect({ code: run.code, signal: run.signal }).toEqual({ code: 1, signal: null });
      const results = resultsOf(run);
      expect(results.map((result) => [result.id, result.status])).toEqual([
        [workspaces[0].id, 'upgraded'],
        [workspaces[1].id, 'failed'],
      ]);
      expect(results[1].message).toMatch(/^step migrate-link-fields-to-links failed: /);
      expect(results[1].message).toMatch(LOST);
      expect(JSON.parse(run.stdout)).toEqual(expect.objectContaining({ stoppedEarly: true, notReached: 2 }));
    });

    it('left the failed workspace at 0.22 with its step RUNNING at the last committed batch, nothing half-applied', async () => {
      const { rows } = await db.client.query(`SELECT "version" FROM core.workspace WHERE "id" = $1`, [workspaces[1].id]);
      expect(rows[0].version).toBe('0.22');
      const ledger = await db.client.query(
        `SELECT "step", "status", "rowsAffected"::int AS "rowsAffected" FROM core."upgradeLedger" WHERE "workspaceId" = $1 ORDER BY "step"`,
        [workspaces[1].id],
      );
      expect(ledger.rows).toEqual([
        { step: 'migrate-email-fields-to-emails', status: 'DONE', rowsAffected: 5 },
        // The first domainName batch committed with its checkpoint; the second was rolled back by the server.
        { step: 'migrate-link-fields-to-links', status: 'RUNNING', rowsAffected: 2 },
      ]);
    });

    it('a rerun completes every workspace, each like one upgraded without a fault', async () => {
      await waitForServiceSessionsToEnd(db.client);
      const rerun = await runProductCli(['upgrade-0.23', ...workspaces.flatMap((workspace) => ['-w', workspace.id]), '--batch-size', '2'], {
        env: { DATABASE_URL: db.database.url },
      });
      expect({ code: rerun.code, last: rerun.stdout.trimEnd().split('\n').at(-1) }).toEqual({
        code: 0,
        last: '4 succeeded, 0 failed, 0 skipped',
      });
      await expectUpgradedLikeReference(workspaces, reference);
    });
  });

  describe('upgrade-0.23 with --continue-on-error and --concurrency 2', () => {
    let workspaces: WorkspaceRow[];
    let reference: WorkspaceRow;
    let run: ProcessResult;
    const terminated: number[] = [];

    beforeAll(async () => {
      workspaces = await createAt022(6, 'Go on');
      [reference] = await createAt022(1, 'Reference 2');
      expect(
        (await runProductCli(['upgrade-0.23', '-w', reference.id, '--batch-size', '2'], { env: { DATABASE_URL: db.database.url } })).code,
      ).toBe(0);
      run = await runProductCli(
        [
          'upgrade-0.23',
          ...workspaces.flatMap((workspace) => ['-w', workspace.id]),
          '--batch-size',
          '2',
          '--concurrency',
          '2',
          '--continue-on-error',
          '--json',
        ],
        {
          env: { DATABASE_URL: db.database.url, DATABASE_RETRY_MS: NO_RETRY, WMS_FAULT_PAUSE_IN_BATCH: '20' },
          onStderrLine: terminateWhenPaused(terminated),
        },
      );
    }, HOOK_TIMEOUT);

    it('reports the workspaces in flight as failed with the reason, goes on with the others, exits 1', () => {
      expect(terminated).toHaveLength(1);
      expect(run.code).toBe(1);
      const results = resultsOf(run);
      expect(results.map((result) => result.id).sort()).toEqual(workspaces.map((workspace) => workspace.id));
      const failed = results.filter((result) => result.status === 'failed');
      expect(failed.length).toBeGreaterThanOrEqual(1);
      expect(failed.length).toBeLessThanOrEqual(2);
      for (const result of failed) expect(result.message).toMatch(LOST);
      expect(results.filter((result) => result.status !== 'failed').map((result) => result.status)).toEqual(
        Array(6 - failed.length).fill('upgraded'),
      );
    });

    it('a rerun completes them', async () => {
      await waitForServiceSessionsToEnd(db.client);
      const rerun = await runProductCli(
        ['upgrade-0.23', ...workspaces.flatMap((workspace) => ['-w', workspace.id]), '--concurrency', '2'],
        { env: { DATABASE_URL: db.database.url } },
      );
      expect({ code: rerun.code, last: rerun.stdout.trimEnd().split('\n').at(-1) }).toEqual({
        code: 0,
        last: '6 succeeded, 0 failed, 0 skipped',
      });
      await expectUpgradedLikeReference(workspaces, reference);
    });
  });

  describe('workspace:sync-metadata v1 -> v2, terminated in the middle of a workspace transaction', () => {
    let workspaces: WorkspaceRow[];
    let before: Awaited<ReturnType<typeof tableData>>;
    let run: ProcessResult;
    let statementsPerWorkspace: number;
    const terminated: number[] = [];

    beforeAll(async () => {
      const creation = new WorkspaceCreationService(db.dataSource, v1);
      workspaces = [];
      for (let index = 0; index < 3; index += 1) {
        const { workspace } = await creation.createFrom(v1, { displayName: `Sync ${index}` });
        await insertRowsWithEveryColumn(db.client, workspace.schemaName, 'person', 10, 1);
        workspaces.push(workspace);
      }
      workspaces.sort((a, b) => (a.id < b.id ? -1 : 1));
      const dryRun = await fixtureCli.run('v2', ['workspace:sync-metadata', '-w', workspaces[0].id, '--dry-run', '-v'], {
        env: { DATABASE_URL: db.database.url },
      });
      expect(dryRun.code).toBe(0);
      statementsPerWorkspace = countStatements(dryRun.stdout);
      expect(statementsPerWorkspace).toBeGreaterThan(10);
      before = await tableData(db.client, workspaces[1].schemaName);
      run = await fixtureCli.run(
        'v2',
        ['workspace:sync-metadata', ...workspaces.flatMap((workspace) => ['-w', workspace.id]), '--continue-on-error', '--json'],
        {
          env: {
            DATABASE_URL: db.database.url,
            DATABASE_RETRY_MS: NO_RETRY,
            WMS_FAULT_PAUSE_AT_STATEMENT: String(statementsPerWorkspace + Math.ceil(statementsPerWorkspace / 2)),
          },
          onStderrLine: terminateWhenPaused(terminated),
        },
      );
    }, HOOK_TIMEOUT);

    it('reports the second workspace failed because the connection was lost; the others applied; exit 1', () => {
      expect(terminated).toHaveLength(1);
      expect(run.code).toBe(1);
      const results = resultsOf(run);
      expect(results.map((result) => [result.id, result.status])).toEqual([
        [workspaces[0].id, 'applied'],
        [workspaces[1].id, 'failed'],
        [workspaces[2].id, 'applied'],
      ]);
      expect(results[1].message).toMatch(LOST);
    });

    it('left the failed workspace exactly as it was (one transaction), and a rerun applies it', async () => {
      expect(await tableData(db.client, workspaces[1].schemaName)).toEqual(before);
      await waitForServiceSessionsToEnd(db.client);
      const rerun = await fixtureCli.run('v2', ['workspace:sync-metadata', ...workspaces.flatMap((workspace) => ['-w', workspace.id])], {
        env: { DATABASE_URL: db.database.url },
      });
      expect({ code: rerun.code, last: rerun.stdout.trimEnd().split('\n').at(-1) }).toEqual({
        code: 0,
        last: '3 succeeded, 0 failed, 0 skipped',
      });
      expect(rerun.stdout).toContain(`${workspaces[1].id} (${workspaces[1].schemaName}): applied`);
      for (const workspace of workspaces)
        expect(await integrityProblems(db.client, db.dataSource, workspace.id, workspace.schemaName)).toEqual([]);
    });
  });

  describe('PostgreSQL restarting in the middle of a fleet upgrade (a proxy between the CLI and the server)', () => {
    let proxy: TcpProxy;

    beforeAll(async () => {
      const server = new URL(db.database.url);
      proxy = await TcpProxy.start({ host: server.hostname, port: Number(server.port || 5432) });
    });

    afterAll(async () => {
      await proxy?.close();
    });

    /** At the pause: every connection cut; back after `refusals` attempts refused, or never (null). */
    const restartWhenPaused = (refusals: number | null) => async (line: string, stdin: NodeJS.WritableStream) => {
      if (!line.startsWith('wms-fault: paused')) return;
      proxy.down((count) => {
        if (refusals !== null && count >= refusals) proxy.restore();
      });
      stdin.write('\n');
    };

    const upgradeThroughProxy = (workspaces: WorkspaceRow[], env: Record<string, string>, refusals: number | null) =>
      runProductCli(
        [
          'upgrade-0.23',
          ...workspaces.flatMap((workspace) => ['-w', workspace.id]),
          '--batch-size',
          '2',
          '--concurrency',
          '2',
          '--continue-on-error',
          '--json',
        ],
        {
          env: { DATABASE_URL: proxy.urlFor(db.database.url), WMS_FAULT_PAUSE_IN_BATCH: '14', ...env },
          onStderrLine: restartWhenPaused(refusals),
        },
      );

    it(
      'a restart shorter than DATABASE_RETRY_MS costs no workspace: each is retried and ends upgraded, exit 0',
      async () => {
        const workspaces = await createAt022(6, 'Restart');
        const [reference] = await createAt022(1, 'Reference 3');
        expect(
          (await runProductCli(['upgrade-0.23', '-w', reference.id, '--batch-size', '2'], { env: { DATABASE_URL: db.database.url } })).code,
        ).toBe(0);
        // Back once it has refused 3 connections: the retries of the workspaces in flight and of those after them.
        const run = await upgradeThroughProxy(workspaces, { DATABASE_RETRY_MS: '120000' }, 3);
        expect(proxy.refused).toBeGreaterThanOrEqual(3);
        // One line when the database is lost and one when it is back, not one per attempt.
        const said = run.stderr
          .split('\n')
          .filter((line) => line.includes('database unreachable') || line.includes('database reachable again'));
        expect(said[0]).toMatch(/database unreachable \(.+\), retrying for up to 120 s \(DATABASE_RETRY_MS\)$/);
        expect(said.at(-1)).toMatch(/database reachable again$/);
        expect(said.length).toBeLessThan(proxy.refused + 2);
        expect({
          code: run.code,
          results: resultsOf(run)
            .map((result) => [result.id, result.status])
            .sort(),
        }).toEqual({
          code: 0,
          results: workspaces.map((workspace) => [workspace.id, 'upgraded']).sort(),
        });
        await waitForServiceSessionsToEnd(db.client);
        await expectUpgradedLikeReference(workspaces, reference);
      },
      HOOK_TIMEOUT,
    );

    it(
      'an outage longer than DATABASE_RETRY_MS fails the workspaces clearly, exit 1; a rerun completes them',
      async () => {
        const workspaces = await createAt022(4, 'Outage');
        const [reference] = await createAt022(1, 'Reference 4');
        expect(
          (await runProductCli(['upgrade-0.23', '-w', reference.id, '--batch-size', '2'], { env: { DATABASE_URL: db.database.url } })).code,
        ).toBe(0);
        const run = await upgradeThroughProxy(workspaces, { DATABASE_RETRY_MS: '1000' }, null);
        proxy.restore();
        expect(run.code).toBe(1);
        const results = resultsOf(run);
        expect(results.map((result) => result.id).sort()).toEqual(workspaces.map((workspace) => workspace.id));
        const failed = results.filter((result) => result.status === 'failed');
        // The workspaces in flight at the cut, and every one after them.
        expect(failed.length).toBeGreaterThanOrEqual(2);
        for (const result of failed) expect(result.message).toMatch(LOST);
        expect(results.filter((result) => result.status !== 'failed').map((result) => result.status)).toEqual(
          Array(4 - failed.length).fill('upgraded'),
        );

        await waitForServiceSessionsToEnd(db.client);
        const rerun = await runProductCli(['upgrade-0.23', ...workspaces.flatMap((workspace) => ['-w', workspace.id])], {
          env: { DATABASE_URL: db.database.url },
        });
        expect({ code: rerun.code, last: rerun.stdout.trimEnd().split('\n').at(-1) }).toEqual({
          code: 0,
          last: '4 succeeded, 0 failed, 0 skipped',
        });
        await expectUpgradedLikeReference(workspaces, reference);
      },
      HOOK_TIMEOUT,
    );
  });
});

/** Statements of a plan printed with --dry-run -v: one SQL line per statement, indented under its action. */
const countStatements = (stdout: string): number => stdout.split('\n').filter((line) => /^ {6}\S/.test(line)).length;
