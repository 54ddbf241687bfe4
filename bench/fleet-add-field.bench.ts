import { performance } from 'node:perf_hooks';

import { qualified } from '../src/database/sql';
import { DeclaredSchema } from '../src/declarations/declared-schema';
import { buildStandardDeclarations } from '../src/standard-objects/standard-objects';
import { STANDARD_OBJECT_IDS } from '../src/standard-objects/standard-ids.constant';
import { ActualStateRepository } from '../src/metadata/actual-state.repository';
import { buildDesiredState } from '../src/sync/desired-state';
import { WorkspaceComparator } from '../src/sync/workspace.comparator';
import { WorkspaceSyncService } from '../src/sync/workspace-sync.service';
import { WorkspaceFleetRunner } from '../src/workspace/workspace-fleet.runner';
import { WorkspaceRepository, WorkspaceRow } from '../src/metadata/workspace.repository';
import { median, openBenchDatabase, round } from './bench-database';
import { CliRun, createWorkspacesFromPlan, runBuiltCli } from './bench-fleet';
import { renderStatement } from '../src/database/sql-statement';

const OBJECT = 'person';
const FIELD = 'city';

/** The standard declarations as they were before person.city was declared. */
export const withoutNewField = (declared: DeclaredSchema): DeclaredSchema => ({
  ...declared,
  objects: declared.objects.map((object) =>
    object.standardId === STANDARD_OBJECT_IDS.person
      ? { ...object, fields: object.fields.filter((field) => field.name !== FIELD) }
      : object,
  ),
});

/** Runs `work` on every item, `connections` at a time. */
export const eachConcurrently = async <T>(items: T[], connections: number, work: (item: T) => Promise<void>): Promise<void> => {
  let next = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
};

/**
 * One new standard field (person.city, TEXT) across n workspaces (default 1,000), synced
 * - by the fleet runner and sync service in this process at concurrency 1, as the raw loops run:
 *   the like-for-like figure;
 * - by the built CLI's `workspace:sync-metadata` at --concurrency 1 and 2, start-up included
 *   (cliNoopMs: the same command on the fleet once in sync, which is mostly start-up), each
 *   with its peak RSS;
 * against a raw loop that sends, workspace after workspace, the same ALTER TABLE and INSERT the
 * sync's plan holds (and the fingerprint update) as one script in one transaction, and against
 * the same loop sending the statements one by one (BEGIN, ALTER TABLE, INSERT, UPDATE, COMMIT).
 * Both are prepared before the clock starts.
 *
 * The fleet is built from the creation plan's SQL (no views, no prefill) with the declarations
 * minus person.city. Between runs the field is taken away again (metadata row, column,
 * fingerprint) and a CHECKPOINT is made, untimed. The five runs are repeated in `rounds` rounds
 * (default 3), interleaved; the figures are medians, and every sample is printed too.
 */
