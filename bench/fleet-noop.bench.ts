import { performance } from 'node:perf_hooks';

import { Queue } from 'bullmq';

import { buildStandardDeclarations } from '../src/standard-objects/standard-objects';
import { WorkspaceSyncService } from '../src/sync/workspace-sync.service';
import { WorkspaceFleetRunner } from '../src/workspace/workspace-fleet.runner';
import { QUEUE_PREFIX, queueNameFor } from '../src/workspace/workspace-queue';
import { openBenchDatabase, round } from './bench-database';
import { cloneWorkspaceRows, createWorkspacesFromPlan, runBuiltCli } from './bench-fleet';

const SEEDS = 10;

/**
 * Syncing a fleet that is already in sync (default 10,000 workspaces), against the floor of
 * reading every workspace's fingerprint in one query.
 *
 * The fleet: 10 complete workspaces created from the creation plan's SQL, then their
 * core.workspace and metadata rows cloned with INSERT ... SELECT up to n (clones have no schema:
 * a workspace whose fingerprint matches is settled from its row alone, which is the point).
 * Measured twice: the fleet runner and sync service in this process, and the built CLI
 * (`workspace:sync-metadata`, start-up included, its peak RSS too), and with REDIS_URL set, the
 * built CLI with `--queue`.
 */
export const fleetNoopBenchmark = async (args: string[]): Promise<Record<string, unknown>> => {
  const workspaces = Number(args[0] ?? 10_000);
  const database = await openBenchDatabase();
  try {
    const { dataSource } = database;
    const declared = buildStandardDeclarations();
    const seeds = await createWorkspacesFromPlan(dataSource, declared, Math.min(SEEDS, workspaces));
    await cloneWorkspaceRows(dataSource, seeds, workspaces);

    const sync = new WorkspaceSyncService(dataSource, declared);
    const runner = new WorkspaceFleetRunner(dataSource.manager);
    const start = performance.now();
    const summary = await runner.run(
      {},
      async (workspace) => {
        const outcome = await sync.sync(workspace);
        return { status: outcome.status === 'up-to-date' ? 'succeeded' : 'failed', detail: null, message: outcome.message };
      },
      { concurrency: 1, continueOnError: true },
    );
    const syncMs = performance.now() - start;
    if (summary.succeeded !== workspaces) {
      throw new Error(`expected ${workspaces} workspaces up to date, got ${summary.succeeded}`);
    }

    // As operators run it (LOG_LEVEL=info: one log line per workspace), and without logs, to tell their cost.
    const cli = await runBuiltCli(['workspace:sync-metadata'], { DATABASE_URL: database.url, LOG_LEVEL: 'info' });
    const quiet = await runBuiltCli(['workspace:sync-metadata'], { DATABASE_URL: database.url, LOG_LEVEL: 'silent' });
    for (const run of [cli, quiet]) {
      if (run.code !== 0 || run.lastLine !== `${workspaces} succeeded, 0 failed, 0 skipped`) {
        throw new Error(`the CLI did not report every workspace up to date: exit ${run.code}, "${run.lastLine}"`);
      }
    }
    if (cli.logLines !== workspaces || quiet.logLines !== 0) {
      throw new Error(`expected ${workspaces} log lines at info and none when silent, got ${cli.logLines} and ${quiet.logLines}`);
    }

    // With Redis, the same through a queued run: settled workspaces never become jobs.
    const queued = process.env.REDIS_URL
      ? await runBuiltCli(['workspace:sync-metadata', '--queue'], { DATABASE_URL: database.url, REDIS_URL: process.env.REDIS_URL })
      : null;
    if (process.env.REDIS_URL) {
      // The scratch database's queue goes with it.
      const queue = new Queue(queueNameFor(database.url), { connection: { url: process.env.REDIS_URL }, prefix: QUEUE_PREFIX });
      await queue.obliterate({ force: true });
      await queue.close();
    }
    if (queued && (queued.code !== 0 || queued.lastLine !== `${workspaces} succeeded, 0 failed, 0 skipped`)) {
      throw new Error(`the queued run did not report every workspace up to date: exit ${queued.code}, "${queued.lastLine}"`);
    }

    const rawStart = performance.now();
    await dataSource.query(`SELECT "id", "fingerprint" FROM core.workspace ORDER BY "id"`);
    const rawMs = performance.now() - rawStart;
    return {
      workspaces,
      noopSyncMs: round(syncMs),
      perWorkspaceMs: round(syncMs / workspaces, 4),
      cliMs: round(cli.ms),
      cliPeakRssMb: cli.peakRssMb,
      cliWithoutLogsMs: round(quiet.ms),
      ...(queued ? { cliQueueMs: round(queued.ms), cliQueuePeakRssMb: queued.peakRssMb } : {}),
      baselineFingerprintScanMs: round(rawMs),
      ratio: round(syncMs / rawMs),
      target: 'noopSyncMs and cliMs < 5000, peak RSS < 300 MB',
    };
  } finally {
    await database.drop();
  }
};
