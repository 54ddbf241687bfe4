import { performance } from 'node:perf_hooks';

import { DataSource } from 'typeorm';

import { qualified, quoteIdentifier } from '../src/database/sql';
import { FieldType } from '../src/declarations/field-type';
import { searchVectorExpression, searchVectorSpec } from '../src/metadata/search-vector';
import { WorkspaceRow } from '../src/metadata/workspace.repository';
import { NOTE_STANDARD_FIELD_IDS, PERSON_STANDARD_FIELD_IDS, STANDARD_OBJECT_IDS } from '../src/standard-objects/standard-ids.constant';
import { buildStandardDeclarations } from '../src/standard-objects/standard-objects';
import { getVersionSnapshot } from '../src/standard-objects/version-snapshots';
import { DEFAULT_STEP_OPTIONS, UpgradeOutcome, UpgradeRunner } from '../src/upgrade/upgrade.runner';
import { UPGRADE_0_25_STEPS } from '../src/upgrade/versions/0-25';
import { WorkspaceCreationService } from '../src/workspace/workspace-creation.service';
import { openBenchDatabase, round } from './bench-database';
import { watchLocks } from './lock-watch';

/** Phones as people type them: international, national, dotted, dashed, with extensions or letters, blank, empty. */
const PHONE_FORMATS = [
  `'+33 6 12 34 ' || lpad((n % 10000)::text, 4, '0')`,
  `'06.12.' || lpad((n % 100)::text, 2, '0') || '.56.78'`,
  `'(415) 555-' || lpad((n % 10000)::text, 4, '0')`,
  `'+1-202-555-' || lpad((n % 10000)::text, 4, '0') || ' ext. 12'`,
  `'0044 20 7946 ' || lpad((n % 10000)::text, 4, '0')`,
  `'1-800-FLOWERS'`,
  `''`,
  `'  '`,
  `'+49 (0)30 ' || n`,
  `'call me maybe'`,
];

const phoneExpression = `CASE n % ${PHONE_FORMATS.length} ${PHONE_FORMATS.map((format, index) => `WHEN ${index} THEN ${format}`).join(' ')} END`;

/**
 * The 0.25 upgrade of a 0.24 workspace holding n people (names, emails, phones in varied formats)
 * against raw SQL doing the same work on an identical workspace: one UPDATE per data move, the
 * search column added with a plain ADD COLUMN and one full-table UPDATE, one plain CREATE INDEX.
 * Both are watched the same way: a sampler of pg_locks for locks that block writers of person,
 * and a probe writer updating one person in a loop.
 * Each step before the sync is timed alone (the ledger marks it done), then the sync and the steps
 * after it.
 */
