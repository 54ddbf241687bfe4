import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Client } from 'pg';

import { createFleet, FleetWorkspace, REDIS_URL } from '../fleet/fleet.fixtures';
import { CliProcess, runCli, startCli } from '../utils/cli';
import { connectClient, createTestDatabase, TestDatabase } from '../utils/test-database';
import { LogLine, logLinesOf, parseMetrics, plainLinesOf, valueOf } from './operations.spec-support';

const EMAIL_STEP = 'migrate-email-fields-to-emails';
const PEOPLE = 1_200;

/** Walks as operators watch them: one log line per workspace, progress of long moves, and a worker's probes and metrics. */
describe('walks for operators: outcome lines, progress of long moves, a worker’s /metrics', () => {
  let cwd: string;
  let database: TestDatabase;
  let client: Client;
  let fleet: FleetWorkspace[];

  const rowsInLedger = async (workspaceId: string): Promise<number> =>
    Number(
      (
        await client.query(`SELECT coalesce(sum("rowsAffected"), 0)::int AS "rows" FROM core."upgradeLedger" WHERE "workspaceId" = $1`, [
          workspaceId,
        ])
      ).rows[0].rows,
    );

  beforeAll(async () => {
    cwd = mkdtempSync(join(tmpdir(), 'wms-operations-'));
    database = await createTestDatabase();
    client = await connectClient(database.url);
    fleet = await createFleet(database.url, 4, '0.22');
    // People with an email at 0.22: the move of 0.23 has rows to carry into emailsPrimaryEmail.
    for (const workspace of fleet) {
      await client.query(
        `INSERT INTO "${workspace.schemaName}"."person" ("email") SELECT 'p' || n || '@old.test' FROM generate_series(1, ${PEOPLE}) AS n`,
      );
    }
  });

  afterAll(async () => {
    await client?.end();
    await database?.drop();
    rmSync(cwd, { recursive: true, force: true });
  });

  it('logs each workspace of a walk as one JSON line, and the rows of a long move as it goes; the human output stays', async () => {
    const [workspace] = fleet;
    const run = await runCli(
      ['upgrade:latest', '-w', workspace.id, '--batch-size', '500'],
      {
        DATABASE_URL: database.url,
        LOG_LEVEL: 'info',
        PROGRESS_INTERVAL_MS: '0',
      },
      cwd,
    );
    expect(run.code).toBe(0);
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe('1 succeeded, 0 failed, 0 skipped');
    expect(plainLinesOf(run.stderr)).toEqual([expect.stringMatching(/^Database: PostgreSQL server at /)]);

    const lines = logLinesOf(run.stderr);
    const outcomes = lines.filter((line) => line.command !== undefined);
    expect(outcomes).toEqual([
      expect.objectContaining({
        level: 'info',
        workspaceId: workspace.id,
        command: 'upgrade',
        status: 'upgraded',
        outcome: 'succeeded',
        actions: expect.any(Number),
        rowsMoved: await rowsInLedger(workspace.id),
        durationMs: expect.any(Number),
      }),
    ]);
    expect(outcomes[0].actions as number).toBeGreaterThan(0);
    expect(outcomes[0].rowsMoved as number).toBeGreaterThanOrEqual(PEOPLE);

    // Every batch of 500 (interval 0), then the end: done/total in rows, with a rate and time left.
    const moves = lines.filter((line) => line.step === EMAIL_STEP && line.task === 'move');
    expect(moves.map((line) => [line.done, line.total, line.finished])).toEqual([
      [0, PEOPLE, false],
      [500, PEOPLE, false],
      [1000, PEOPLE, false],
      [PEOPLE, PEOPLE, false],
      [PEOPLE, PEOPLE, true],
    ]);
    for (const line of moves) {
      expect(line).toMatchObject({ workspaceId: workspace.id, version: '0.23', rowsPerSecond: expect.any(Number) });
      expect(line.msg).toMatch(new RegExp(`^${EMAIL_STEP} \\(move\\) of workspace ${workspace.id}: \\d+/${PEOPLE} rows, \\d+ rows/s, `));
    }
  });

  it('LOG_LEVEL=error: no info line, the same human output', async () => {
    const workspace = fleet[1];
    const run = await runCli(
      ['upgrade', '-w', workspace.id, '--batch-size', '500'],
      {
        DATABASE_URL: database.url,
        LOG_LEVEL: 'error',
        PROGRESS_INTERVAL_MS: '0',
      },
      cwd,
    );
    expect(run.code).toBe(0);
    expect(logLinesOf(run.stderr)).toEqual([]);
    expect(plainLinesOf(run.stderr)).toEqual([expect.stringMatching(/^Database: PostgreSQL server at /)]);
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe('1 succeeded, 0 failed, 0 skipped');
  });

  describe('a worker', () => {
    let worker: CliProcess;
    let port: number;
    const env = () => ({ DATABASE_URL: database.url, REDIS_URL, LOG_LEVEL: 'info', PROGRESS_INTERVAL_MS: '0' });

    beforeAll(async () => {
      worker = startCli(['worker', '--port', '0'], env(), cwd);
      await worker.printed('Worker ready');
      port = logLinesOf(worker.stderr()).find((line) => line.msg.startsWith('Worker ready'))!.port as number;
    });

    afterAll(async () => {
      if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGTERM');
      await worker.exited;
    });

    it('serves /healthz and /readyz (database, migrations, Redis) on its own port', async () => {
      const live = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect({ status: live.status, body: await live.json() }).toEqual({
        status: 200,
        body: { status: 'ok', info: {}, error: {}, details: {} },
      });
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect({ status: ready.status, body: await ready.json() }).toEqual({
        status: 200,
        body: expect.objectContaining({
          status: 'ok',
          details: { database: { status: 'up' }, migrations: { status: 'up' }, redis: { status: 'up' } },
        }),
      });
    });

    it('/metrics after a queued upgrade and sync: workspaces by command and outcome, step durations, rows moved, queue jobs and depth', async () => {
      const queued = fleet.slice(2);
      const selection = queued.flatMap((workspace) => ['-w', workspace.id]);
      const upgrade = await runCli(['upgrade', '--queue', ...selection], env(), cwd);
      expect(upgrade.code).toBe(0);
      // --check compares each workspace with its live schema: a job each, even when in step.
      const sync = await runCli(['workspace:sync-metadata', '--queue', '--check', ...selection], env(), cwd);
      expect(sync.code).toBe(0);

      const samples = parseMetrics(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text());
      expect(valueOf(samples, 'wms_workspaces_processed_total', { command: 'upgrade', outcome: 'succeeded' })).toBe(2);
      expect(valueOf(samples, 'wms_workspaces_processed_total', { command: 'workspace:sync-metadata', outcome: 'succeeded' })).toBe(2);
      expect(valueOf(samples, 'wms_workspace_duration_seconds_count', { command: 'upgrade' })).toBe(2);
      expect(valueOf(samples, 'wms_upgrade_step_duration_seconds_count', { version: '0.23', step: EMAIL_STEP, status: 'done' })).toBe(2);
      const ledgerRows = (await rowsInLedger(queued[0].id)) + (await rowsInLedger(queued[1].id));
      const moved = samples
        .filter((sample) => sample.name === 'wms_upgrade_rows_moved_total')
        .reduce((sum, sample) => sum + sample.value, 0);
      expect(moved).toBe(ledgerRows);
      expect(valueOf(samples, 'wms_upgrade_rows_moved_total', { version: '0.23', step: EMAIL_STEP })).toBe(2 * PEOPLE);
      expect(valueOf(samples, 'wms_queue_jobs_total', { command: 'upgrade', outcome: 'completed' })).toBe(2);
      expect(valueOf(samples, 'wms_queue_jobs_total', { command: 'workspace:sync-metadata', outcome: 'completed' })).toBe(2);
      // BullMQ's own export: the queue's depth by state, and its jobs completed.
      expect(samples.filter((sample) => sample.name === 'bullmq_job_count').map((sample) => sample.labels.state)).toEqual(
        expect.arrayContaining(['waiting', 'active', 'delayed', 'failed', 'completed']),
      );
      expect(valueOf(samples, 'bullmq_job_count', { state: 'waiting' })).toBe(0);
      expect(valueOf(samples, 'bullmq_job_completed_total')).toBe(4);

      // Its log: one line per workspace it did, and the rows of each move.
      const lines: LogLine[] = logLinesOf(worker.stderr());
      const outcomes = lines.filter((line) => line.command === 'upgrade');
      expect(outcomes.map((line) => [line.workspaceId, line.status, line.outcome]).sort()).toEqual(
        queued.map((workspace) => [workspace.id, 'upgraded', 'succeeded']).sort(),
      );
      for (const workspace of queued) {
        const last = lines.filter((line) => line.workspaceId === workspace.id && line.step === EMAIL_STEP && line.task === 'move').at(-1);
        expect(last).toMatchObject({ done: PEOPLE, total: PEOPLE, finished: true });
      }
    });
  });
});
