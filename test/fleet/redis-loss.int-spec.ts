import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { QueueEvents } from 'bullmq';
import { Client } from 'pg';

import { QUEUE_PREFIX, queueNameFor } from '../../src/workspace/workspace-queue';
import { startCli } from '../utils/cli';
import { logLinesOf } from '../operations/operations.spec-support';
import { connectClient, createTestDatabase, TestDatabase } from '../utils/test-database';
import { createFleet, FleetWorkspace } from './fleet.fixtures';
import { PrivateRedis } from './private-redis';

/** Lines that are a raw error object or a stack, not a sentence for a person. */
const RAW_ERROR = /errno|syscall|^\s+at |^\s*[{}]|\[ioredis\]|Unhandled error/;

/**
 * Redis dies (SIGKILL) under a queued run and under a worker. Each Redis here is a private
 * redis-server on a port of its own, never the shared one.
 */
describe('queue mode: Redis killed in the middle of a run', () => {
  let cwd: string;
  let database: TestDatabase;
  let client: Client;

  beforeAll(async () => {
    cwd = mkdtempSync(join(tmpdir(), 'wms-redis-loss-'));
    database = await createTestDatabase();
    client = await connectClient(database.url);
  });

  afterAll(async () => {
    await client.end();
    await database.drop();
    rmSync(cwd, { recursive: true, force: true });
  });

  /** The events of the database's queue in `redis`, from a second before now. */
  const queueEventsOf = async (redis: PrivateRedis): Promise<QueueEvents> => {
    const events = new QueueEvents(queueNameFor(database.url), {
      connection: { url: redis.url },
      prefix: QUEUE_PREFIX,
      lastEventId: `${Date.now() - 1_000}-0`,
    });
    await events.waitUntilReady();
    return events;
  };

  it('the producer of upgrade:latest --queue gives up after REDIS_RETRY_MS with one line on how to resume, exit 1', async () => {
    const fleet: FleetWorkspace[] = await createFleet(database.url, 3, '0.22');
    const redis = await PrivateRedis.start();
    const events = await queueEventsOf(redis);
    const queued = new Promise<void>((resolve) => {
      let waiting = 0;
      events.on('waiting', () => {
        waiting += 1;
        if (waiting === fleet.length) resolve();
      });
    });
    // No worker: the jobs wait in the queue when Redis dies.
    const producer = startCli(
      ['upgrade:latest', '--queue', '--continue-on-error'],
      {
        DATABASE_URL: database.url,
        REDIS_URL: redis.url,
        REDIS_RETRY_MS: '2000',
      },
      cwd,
    );
    let code: number | null;
    try {
      await queued;
      await events.close();
      await redis.kill();
      ({ code } = await producer.exited);
    } finally {
      if (producer.child.exitCode === null && producer.child.signalCode === null) producer.child.kill('SIGKILL');
    }
    const problems = producer
      .stderr()
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('Database: '));
    expect({ code, raw: problems.filter((line) => RAW_ERROR.test(line)) }).toEqual({ code: 1, raw: [] });
    expect(problems.filter((line) => line.startsWith('Error:'))).toEqual([
      expect.stringMatching(
        new RegExp(
          `^Error: lost Redis at 127\\.0\\.0\\.1:${redis.port}: no answer for 2 s \\(.+\\); 3 workspace\\(s\\) not confirmed\\. ` +
            'Once Redis is back, run the command again to resume: workspaces already done are recognised and not done twice\\.$',
        ),
      ),
    ]);
    // The one line of the outage, not one per reconnection attempt.
    expect(problems.filter((line) => line.includes(`Redis at 127.0.0.1:${redis.port}`))).toHaveLength(2);
    const versions = await client.query(`SELECT DISTINCT "version" FROM core.workspace WHERE "id" = ANY($1::uuid[])`, [
      fleet.map((workspace) => workspace.id),
    ]);
    expect(versions.rows).toEqual([{ version: '0.22' }]);
  }, 120_000);

  it('a worker reports a lost Redis in one line, and that it is back, then stops cleanly', async () => {
    const redis = await PrivateRedis.start();
    const worker = startCli(['worker'], { DATABASE_URL: database.url, REDIS_URL: redis.url, LOG_LEVEL: 'info' }, cwd);
    try {
      await worker.printed('Worker ready');
      await redis.kill();
      await worker.printed(`lost Redis at 127.0.0.1:${redis.port}`);
      const again = await PrivateRedis.start(redis.port);
      try {
        await worker.printed(`Redis at 127.0.0.1:${redis.port} is back`);
        worker.child.kill('SIGTERM');
        expect(await worker.exited).toEqual({ code: 0, signal: null });
      } finally {
        await again.kill();
      }
      // A worker's lines are its log: JSON lines when stderr is not a terminal.
      const lines = logLinesOf(worker.stderr()).map((line) => line.msg);
      expect(lines.filter((line) => RAW_ERROR.test(line))).toEqual([]);
      expect(lines.filter((line) => line.includes(`Redis at 127.0.0.1:${redis.port}`))).toEqual([
        expect.stringMatching(new RegExp(`^lost Redis at 127\\.0\\.0\\.1:${redis.port} \\(.+\\); waiting for it to come back$`)),
        `Redis at 127.0.0.1:${redis.port} is back`,
      ]);
    } finally {
      if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
    }
  }, 120_000);
});
