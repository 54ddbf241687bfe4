import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Queue, QueueEvents } from 'bullmq';
import { Client } from 'pg';

import { QUEUE_PREFIX } from '../../src/workspace/workspace-queue';
import { CliProcess, runCli, startCli } from '../utils/cli';
import { connectClient, createTestDatabase, TestDatabase } from '../utils/test-database';
import { cityOf, createFleet, FleetWorkspace, linesPerWorkspace, queueOf, REDIS_URL, takeCityAway } from './fleet.fixtures';

const SYNC = 'workspace:sync-metadata';

describe('queue mode: workspace:sync-metadata --queue and worker', () => {
  let cwd: string;
  let database: TestDatabase;
  let client: Client;
  let env: Record<string, string>;
  let queue: Queue;
  let fleet: FleetWorkspace[];
  const workers: CliProcess[] = [];

  /** A worker process; stopped (SIGTERM) at the end of the file if still running. */
  const startWorker = (extraEnv: Record<string, string> = {}, args: string[] = []): CliProcess => {
    const worker = startCli(['worker', '--concurrency', '2', '--lock-duration', '2000', ...args], { ...env, ...extraEnv }, cwd);
    workers.push(worker);
    return worker;
  };

  const stopWorker = async (worker: CliProcess) => {
    if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGTERM');
    return worker.exited;
  };

  beforeAll(async () => {
    cwd = mkdtempSync(join(tmpdir(), 'wms-queue-'));
    database = await createTestDatabase();
    client = await connectClient(database.url);
    env = { DATABASE_URL: database.url, REDIS_URL };
    queue = queueOf(database.url);
    fleet = await createFleet(database.url, 50);
  });

  afterAll(async () => {
    await Promise.all(workers.map(stopWorker));
    await queue.obliterate({ force: true });
    await queue.close();
    await client.end();
    await database.drop();
    rmSync(cwd, { recursive: true, force: true });
  });

  const expectQueueEmpty = async () => {
    expect(await queue.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized')).toEqual({
      waiting: 0,
      active: 0,
      delayed: 0,
      completed: 0,
      failed: 0,
      prioritized: 0,
    });
  };

  it('2 workers and the producer sync 50 workspaces, each exactly once; a failing workspace fails the run; the rerun succeeds', async () => {
    await takeCityAway(client, fleet);
    // One workspace drifted: its table lost a column its metadata still lists, so its sync is refused.
    const drifted = fleet[17];
    await client.query(`ALTER TABLE "${drifted.schemaName}"."person" RENAME COLUMN "jobTitle" TO "jobTitleMoved"`);
    const first = startWorker();
    const second = startWorker();

    const run = await runCli([SYNC, '--queue', '--continue-on-error'], env, cwd);
    expect(run.code).toBe(1);
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe('49 succeeded, 1 failed, 0 skipped');
    expect(run.stdout).toContain(`✖ ${drifted.id} (${drifted.schemaName}): failed: metadata and tables have drifted apart`);
    const synced = fleet.filter((workspace) => workspace !== drifted);
    const reported = linesPerWorkspace([run.stdout], '✔');
    expect(synced.map((workspace) => reported.get(workspace.id))).toEqual(synced.map(() => 1));

    // Each workspace was applied by exactly one worker, once.
    const applied = linesPerWorkspace([first.stdout(), second.stdout()], '✔');
    expect([...applied.keys()].sort()).toEqual(synced.map((workspace) => workspace.id));
    expect([...applied.values()].every((count) => count === 1)).toBe(true);
    expect(linesPerWorkspace([first.stdout(), second.stdout()], '✖').get(drifted.id)).toBe(1);
    // Both workers took jobs.
    expect(linesPerWorkspace([first.stdout()], '✔').size).toBeGreaterThan(0);
    expect(linesPerWorkspace([second.stdout()], '✔').size).toBeGreaterThan(0);

    expect(await cityOf(client, synced)).toEqual(synced.map((workspace) => ({ id: workspace.id, rows: 1, column: true })));
    expect(await cityOf(client, [drifted])).toEqual([{ id: drifted.id, rows: 0, column: false }]);
    await expectQueueEmpty();

    await client.query(`ALTER TABLE "${drifted.schemaName}"."person" RENAME COLUMN "jobTitleMoved" TO "jobTitle"`);
    const rerun = await runCli([SYNC, '--queue'], env, cwd);
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toContain(`✔ ${drifted.id} (${drifted.schemaName}): applied`);
    expect(rerun.stdout.match(/: up to date$/gm)).toHaveLength(49);
    expect(rerun.stdout.trimEnd().split('\n').at(-1)).toBe('50 succeeded, 0 failed, 0 skipped');
    expect(await cityOf(client, [drifted])).toEqual([{ id: drifted.id, rows: 1, column: true }]);
    // The 49 in sync were recognised by their fingerprint: no job was queued for them.
    expect(linesPerWorkspace([first.stdout(), second.stdout()], '✔').size).toBe(50);
    await expectQueueEmpty();

    await Promise.all([stopWorker(first), stopWorker(second)]);
    expect((await first.exited).code).toBe(0);
    expect((await second.exited).code).toBe(0);
  });

  it('a workspace locked by another runner is retried with backoff, then reported as skipped', async () => {
    const [locked, free] = fleet.slice(0, 2);
    await takeCityAway(client, [locked, free]);
    await client.query(`SELECT pg_advisory_lock(hashtext('workspace'), hashtext($1))`, [locked.id]);
    // The worker logs each failed attempt as a warning.
    const worker = startWorker({ LOG_LEVEL: 'warn' });
    try {
      const run = await runCli([SYNC, '--queue', '--continue-on-error', '-w', locked.id, '-w', free.id], env, cwd);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain(`- ${locked.id} (${locked.schemaName}): skipped: locked by another runner`);
      expect(run.stdout).toContain(`✔ ${free.id} (${free.schemaName}): applied`);
      expect(run.stdout.trimEnd().split('\n').at(-1)).toBe('1 succeeded, 0 failed, 1 skipped');
      // Three attempts in all: two retried, the last one reported.
      expect(
        worker
          .stderr()
          .match(
            new RegExp(`workspace ${locked.id} \\(run [0-9a-f-]+\\), attempt \\d: skipped: locked by another runner; will retry`, 'g'),
          ),
      ).toHaveLength(2);
      expect(await cityOf(client, [locked])).toEqual([{ id: locked.id, rows: 0, column: false }]);
    } finally {
      await client.query(`SELECT pg_advisory_unlock(hashtext('workspace'), hashtext($1))`, [locked.id]);
    }
    const rerun = await runCli([SYNC, '--queue', '-w', locked.id], env, cwd);
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toContain(`✔ ${locked.id} (${locked.schemaName}): applied`);
    expect(await cityOf(client, [locked])).toEqual([{ id: locked.id, rows: 1, column: true }]);
    await expectQueueEmpty();
    await stopWorker(worker);
  });

  it('a worker killed in the middle of a job leaves the workspace to another worker, which completes it', async () => {
    const some = fleet.slice(0, 10);
    await takeCityAway(client, some);
    // This worker dies (SIGKILL) at the first statement it applies, inside the workspace's transaction.
    const doomed = startWorker({ WMS_FAULT_KILL_AT_STATEMENT: '1' }, ['--concurrency', '1']);
    const producer = startCli([SYNC, '--queue', '--continue-on-error', '--workspace-count-limit', '10'], env, cwd);
    expect(await doomed.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(linesPerWorkspace([doomed.stdout()], '✔').size).toBe(0);

    const survivor = startWorker();
    try {
      const { code } = await producer.exited;
      // The output comes with the exit code: a failure says which workspace and why.
      expect({
        code,
        output: producer
          .stdout()
          .trimEnd()
          .split('\n')
          .filter((line) => !line.startsWith('✔')),
      }).toEqual({
        code: 0,
        output: ['10 succeeded, 0 failed, 0 skipped'],
      });
      const applied = linesPerWorkspace([survivor.stdout()], '✔');
      expect([...applied.keys()].sort()).toEqual(some.map((workspace) => workspace.id));
      expect([...applied.values()].every((count) => count === 1)).toBe(true);
      expect(await cityOf(client, some)).toEqual(some.map((workspace) => ({ id: workspace.id, rows: 1, column: true })));
      await expectQueueEmpty();
    } finally {
      // Not left running to take the jobs of the tests that follow.
      await stopWorker(survivor);
    }
  });

  it('upgrade-0.23 --queue: the worker upgrades each workspace once; workspaces already at 0.23 never become jobs', async () => {
    const old = await createFleet(database.url, 2, '0.22');
    const worker = startWorker();
    const ids = old.flatMap((workspace) => ['-w', workspace.id]);
    const run = await runCli(['upgrade-0.23', '--queue', ...ids], env, cwd);
    expect(run.code).toBe(0);
    for (const workspace of old) {
      expect(run.stdout).toContain(`✔ ${workspace.id} (${workspace.schemaName}): upgraded to 0.23`);
    }
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe('2 succeeded, 0 failed, 0 skipped');
    const versions = await client.query(`SELECT "version" FROM core.workspace WHERE "id" = ANY($1::uuid[])`, [
      old.map((workspace) => workspace.id),
    ]);
    expect(versions.rows).toEqual([{ version: '0.23' }, { version: '0.23' }]);

    const again = await runCli(['upgrade-0.23', '--queue', ...ids], env, cwd);
    expect(again.code).toBe(0);
    expect(again.stdout.match(/: already at 0\.23$/gm)).toHaveLength(2);
    const upgradedByWorker = linesPerWorkspace([worker.stdout()], '✔');
    expect(old.map((workspace) => upgradedByWorker.get(workspace.id))).toEqual([1, 1]);
    expect(worker.stdout().match(/already at 0\.23/g)).toBeNull();
    await expectQueueEmpty();
    await stopWorker(worker);
  });

  it('SIGINT on a queued run withdraws the jobs no worker has started; a rerun with a worker does them', async () => {
    const some = fleet.slice(20, 23);
    await takeCityAway(client, some);
    const ids = some.flatMap((workspace) => ['-w', workspace.id]);
    // No worker runs: the jobs wait in the queue until the signal.
    const producer = await enqueue(some);
    producer.child.kill('SIGINT');
    expect((await producer.exited).code).toBe(1);
    expect(producer.stdout().trimEnd().split('\n').slice(-2)).toEqual([
      'Interrupted by SIGINT after the workspaces in flight; 3 workspace(s) not reached. Run the command again to do the rest.',
      '0 succeeded, 0 failed, 0 skipped',
    ]);
    await expectQueueEmpty();
    expect(await cityOf(client, some)).toEqual(some.map((workspace) => ({ id: workspace.id, rows: 0, column: false })));

    const worker = startWorker();
    const rerun = await runCli([SYNC, '--queue', ...ids], env, cwd);
    expect(rerun.code).toBe(0);
    expect(rerun.stdout.trimEnd().split('\n').at(-1)).toBe('3 succeeded, 0 failed, 0 skipped');
    expect(await cityOf(client, some)).toEqual(some.map((workspace) => ({ id: workspace.id, rows: 1, column: true })));
    await expectQueueEmpty();
    await stopWorker(worker);
  });

  /** Starts a producer for `some` with no worker running; resolves once their jobs wait in the queue. */
  const enqueue = async (some: FleetWorkspace[]) => {
    // No worker of an earlier test may take the jobs.
    await Promise.all(workers.map(stopWorker));
    const events = new QueueEvents(queue.name, {
      connection: { url: REDIS_URL },
      prefix: QUEUE_PREFIX,
      lastEventId: `${Date.now() - 1_000}-0`,
    });
    await events.waitUntilReady();
    // Events of the last second may be replayed: only the jobs of these workspaces count.
    const mine = new Set(some.map((workspace) => workspace.id));
    const queued = new Promise<void>((resolve) => {
      const waiting = new Set<string>();
      events.on('waiting', ({ jobId }) => {
        void queue.getJob(jobId).then((job) => {
          if (job && mine.has(job.data.workspaceId)) waiting.add(job.data.workspaceId);
          if (waiting.size === some.length) resolve();
        });
      });
    });
    const producer = startCli([SYNC, '--queue', ...some.flatMap((workspace) => ['-w', workspace.id])], env, cwd);
    await queued;
    await events.close();
    return producer;
  };

  /**
   * A worker of concurrency 1 whose first job is held: `core.workspace` is locked by `holder` (a
   * job reads its workspace's row first, outside any lock timeout). Resolves once the job waits.
   */
  const workerWithHeldJob = async (holder: Client, args: string[] = []) => {
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE core.workspace IN ACCESS EXCLUSIVE MODE');
    const worker = startCli(['worker', '--concurrency', '1', '--lock-duration', '2000', ...args], { ...env, LOG_LEVEL: 'info' }, cwd);
    workers.push(worker);
    await worker.printed('Worker ready');
    let waiting = 0;
    for (let polls = 0; waiting === 0 && polls < 100_000; polls += 1) {
      waiting = (await client.query(`SELECT count(*)::int AS n FROM pg_locks WHERE relation = 'core.workspace'::regclass AND NOT granted`))
        .rows[0].n;
    }
    expect(waiting).toBe(1);
    return worker;
  };

  it('SIGTERM: the worker takes no new job, lets the one in progress finish and store its result, and exits 0', async () => {
    const some = fleet.slice(30, 32);
    await takeCityAway(client, some);
    const producer = await enqueue(some);
    const holder = await connectClient(database.url);
    try {
      const worker = await workerWithHeldJob(holder);
      worker.child.kill('SIGTERM');
      await worker.printed('SIGTERM: taking no new job');
      expect(await queue.getJobCounts('waiting', 'active')).toEqual({ waiting: 1, active: 1 });
      await holder.query('COMMIT');
      expect((await worker.exited).code).toBe(0);
      expect(worker.stderr()).not.toContain('abandoned');
      // The held job is done and its result stored; the other one was not taken.
      expect(await queue.getJobCounts('waiting', 'active')).toEqual({ waiting: 1, active: 0 });
      const done = await cityOf(client, some);
      expect(done.filter((row) => row.rows === 1 && row.column)).toHaveLength(1);
      expect(done.filter((row) => row.rows === 0 && !row.column)).toHaveLength(1);
    } finally {
      await holder.end();
    }
    const next = startWorker();
    expect((await producer.exited).code).toBe(0);
    expect(producer.stdout().trimEnd().split('\n').at(-1)).toBe('2 succeeded, 0 failed, 0 skipped');
    await expectQueueEmpty();
    await stopWorker(next);
  });

  it('SIGTERM: a job still in progress after --grace-period is abandoned, the worker exits 0, and another worker does the job', async () => {
    const some = fleet.slice(32, 33);
    await takeCityAway(client, some);
    const producer = await enqueue(some);
    const holder = await connectClient(database.url);
    try {
      const worker = await workerWithHeldJob(holder, ['--grace-period', '500']);
      worker.child.kill('SIGTERM');
      expect((await worker.exited).code).toBe(0);
      expect(worker.stderr()).toContain('Stopped before the jobs in progress finished: 1 job(s) abandoned');
    } finally {
      await holder.end();
    }
    const next = startWorker();
    expect((await producer.exited).code).toBe(0);
    expect(producer.stdout()).toContain(`✔ ${some[0].id} (${some[0].schemaName}): applied`);
    expect(await cityOf(client, some)).toEqual([{ id: some[0].id, rows: 1, column: true }]);
    await expectQueueEmpty();
    await stopWorker(next);
  });

  it('refuses --queue without REDIS_URL, and says so when Redis cannot be reached', async () => {
    const missing = await runCli([SYNC, '--queue'], { DATABASE_URL: database.url }, cwd);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Error: --queue needs Redis: set REDIS_URL (e.g. redis://127.0.0.1:6379) in the environment or .env.');

    const unreachable = await runCli([SYNC, '--queue'], { DATABASE_URL: database.url, REDIS_URL: 'redis://127.0.0.1:1' }, cwd);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr.split('\n').filter((line) => line.startsWith('Error:'))).toEqual([
      'Error: Could not connect to Redis at 127.0.0.1:1: connect ECONNREFUSED 127.0.0.1:1. Check REDIS_URL and that the server is running.',
    ]);

    const worker = await runCli(['worker'], { DATABASE_URL: database.url, REDIS_URL: 'redis://127.0.0.1:1' }, cwd);
    expect(worker.code).toBe(1);
    expect(worker.stderr).toContain('Error: Could not connect to Redis at 127.0.0.1:1');

    const embedded = await runCli([SYNC, '--queue'], { REDIS_URL }, cwd);
    expect(embedded.code).toBe(1);
    expect(embedded.stderr).toContain('Error: --queue needs a PostgreSQL server (DATABASE_URL)');
  });
});
