import { performance } from 'node:perf_hooks';

import { qualified } from '../src/database/sql';
import { WorkspaceRow } from '../src/metadata/workspace.repository';
import { ServiceMetrics } from '../src/observability/service-metrics';
import { StepProgressEvents } from '../src/observability/step-progress';
import { buildStandardDeclarations } from '../src/standard-objects/standard-objects';
import { parsePhones } from '../src/upgrade/converters/phone.converter';
import { DEFAULT_STEP_OPTIONS, UpgradeRunner } from '../src/upgrade/upgrade.runner';
import { WorkspaceCreationService } from '../src/workspace/workspace-creation.service';
import { openBenchDatabase, round } from './bench-database';
import { legacyPhone } from './phone-parse.bench';

/**
 * The 0.25 phone move (PHONE -> PHONES, each value parsed in Node, in keyset batches with a
 * checkpoint each, the next batch parsed while the current one is written) on n person rows of
 * mixed real-world shapes, against the same change done raw on an identical workspace: the new
 * columns, one UPDATE splitting the values naively in SQL (digits only, no validation), the old
 * column dropped. Also the parsing alone, in the same run: a move that parses and writes in turn
 * takes about their sum.
 */
export const phoneMigrationBenchmark = async (args: string[]): Promise<Record<string, unknown>> => {
  const rows = Number(args[0] ?? 200_000);
  const fixedBatchSize = args[1] === undefined ? undefined : Number(args[1]);
  const database = await openBenchDatabase();
  try {
    const { dataSource } = database;
    const creation = new WorkspaceCreationService(dataSource, buildStandardDeclarations());
    const values = Array.from({ length: rows }, (_, index) => legacyPhone(index) ?? '');
    const seed = async (name: string): Promise<WorkspaceRow> => {
      const { workspace } = await creation.create({ displayName: name, version: '0.24', prefill: false, defaultCountry: 'FR' });
      await dataSource.query(
        `INSERT INTO ${qualified(workspace.schemaName, 'person')} ("nameFirstName", "phone") SELECT 'Person ' || n, phone FROM unnest($1::text[]) WITH ORDINALITY AS t(phone, n)`,
        [values],
      );
      await dataSource.query(`VACUUM ANALYZE ${qualified(workspace.schemaName, 'person')}`);
      return workspace;
    };
    const measuredWorkspace = await seed('measured');
    const baselineWorkspace = await seed('baseline');

    const table = qualified(baselineWorkspace.schemaName, 'person');
    const rawStart = performance.now();
    await dataSource.transaction(async (manager) => {
      await manager.query(
        `ALTER TABLE ${table} ADD COLUMN "phonesPrimaryPhoneNumber" text, ADD COLUMN "phonesPrimaryPhoneCountryCode" text, ADD COLUMN "phonesAdditionalPhones" jsonb`,
      );
      await manager.query(
        `UPDATE ${table} SET "phonesPrimaryPhoneNumber" = regexp_replace("phone", '\\D', '', 'g'),
                "phonesPrimaryPhoneCountryCode" = CASE WHEN "phone" LIKE '+%' THEN '+' ELSE '' END, "phonesAdditionalPhones" = '[]'::jsonb`,
      );
      await manager.query(`ALTER TABLE ${table} DROP COLUMN "phone"`);
    });
    const rawMs = performance.now() - rawStart;

    const parseStart = performance.now();
    for (let start = 0; start < rows; start += 10_000) parsePhones(values.slice(start, start + 10_000), 'FR');
    const parseMs = performance.now() - parseStart;

    const progress = new StepProgressEvents();
    let reports = 0;
    progress.subscribe(() => (reports += 1));
    const start = performance.now();
    const outcome = await new UpgradeRunner(dataSource, new ServiceMetrics(), progress).upgrade(measuredWorkspace, '0.25', {
      onlyStep: 'migrate-phone-fields-to-phones',
      ...(fixedBatchSize ? { batchSize: fixedBatchSize } : {}),
    });
    const stepMs = performance.now() - start;
    const step = outcome.steps[0];
    if (outcome.status !== 'upgraded' || step?.status !== 'done') {
      throw new Error(`the phone step did not complete: ${outcome.message ?? step?.error}`);
    }
    const [{ parsed }] = await dataSource.query(
      `SELECT count(*)::int AS parsed FROM ${qualified(measuredWorkspace.schemaName, 'person')} WHERE "phonesPrimaryPhoneCountryCode" LIKE '+%'`,
    );
    if (parsed === 0) throw new Error('no phone was parsed');
    const stepRate = rows / (stepMs / 1000);
    const rawRate = rows / (rawMs / 1000);
    return {
      rows,
      batches: fixedBatchSize
        ? `${fixedBatchSize} rows each`
        : `about ${DEFAULT_STEP_OPTIONS.batchTargetMs} ms each, at most ${DEFAULT_STEP_OPTIONS.batchSize} rows`,
      parsed,
      stepMs: round(stepMs),
      stepRowsPerSecond: Math.round(stepRate),
      parseAloneMs: round(parseMs),
      baselineRawUpdateMs: round(rawMs),
      baselineRowsPerSecond: Math.round(rawRate),
      ratioOfRawRate: round(stepRate / rawRate),
      stepOverParsePlusRaw: round(stepMs / (parseMs + rawMs)),
      longestBatchLockMs: round(step.maxBatchMs),
      progressReports: reports,
    };
  } finally {
    await database.drop();
  }
};
