import { performance } from 'node:perf_hooks';

import { qualified } from '../src/database/sql';
import { buildStandardDeclarations } from '../src/standard-objects/standard-objects';
import { ServiceMetrics } from '../src/observability/service-metrics';
import { StepProgressEvents } from '../src/observability/step-progress';
import { DEFAULT_STEP_OPTIONS, UpgradeRunner } from '../src/upgrade/upgrade.runner';
import { WorkspaceCreationService } from '../src/workspace/workspace-creation.service';
import { WorkspaceRow } from '../src/metadata/workspace.repository';
import { openBenchDatabase, round } from './bench-database';

/**
 * The 0.23 email move (EMAIL -> EMAILS, in keyset batches with a checkpoint each) on n person
 * rows, against one raw UPDATE doing the same copy on an identical workspace. Batches are sized
 * to about 100 ms each, as the command does by default, or fixed with a second argument.
 */
export const emailMigrationBenchmark = async (args: string[]): Promise<Record<string, unknown>> => {
  const rows = Number(args[0] ?? 1_000_000);
  const fixedBatchSize = args[1] === undefined ? undefined : Number(args[1]);
  const database = await openBenchDatabase();
  try {
    const { dataSource } = database;
    const creation = new WorkspaceCreationService(dataSource, buildStandardDeclarations());
    const seed = async (name: string): Promise<WorkspaceRow> => {
      const { workspace } = await creation.create({ displayName: name, version: '0.22', prefill: false });
      await dataSource.query(
        `INSERT INTO ${qualified(workspace.schemaName, 'person')} ("nameFirstName", "email")
         SELECT 'Person ' || n, 'Person.' || n || '@Example.com' FROM generate_series(1, $1) AS n`,
        [rows],
      );
      await dataSource.query(`VACUUM ANALYZE ${qualified(workspace.schemaName, 'person')}`);
      return workspace;
    };
    const measuredWorkspace = await seed('measured');
    const baselineWorkspace = await seed('baseline');

    const table = qualified(baselineWorkspace.schemaName, 'person');
    const rawStart = performance.now();
    await dataSource.transaction(async (manager) => {
      await manager.query(`ALTER TABLE ${table} ADD COLUMN "emailsPrimaryEmail" text, ADD COLUMN "emailsAdditionalEmails" jsonb`);
      await manager.query(`UPDATE ${table} SET "emailsPrimaryEmail" = "email", "emailsAdditionalEmails" = '[]'::jsonb`);
    });
    const rawMs = performance.now() - rawStart;

    // As a command runs it: with metrics, and its progress reported (the move counts its rows first).
    const progress = new StepProgressEvents();
    let reports = 0;
    progress.subscribe(() => (reports += 1));
    const start = performance.now();
    const outcome = await new UpgradeRunner(dataSource, new ServiceMetrics(), progress).upgrade(measuredWorkspace, '0.23', {
      onlyStep: 'migrate-email-fields-to-emails',
      ...(fixedBatchSize ? { batchSize: fixedBatchSize } : {}),
    });
    const stepMs = performance.now() - start;
    const step = outcome.steps[0];
    if (outcome.status !== 'upgraded' || step?.status !== 'done') {
      throw new Error(`the email step did not complete: ${outcome.message ?? step?.error}`);
    }
    const [{ moved }] = await dataSource.query(
      `SELECT count(*)::int AS moved FROM ${qualified(measuredWorkspace.schemaName, 'person')} WHERE "emailsPrimaryEmail" LIKE 'Person.%@Example.com'`,
    );
    if (moved !== rows) throw new Error(`expected ${rows} moved emails, found ${moved}`);
    if (reports < 2) throw new Error(`expected the move's progress reported, got ${reports} report(s)`);
    const stepRate = rows / (stepMs / 1000);
    const rawRate = rows / (rawMs / 1000);
    return {
      rows,
      batches: fixedBatchSize
        ? `${fixedBatchSize} rows each`
        : `about ${DEFAULT_STEP_OPTIONS.batchTargetMs} ms each, at most ${DEFAULT_STEP_OPTIONS.batchSize} rows`,
      stepMs: round(stepMs),
      stepRowsPerSecond: Math.round(stepRate),
      baselineRawUpdateMs: round(rawMs),
      baselineRowsPerSecond: Math.round(rawRate),
      ratioOfRawRate: round(stepRate / rawRate),
      longestBatchLockMs: round(step.maxBatchMs),
      progressReports: reports,
      target: 'ratio >= 0.7, longest batch <= 200 ms',
    };
  } finally {
    await database.drop();
  }
};
