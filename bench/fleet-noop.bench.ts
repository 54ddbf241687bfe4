import { performance } from 'node:perf_hooks';

import { buildStandardDeclarations } from '../src/standard-objects/standard-objects';
import { WorkspaceSyncService } from '../src/sync/workspace-sync.service';
import { WorkspaceCreationService } from '../src/workspace/workspace-creation.service';
import { WorkspaceFleetRunner } from '../src/workspace/workspace-fleet.runner';
import { openBenchDatabase, round } from './bench-database';

/**
 * Syncing a fleet that is already in sync, against the floor of reading every workspace's
 * fingerprint in one query. Workspaces are created once, then the no-op sync is timed.
 */
export const fleetNoopBenchmark = async (args: string[]): Promise<Record<string, unknown>> => {
  const workspaces = Number(args[0] ?? 100);
  const database = await openBenchDatabase();
  try {
    const declared = buildStandardDeclarations();
    const creation = new WorkspaceCreationService(database.dataSource, declared);
    for (let i = 0; i < workspaces; i += 1) {
      await creation.create({ displayName: `fleet ${i}`, prefill: false });
    }
    const sync = new WorkspaceSyncService(database.dataSource, declared);
    const runner = new WorkspaceFleetRunner(database.dataSource.manager);
    const start = performance.now();
    const summary = await runner.run(
      {},
      async (workspace) => {
        const outcome = await sync.sync(workspace);
        return { status: outcome.status === 'up-to-date' ? 'succeeded' : 'failed', detail: outcome, message: outcome.message };
      },
      { concurrency: 1, continueOnError: true },
    );
    const syncMs = performance.now() - start;
    if (summary.succeeded !== workspaces) {
      throw new Error(`expected ${workspaces} workspaces up to date, got ${summary.succeeded}`);
    }
    const rawStart = performance.now();
    await database.dataSource.query(`SELECT "id", "fingerprint" FROM core.workspace ORDER BY "id"`);
    const rawMs = performance.now() - rawStart;
    return {
      workspaces,
      noopSyncMs: round(syncMs),
      perWorkspaceMs: round(syncMs / workspaces, 3),
      baselineFingerprintScanMs: round(rawMs),
    };
  } finally {
    await database.drop();
  }
};