export const fleetAddFieldBenchmark = async (args: string[]): Promise<Record<string, unknown>> => {
  const workspaces = Number(args[0] ?? 1_000);
  const rounds = Number(args[1] ?? 3);
  const database = await openBenchDatabase(4);
  try {
    const { dataSource } = database;
    const declared = buildStandardDeclarations();
    const before = withoutNewField(declared);
    const beforeFingerprint = buildDesiredState(before).fingerprint;
    const afterDesired = buildDesiredState(declared);
    const createStart = performance.now();
    const ids = await createWorkspacesFromPlan(dataSource, before, workspaces);
    const createMs = performance.now() - createStart;
    await dataSource.query(`VACUUM ANALYZE core.workspace`);

    const rows = async (): Promise<WorkspaceRow[]> => new WorkspaceRepository(dataSource.manager).findByIds(ids);
    const takeAway = async () =>
      eachConcurrently(await rows(), 2, async (workspace) => {
        await dataSource.query(
          [
            `BEGIN`,
            `DELETE FROM metadata."fieldMetadata" f USING metadata."objectMetadata" o
              WHERE f."objectMetadataId" = o."id" AND o."workspaceId" = '${workspace.id}' AND o."nameSingular" = '${OBJECT}' AND f."name" = '${FIELD}'`,
            `ALTER TABLE ${qualified(workspace.schemaName, OBJECT)} DROP COLUMN "${FIELD}"`,
            `UPDATE core.workspace SET "fingerprint" = '${beforeFingerprint}' WHERE "id" = '${workspace.id}'`,
            `COMMIT`,
          ].join(';\n'),
        );
      });
    const verify = async (what: string) => {
      const [{ fields, synced }] = await dataSource.query(
        `SELECT (SELECT count(*)::int FROM metadata."fieldMetadata" WHERE "name" = $1) AS fields,
                (SELECT count(*)::int FROM core.workspace WHERE "fingerprint" = $2) AS synced`,
        [FIELD, afterDesired.fingerprint],
      );
      if (fields !== workspaces || synced !== workspaces) {
        throw new Error(
          `${what}: expected ${workspaces} workspaces with ${OBJECT}.${FIELD}, found ${fields} field rows and ${synced} fingerprints`,
        );
      }
    };

    // The raw loops: each workspace's own plan (read and planned before timing), sent as one
    // script, and statement by statement as a hand-written loop would.
    const scripts: string[] = [];
    const statements: Array<Array<{ sql: string; params: unknown[] }>> = [];
    for (const workspace of await rows()) {
      const actual = await new ActualStateRepository(dataSource.manager).read(workspace.id, workspace.schemaName);
      const plan = WorkspaceComparator.compare(afterDesired, actual);
      if (plan.actions.length !== 1 || plan.refusals.length > 0)
        throw new Error(`unexpected plan for ${workspace.id}: ${plan.actions.map((a) => a.summary).join('; ')}`);
      statements.push([
        ...plan.actions.flatMap((action) => action.statements.map((statement) => ({ sql: statement.sql, params: statement.params ?? [] }))),
        { sql: `UPDATE core.workspace SET "fingerprint" = $1 WHERE "id" = $2`, params: [afterDesired.fingerprint, workspace.id] },
      ]);
      scripts.push(
        [
          `BEGIN`,
          ...plan.actions.flatMap((action) => action.statements.map(renderStatement)),
          `UPDATE core.workspace SET "fingerprint" = '${afterDesired.fingerprint}' WHERE "id" = '${workspace.id}'`,
          `COMMIT`,
        ].join(';\n'),
      );
    }
    const statementsPerWorkspace = scripts[0].split(';\n').length - 2;

    const rawLoop = async (): Promise<number> => {
      const start = performance.now();
      for (const script of scripts) await dataSource.query(script);
      const ms = performance.now() - start;
      await verify('raw loop');
      return ms;
    };
    const rawStatements = async (): Promise<number> => {
      const connection = dataSource.createQueryRunner();
      await connection.connect();
      const start = performance.now();
      try {
        for (const workspaceStatements of statements) {
          await connection.startTransaction();
          for (const statement of workspaceStatements) await connection.query(statement.sql, statement.params);
          await connection.commitTransaction();
        }
      } finally {
        await connection.release();
      }
      const ms = performance.now() - start;
      await verify('raw loop, statement by statement');
      return ms;
    };
    const syncInProcess = async (): Promise<number> => {
      const service = new WorkspaceSyncService(dataSource, declared);
      const start = performance.now();
      const summary = await new WorkspaceFleetRunner(dataSource.manager).run(
        {},
        async (workspace) => {
          const outcome = await service.sync(workspace);
          return { status: outcome.status === 'applied' ? 'succeeded' : 'failed', detail: null, message: outcome.message };
        },
        { concurrency: 1, continueOnError: true },
      );
      const ms = performance.now() - start;
      if (summary.succeeded !== workspaces) throw new Error(`sync in process: ${summary.succeeded} of ${workspaces} workspaces applied`);
      await verify('sync in process');
      return ms;
    };
    const syncAt = async (concurrency: number): Promise<CliRun> => {
      const run = await runBuiltCli(['workspace:sync-metadata', '--concurrency', String(concurrency)], { DATABASE_URL: database.url });
      if (run.code !== 0 || run.lastLine !== `${workspaces} succeeded, 0 failed, 0 skipped`) {
        throw new Error(`sync at concurrency ${concurrency}: exit ${run.code}, "${run.lastLine}"`);
      }
      await verify(`sync at concurrency ${concurrency}`);
      return run;
    };

    // Rounds of the four runs, interleaved so that a slow spell of a shared machine falls on all of
    // them alike; each run starts from a checkpoint, so none pays for the writes of the one before.
    const samples = {
      raw: [] as number[],
      rawStatements: [] as number[],
      inProcess1: [] as number[],
      cli1: [] as CliRun[],
      cli2: [] as CliRun[],
    };
    const runs: Array<() => Promise<void>> = [
      async () => {
        samples.raw.push(await rawLoop());
      },
      async () => {
        samples.rawStatements.push(await rawStatements());
      },
      async () => {
        samples.inProcess1.push(await syncInProcess());
      },
      async () => {
        samples.cli1.push(await syncAt(1));
      },
      async () => {
        samples.cli2.push(await syncAt(2));
      },
    ];
    for (let round = 0; round < rounds; round += 1) {
      for (const [index, run] of runs.entries()) {
        if (round > 0 || index > 0) await takeAway();
        await dataSource.query('CHECKPOINT');
        await run();
      }
    }
    // The fleet is in sync: the command has nothing to do but start, list and stop.
    const noop = await runBuiltCli(['workspace:sync-metadata'], { DATABASE_URL: database.url });
    if (noop.code !== 0) throw new Error(`sync of the fleet in sync: exit ${noop.code}, "${noop.lastLine}"`);

    const rawMs = median(samples.raw);
    const rawStepsMs = median(samples.rawStatements);
    const inProcess1Ms = median(samples.inProcess1);
    const cli1Ms = median(samples.cli1.map((run) => run.ms));
    const cli2Ms = median(samples.cli2.map((run) => run.ms));
    const rounded = (values: number[]) => values.map((value) => round(value));
    return {
      workspaces,
      rounds,
      fleetBuildMs: round(createMs),
      statementsPerWorkspace,
      baselineRawLoopMs: round(rawMs),
      baselineRawStatementsMs: round(rawStepsMs),
      inProcessConcurrency1Ms: round(inProcess1Ms),
      ratioInProcess1: round(inProcess1Ms / rawMs),
      cliConcurrency1Ms: round(cli1Ms),
      ratioCli1: round(cli1Ms / rawMs),
      cliConcurrency2Ms: round(cli2Ms),
      ratioCli2: round(cli2Ms / rawMs),
      cliNoopMs: round(noop.ms),
      ratiosToStatements: {
        inProcess1: round(inProcess1Ms / rawStepsMs),
        cli1: round(cli1Ms / rawStepsMs),
        cli2: round(cli2Ms / rawStepsMs),
      },
      perWorkspaceMs: {
        raw: round(rawMs / workspaces, 3),
        inProcess1: round(inProcess1Ms / workspaces, 3),
        cli1: round(cli1Ms / workspaces, 3),
        cli2: round(cli2Ms / workspaces, 3),
      },
      samplesMs: {
        raw: rounded(samples.raw),
        rawStatements: rounded(samples.rawStatements),
        inProcess1: rounded(samples.inProcess1),
        cli1: rounded(samples.cli1.map((run) => run.ms)),
        cli2: rounded(samples.cli2.map((run) => run.ms)),
      },
      cliPeakRssMb: {
        cli1: Math.max(...samples.cli1.map((run) => run.peakRssMb)),
        cli2: Math.max(...samples.cli2.map((run) => run.peakRssMb)),
      },
      target: 'ratioInProcess1 <= 1.5 (like for like: both in this process); ratioCli2 < ratioCli1; peak RSS < 300 MB',
    };
  } finally {
    await database.drop();
  }
};
