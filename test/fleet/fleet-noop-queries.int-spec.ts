import { DataSource, Logger } from 'typeorm';

import { MIGRATIONS_TABLE } from '../../src/database/database.service';
import { CORE_MIGRATIONS } from '../../src/database/migrations';
import { buildStandardDeclarations } from '../../src/standard-objects/standard-objects';
import { WorkspaceSyncService } from '../../src/sync/workspace-sync.service';
import { FLEET_PAGE_SIZE, WorkspaceFleetRunner } from '../../src/workspace/workspace-fleet.runner';
import { createTestDatabase, TestDatabase } from '../utils/test-database';

/** Records every query the data source sends. */
class QueryLog implements Logger {
  readonly queries: string[] = [];
  logQuery(query: string): void {
    this.queries.push(query);
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

describe('a fleet already in sync', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let log: QueryLog;
  const declared = buildStandardDeclarations();

  beforeAll(async () => {
    database = await createTestDatabase();
    log = new QueryLog();
    dataSource = await new DataSource({
      type: 'postgres',
      url: database.url,
      migrations: CORE_MIGRATIONS,
      migrationsTableName: MIGRATIONS_TABLE,
      logging: ['query'],
      logger: log,
      extra: { max: 3 },
    }).initialize();
  });

  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  /** Workspace rows whose fingerprint says they are in sync (the fast path reads nothing else). */
  const addWorkspacesInSync = async (count: number) => {
    const fingerprint = new WorkspaceSyncService(dataSource, declared).desiredStateFor({ featureFlags: [] }).fingerprint;
    await dataSource.query(
      `INSERT INTO core.workspace ("displayName", "schemaName", "version", "fingerprint")
       SELECT 'In sync ' || n, 'workspace_insync' || n || 'x' || (SELECT count(*) FROM core.workspace), '0.23', $2
         FROM generate_series(1, $1) AS n`,
      [count, fingerprint],
    );
  };

  const syncFleet = async (concurrency: number) => {
    const sync = new WorkspaceSyncService(dataSource, declared);
    log.queries.length = 0;
    const summary = await new WorkspaceFleetRunner(dataSource.manager).run(
      {},
      async (workspace) => {
        const outcome = await sync.sync(workspace);
        return { status: outcome.status === 'up-to-date' ? 'succeeded' : 'failed', detail: outcome.status, message: outcome.message };
      },
      { concurrency, continueOnError: true },
    );
    return { summary, queries: [...log.queries] };
  };

  it.each([
    [250, 1],
    [1_050, 4],
  ])(
    'is recognised with one query per page of workspaces, none per workspace (%i workspaces, concurrency %i)',
    async (total, concurrency) => {
      await addWorkspacesInSync(total - (await dataSource.query(`SELECT count(*)::int AS n FROM core.workspace`))[0].n);
      const { summary, queries } = await syncFleet(concurrency);
      expect(summary).toMatchObject({ total, succeeded: total, failed: 0, skipped: 0 });
      // One count for the progress bar, then the pages.
      expect(queries).toHaveLength(1 + Math.ceil(total / FLEET_PAGE_SIZE));
      expect(queries.every((query) => /FROM core\.workspace/.test(query))).toBe(true);
    },
  );
});
