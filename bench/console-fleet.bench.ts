import { performance } from 'node:perf_hooks';

import { fleetPage } from '../src/http/console/console.pages';
import { FleetOverviewRepository } from '../src/workspace/fleet-overview.repository';
import { FleetOverviewService } from '../src/workspace/fleet-overview.service';
import { openBenchDatabase, round } from './bench-database';

const REPEATS = 5;

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * The console's fleet page on a fleet of n workspaces (default 10,000): each with a recorded sync,
 * 1% failed, 0.5% drifted, a run in progress and ten ended. Measured: the page's reads (counts,
 * failures, drift, locks, runs, the first page of the list), a search, and a page far into the list,
 * and the size of the rendered page; against the floor of reading the fleet's rows whole once,
 * which the page never does. Medians of 5.
 */
export const consoleFleetBenchmark = async (args: string[]): Promise<Record<string, unknown>> => {
  const workspaces = Number(args[0] ?? 10_000);
  const database = await openBenchDatabase();
  try {
    const { dataSource } = database;
    await dataSource.query(
      `INSERT INTO core.workspace ("displayName", "schemaName", "version")
       SELECT 'Workspace ' || lpad(n::text, 6, '0'), 'workspace_bench' || n, CASE WHEN n % 10 = 0 THEN '0.23' ELSE '0.24' END
         FROM generate_series(1, $1) AS n`,
      [workspaces],
    );
    await dataSource.query(
      `INSERT INTO core."walkRun" ("command", "status", "total", "succeeded", "failed", "host", "pid", "finishedAt")
      SELECT 'upgrade', 'DONE', $1, $1 - $1 / 100, $1 / 100, 'bench', n, now() FROM generate_series(1, 10) AS n`,
      [workspaces],
    );
    await dataSource.query(
      `INSERT INTO core."walkRun" ("command", "status", "total", "succeeded", "host", "pid")
      VALUES ('workspace:sync-metadata', 'RUNNING', $1, $1 / 2, 'bench', 1)`,
      [workspaces],
    );
    await dataSource.query(
      `INSERT INTO core."workspaceOutcome" ("workspaceId", "command", "outcome", "status", "message", "finishedAt")
       SELECT "id", 'upgrade', CASE WHEN row_number() OVER (ORDER BY "id") % 100 = 0 THEN 'failed' ELSE 'succeeded' END,
              'upgraded', NULL, now() - (row_number() OVER (ORDER BY "id")) * interval '1 second'
         FROM core.workspace`,
    );
    await dataSource.query(
      `INSERT INTO core."workspaceOutcome" ("workspaceId", "command", "outcome", "status", "message", "finishedAt")
       SELECT "id", 'workspace:health', CASE WHEN row_number() OVER (ORDER BY "id") % 200 = 0 THEN 'failed' ELSE 'succeeded' END,
              'succeeded', '1 drift issue(s)', now() FROM core.workspace`,
    );
    await dataSource.query(`ANALYZE core.workspace; ANALYZE core."workspaceOutcome"; ANALYZE core."walkRun"`);

    const fleet = new FleetOverviewService(new FleetOverviewRepository(dataSource.manager));
    const timed = async <T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> => {
      const times: number[] = [];
      let result!: T;
      for (let i = 0; i < REPEATS; i += 1) {
        const start = performance.now();
        result = await work();
        times.push(performance.now() - start);
      }
      return { ms: median(times), result };
    };
    const page = await timed(async () => {
      const [overview, list] = [await fleet.overview(), await fleet.page('', 0)];
      return { overview, list };
    });
    if (page.result.overview.total !== workspaces || page.result.list.rows.length !== 50) {
      throw new Error(
        `expected ${workspaces} workspaces and a page of 50, got ${page.result.overview.total} and ${page.result.list.rows.length}`,
      );
    }
    const html = fleetPage({ principal: { kind: 'admin' }, csrfToken: 'token' }, page.result.overview, page.result.list, '').text;
    const repository = new FleetOverviewRepository(dataSource.manager);
    const counts = await timed(async () => [
      await repository.countByVersion(),
      await repository.countByActivation(),
      await repository.countBySyncOutcome(),
    ]);
    const attention = await timed(async () => [await repository.failed(20), await repository.drifted(20), await repository.locked(20)]);
    const search = await timed(() => fleet.page('00042', 0));
    const deep = await timed(() => fleet.page('', Math.max(0, workspaces - 50)));
    const runs = await timed(() => fleet.running());
    const raw = await timed(() =>
      dataSource.query(`SELECT "id", "displayName", "version" FROM core.workspace ORDER BY "displayName", "id"`),
    );
    return {
      workspaces,
      pageMs: round(page.ms),
      pageBytes: Buffer.byteLength(html),
      countsMs: round(counts.ms),
      attentionMs: round(attention.ms),
      searchMs: round(search.ms),
      searchMatches: search.result.total,
      lastPageMs: round(deep.ms),
      runsMs: round(runs.ms),
      baselineReadFleetMs: round(raw.ms),
      ratioToBaseline: round(page.ms / raw.ms),
    };
  } finally {
    await database.drop();
  }
};