export const upgrade025Benchmark = async (args: string[]): Promise<Record<string, unknown>> => {
  const rows = Number(args[0] ?? 1_000_000);
  // How long each batch's transaction is sized to last, in ms; unset: the runner's default.
  const batchTargetMs = args[1] === undefined ? undefined : Number(args[1]);
  if (batchTargetMs !== undefined && !(Number.isInteger(batchTargetMs) && batchTargetMs > 0)) {
    throw new Error(`batchMs must be a whole number of milliseconds above 0, not "${args[1]}"`);
  }
  const database = await openBenchDatabase();
  try {
    const { dataSource } = database;
    const creation = new WorkspaceCreationService(dataSource, buildStandardDeclarations());
    const seed = async (name: string): Promise<WorkspaceRow> => {
      const { workspace } = await creation.create({ displayName: name, version: '0.24', prefill: false });
      const person = qualified(workspace.schemaName, 'person');
      await dataSource.query(
        `INSERT INTO ${person} ("nameFirstName", "nameLastName", "emailsPrimaryEmail", "emailsAdditionalEmails", "phone")
         SELECT 'First' || n, 'Last' || (n % 5000), 'person.' || n || '@firm' || (n % 997) || '.example', '[]', ${phoneExpression}
           FROM generate_series(1, $1) AS n`,
        [rows],
      );
      await dataSource.query(`VACUUM ANALYZE ${person}`);
      return workspace;
    };
    const measured = await seed('measured');
    const baseline = await seed('baseline');

    const rawWatch = await watch(database.url, dataSource, baseline);
    const rawStart = performance.now();
    const rawParts = await rawEquivalent(dataSource, baseline);
    const rawMs = performance.now() - rawStart;
    const rawLocks = await rawWatch.stop();

    const runner = new UpgradeRunner(dataSource);
    const watched = await watch(database.url, dataSource, measured);
    const start = performance.now();
    const outcomes: UpgradeOutcome[] = [];
    const partsMs: Record<string, number> = {};
    // How long each batch's transaction took (its row locks are held for at most that long), by part.
    const batchMs: Record<string, number[]> = {};
    const timed = async (
      part: string,
      run: (onBatch: (key: string, batch: number, elapsedMs: number) => void) => Promise<UpgradeOutcome>,
    ) => {
      const partStart = performance.now();
      outcomes.push(await run((_key, _batch, elapsedMs) => (batchMs[part] ??= []).push(elapsedMs)));
      partsMs[part] = round(performance.now() - partStart);
    };
    for (const step of UPGRADE_0_25_STEPS.filter((candidate) => candidate.phase === 'before-sync')) {
      await timed(step.name, (onBatch) => runner.upgrade(measured, '0.25', { onlyStep: step.name, onBatch, batchTargetMs }));
    }
    await timed('sync and after-sync steps', (onBatch) => runner.upgrade(measured, '0.25', { onBatch, batchTargetMs }));
    const upgradeMs = performance.now() - start;
    const locks = await watched.stop();
    const failed = outcomes.find((outcome) => outcome.status !== 'upgraded');
    if (failed) throw new Error(`the upgrade did not complete: ${failed.message}`);
    await expectSearchable(dataSource, measured, rows);

    const rate = rows / (upgradeMs / 1000);
    const rawRate = rows / (rawMs / 1000);
    const steps = outcomes.flatMap((outcome) => outcome.steps);
    return {
      rows,
      measured: 'upgrade-0.25',
      batchTargetMs: batchTargetMs ?? DEFAULT_STEP_OPTIONS.batchTargetMs,
      upgradeMs: round(upgradeMs),
      partsMs,
      rowsPerSecond: Math.round(rate),
      steps: steps.map((step) => ({
        step: step.step,
        status: step.status,
        rows: step.rowsAffected,
        longestBatchMs: round(step.maxBatchMs),
      })),
      batches: Object.fromEntries(Object.entries(batchMs).map(([part, times]) => [part, batchSummary(times)])),
      longestBlockingLockMs: round(locks.longestBlockingLockMs),
      longestBlockingLockBy: locks.longestBlockingLockBy,
      longestWriterWaitMs: round(locks.longestWriterWaitMs),
      longestWriterCommitMs: round(locks.longestWriterCommitMs),
      longestWriterWriteMs: round(locks.longestWriterWriteMs),
      probeWrites: locks.probeWrites,
      lockSamples: locks.samples,
      baselineRawMs: round(rawMs),
      baselinePartsMs: rawParts,
      baselineRowsPerSecond: Math.round(rawRate),
      baselineLongestBlockingLockMs: round(rawLocks.longestBlockingLockMs),
      baselineLongestWriterWaitMs: round(rawLocks.longestWriterWaitMs),
      baselineLongestWriterCommitMs: round(rawLocks.longestWriterCommitMs),
      baselineLongestWriterWriteMs: round(rawLocks.longestWriterWriteMs),
      ratioOfRawRate: round(rate / rawRate),
      target: 'ratio >= 0.7, no lock blocking writers over 200 ms',
    };
  } finally {
    await database.drop();
  }
};

/** The batches of a part: how many, and how long their transactions took (median, 99th percentile, longest, how many over 200 ms). */
const batchSummary = (times: number[]) => {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (fraction: number): number => round(sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))]);
  return {
    count: sorted.length,
    medianMs: at(0.5),
    p99Ms: at(0.99),
    longestMs: round(sorted[sorted.length - 1]),
    over200Ms: sorted.filter((ms) => ms > 200).length,
  };
};

/** Starts watching person of `workspace`, its probe writer on the row in the middle of the key order. */
const watch = async (url: string, dataSource: DataSource, workspace: WorkspaceRow) => {
  const [{ id }] = await dataSource.query(
    `SELECT "id" FROM ${qualified(workspace.schemaName, 'person')} ORDER BY "id" OFFSET (SELECT count(*) / 2 FROM ${qualified(workspace.schemaName, 'person')}) LIMIT 1`,
  );
  return watchLocks(url, workspace.schemaName, 'person', id, 'jobTitle');
};

/**
 * Person `phone` and Note `body` as the moves of 0.25 leave them, values copied (not parsed or
 * rendered): the field rows keep their ids. Also what the search specs start from.
 */
export const asMovesLeaveIt = async (dataSource: DataSource, workspace: WorkspaceRow): Promise<void> => {
  const person = qualified(workspace.schemaName, 'person');
  const note = qualified(workspace.schemaName, 'note');
  await dataSource.transaction(async (manager) => {
    await manager.query(`ALTER TABLE ${note} ADD COLUMN "bodyV2Blocknote" text, ADD COLUMN "bodyV2Markdown" text`);
    await manager.query(`UPDATE ${note} SET "bodyV2Markdown" = "body"`);
    await manager.query(`ALTER TABLE ${note} DROP COLUMN "body"`);
    await manager.query(
      `ALTER TABLE ${person} ADD COLUMN "phonesPrimaryPhoneNumber" text, ADD COLUMN "phonesPrimaryPhoneCountryCode" text, ADD COLUMN "phonesAdditionalPhones" jsonb`,
    );
    await manager.query(
      `UPDATE ${person} SET "phonesPrimaryPhoneNumber" = "phone", "phonesPrimaryPhoneCountryCode" = '', "phonesAdditionalPhones" = '[]'::jsonb`,
    );
    await manager.query(`ALTER TABLE ${person} DROP COLUMN "phone"`);
    for (const [standardId, name, type] of [
      [PERSON_STANDARD_FIELD_IDS.phones, 'phones', 'PHONES'],
      [NOTE_STANDARD_FIELD_IDS.bodyV2, 'bodyV2', 'RICH_TEXT_V2'],
    ]) {
      await manager.query(`UPDATE metadata."fieldMetadata" SET "name" = $3, "type" = $4 WHERE "workspaceId" = $1 AND "standardId" = $2`, [
        workspace.id,
        standardId,
        name,
        type,
      ]);
    }
  });
};

/** The same work as plain SQL: one UPDATE per move, the search column added and filled in one UPDATE, one plain CREATE INDEX. */
const rawEquivalent = async (dataSource: DataSource, workspace: WorkspaceRow): Promise<Record<string, number>> => {
  const parts: Record<string, number> = {};
  let partStart = performance.now();
  const lap = (part: string) => {
    parts[part] = round(performance.now() - partStart);
    partStart = performance.now();
  };
  const person = qualified(workspace.schemaName, 'person');
  const snapshot = getVersionSnapshot('0.25');
  const declared = snapshot.objects.find((object) => object.standardId === STANDARD_OBJECT_IDS.person)!;
  const field = declared.fields.find((candidate) => candidate.type === FieldType.TS_VECTOR)!;
  const spec = searchVectorSpec('person', field, declared.fields);
  await dataSource.transaction(async (manager) => {
    await manager.query(
      `ALTER TABLE ${person} ADD COLUMN "phonesPrimaryPhoneNumber" text, ADD COLUMN "phonesPrimaryPhoneCountryCode" text, ADD COLUMN "phonesAdditionalPhones" jsonb`,
    );
    await manager.query(
      `UPDATE ${person} SET "phonesPrimaryPhoneNumber" = "phone", "phonesPrimaryPhoneCountryCode" = '', "phonesAdditionalPhones" = '[]'::jsonb`,
    );
    await manager.query(`ALTER TABLE ${person} DROP COLUMN "phone"`);
  });
  lap('phone move');
  await dataSource.transaction(async (manager) => {
    await manager.query(`ALTER TABLE ${person} ADD COLUMN ${quoteIdentifier(spec.column)} tsvector`);
    await manager.query(`UPDATE ${person} SET ${quoteIdentifier(spec.column)} = ${searchVectorExpression(spec, '')}`);
  });
  lap('search column');
  await dataSource.query(`CREATE INDEX "IDX_person_searchVector" ON ${person} USING GIN (${quoteIdentifier(spec.column)})`);
  lap('search index');
  return parts;
};

/** Every person filled, and the index valid. */
const expectSearchable = async (dataSource: DataSource, workspace: WorkspaceRow, rows: number): Promise<void> => {
  const [{ filled }] = await dataSource.query(
    `SELECT count(*)::int AS filled FROM ${qualified(workspace.schemaName, 'person')} WHERE "searchVector" IS NOT NULL`,
  );
  if (filled !== rows) throw new Error(`expected ${rows} people with a search vector, found ${filled}`);
  const [index] = await dataSource.query(
    `SELECT x.indisvalid AS "isValid" FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_namespace n ON n.oid = i.relnamespace
      WHERE n.nspname = $1 AND i.relname = 'IDX_person_searchVector'`,
    [workspace.schemaName],
  );
  if (!index?.isValid) throw new Error('the search index of person is missing or invalid');
};
