import { performance } from 'node:perf_hooks';

import { Client } from 'pg';
import { DataSource } from 'typeorm';

import { qualified } from '../src/database/sql';
import { renderStatement } from '../src/database/sql-statement';
import { ActualStateRepository } from '../src/metadata/actual-state.repository';
import { WorkspaceRepository, WorkspaceRow } from '../src/metadata/workspace.repository';
import { buildStandardDeclarations } from '../src/standard-objects/standard-objects';
import { CURRENT_VERSION, getVersionSnapshot } from '../src/standard-objects/version-snapshots';
import { buildDesiredState } from '../src/sync/desired-state';
import { WorkspaceComparator } from '../src/sync/workspace.comparator';
import { UpgradeRunner } from '../src/upgrade/upgrade.runner';
import { BackendMemory, sampleBackendMemory } from './backend-memory';
import { admin, BENCH_ADMIN_URL, openBenchDatabase, round } from './bench-database';
import { CliRun, createWorkspacesFromPlan, runBuiltCli } from './bench-fleet';
import { measureCreation } from './create.bench';
import { crmSizedDeclarations } from './crm-sized-declarations';
import { eachConcurrently, withoutNewField } from './fleet-add-field.bench';

const FIELD = 'city';
/** The application_name of the raw loop's connection, by which its server process is found. */
const RAW_LOOP_APPLICATION_NAME = 'wms-bench-raw-loop';
const PEOPLE = 200;
const COMPANIES = 50;

const urlOf = (name: string): string => {
  const url = new URL(BENCH_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
};

const databaseNameOf = (url: string): string => new URL(url).pathname.slice(1);

/** A walk of the built CLI with the memory of its server processes sampled throughout. */
const walk = async (
  args: string[],
  env: Record<string, string>,
  options: { done?: string; checkpoint?: number; expect: string },
): Promise<{ cli: CliRun; backends: BackendMemory }> => {
  const sampler = await sampleBackendMemory(env.DATABASE_URL, options);
  let cli: CliRun;
  try {
    cli = await runBuiltCli(args, env);
  } catch (error) {
    await sampler.stop();
    throw error;
  }
  const backends = await sampler.stop();
  if (cli.code !== 0 || cli.lastLine !== options.expect) {
    throw new Error(`${args.join(' ')}: exit ${cli.code}, "${cli.lastLine}" (expected "${options.expect}")`);
  }
  return { cli, backends };
};

const figures = (run: { cli: CliRun; backends: BackendMemory }) => ({
  ms: round(run.cli.ms),
  cliPeakRssMb: run.cli.peakRssMb,
  backendPeakRssMb: run.backends.peakRssMb,
  ...(run.backends.peakRssAtCheckpointMb !== null ? { backendPeakRssAtCheckpointMb: run.backends.peakRssAtCheckpointMb } : {}),
  backendPeakOwnMb: run.backends.peakOwnMb,
  ...(run.backends.peakOwnAtCheckpointMb !== null ? { backendPeakOwnAtCheckpointMb: run.backends.peakOwnAtCheckpointMb } : {}),
  backendPeakPrivateMb: run.backends.peakAnonMb,
  ...(run.backends.peakAnonAtCheckpointMb !== null ? { backendPeakPrivateAtCheckpointMb: run.backends.peakAnonAtCheckpointMb } : {}),
  backendProcesses: run.backends.processes,
});

/**
 * The sync figures on n real workspaces (schema, tables, metadata, fingerprint), built from the
 * creation plan's SQL with the standard declarations minus person.city:
 * - one new field (person.city) on all: the built CLI at --concurrency 1 and 4, against the raw
 *   loop of the same script (each workspace's plan, read and rendered before the clock starts,
 *   sent as one script per workspace on one connection); once more at 4 with recycling off, to
 *   show what recycling keeps the server processes from;
 * - then the no-op sync of all through the CLI, against one query reading every fingerprint.
 */
const syncFigures = async (workspaces: number): Promise<Record<string, unknown>> => {
  const database = await openBenchDatabase(4);
  try {
    const { dataSource, url } = database;
    const declared = buildStandardDeclarations();
    const before = withoutNewField(declared);
    const beforeFingerprint = buildDesiredState(before).fingerprint;
    const after = buildDesiredState(declared);

    const buildStart = performance.now();
    const ids = await createWorkspacesFromPlan(dataSource, before, workspaces, 3);
    const fleetBuildMs = performance.now() - buildStart;
    await dataSource.query(`VACUUM ANALYZE core.workspace`);
    await dataSource.query(`VACUUM ANALYZE metadata."objectMetadata", metadata."fieldMetadata"`);
    const rows: WorkspaceRow[] = [];
    for (let start = 0; start < ids.length; start += 1_000) {
      rows.push(...(await new WorkspaceRepository(dataSource.manager).findByIds(ids.slice(start, start + 1_000))));
    }

    // The raw loop's scripts: each workspace's own plan, as the sync would make it.
    const scripts = new Map<string, string>();
    await eachConcurrently(rows, 4, async (workspace) => {
      const actual = await new ActualStateRepository(dataSource.manager).read(workspace.id, workspace.schemaName);
      const plan = WorkspaceComparator.compare(after, actual);
      if (plan.actions.length !== 1 || plan.refusals.length > 0) throw new Error(`unexpected plan for ${workspace.id}`);
      scripts.set(
        workspace.id,
        [
          `BEGIN`,
          ...plan.actions.flatMap((action) => action.statements.map(renderStatement)),
          `UPDATE core.workspace SET "fingerprint" = '${after.fingerprint}' WHERE "id" = '${workspace.id}'`,
          `COMMIT`,
        ].join(';\n'),
      );
    });

    const synced = `SELECT count(*) AS n FROM core.workspace WHERE "fingerprint" = '${after.fingerprint}'`;
    const checkpoint = Math.min(1_000, Math.floor(workspaces / 2));
    const newFieldSampling = { done: synced, checkpoint };
    const verify = async (what: string) => {
      const [{ n }] = await dataSource.query(synced);
      const [{ fields }] = await dataSource.query(`SELECT count(*)::int AS fields FROM metadata."fieldMetadata" WHERE "name" = $1`, [
        FIELD,
      ]);
      if (Number(n) !== workspaces || fields !== workspaces) {
        throw new Error(`${what}: ${n} fingerprints and ${fields} ${FIELD} fields for ${workspaces} workspaces`);
      }
    };
    // Takes the field away again (metadata rows and fingerprints in one statement each, the
    // columns in scripts of 100), untimed, and checkpoints.
    const takeAway = async () => {
      await dataSource.query(
        `DELETE FROM metadata."fieldMetadata" f USING metadata."objectMetadata" o
          WHERE f."objectMetadataId" = o."id" AND o."nameSingular" = 'person' AND f."name" = $1`,
        [FIELD],
      );
      await dataSource.query(`UPDATE core.workspace SET "fingerprint" = $1`, [beforeFingerprint]);
      const chunks: WorkspaceRow[][] = [];
      for (let start = 0; start < rows.length; start += 100) chunks.push(rows.slice(start, start + 100));
      await eachConcurrently(chunks, 2, async (chunk) => {
        await dataSource.query(chunk.map((row) => `ALTER TABLE ${qualified(row.schemaName, 'person')} DROP COLUMN "${FIELD}"`).join(';\n'));
      });
      await dataSource.query(`VACUUM ANALYZE core.workspace`);
      await dataSource.query('CHECKPOINT');
    };

    await dataSource.query('CHECKPOINT');
    // The raw loop runs on a new connection of its own, whose server process is sampled as the
    // CLI's are: the same work without the service, for what that memory would be without it.
    const connection = new Client({ connectionString: url, application_name: RAW_LOOP_APPLICATION_NAME });
    await connection.connect();
    const rawSampler = await sampleBackendMemory(url, { ...newFieldSampling, applicationName: RAW_LOOP_APPLICATION_NAME });
    const rawStart = performance.now();
    try {
      for (const row of rows) await connection.query(scripts.get(row.id)!);
    } finally {
      await connection.end();
    }
    const rawLoopMs = performance.now() - rawStart;
    const rawBackend = await rawSampler.stop();
    await verify('raw loop');

    const all = `${workspaces} succeeded, 0 failed, 0 skipped`;
    // DATABASE_RECYCLE_AFTER of the bench's environment, when set, goes to the CLI's walks too.
    const recycleAfter = process.env.DATABASE_RECYCLE_AFTER;
    const env = { DATABASE_URL: url, ...(recycleAfter ? { DATABASE_RECYCLE_AFTER: recycleAfter } : {}) };
    const newField = { ...newFieldSampling, expect: all };
    await takeAway();
    const cli1 = await walk(['workspace:sync-metadata', '--concurrency', '1'], env, newField);
    await verify('CLI at --concurrency 1');
    await takeAway();
    const cli4 = await walk(['workspace:sync-metadata', '--concurrency', '4'], env, newField);
    await verify('CLI at --concurrency 4');
    await takeAway();
    const cli4NoRecycling = await walk(
      ['workspace:sync-metadata', '--concurrency', '4'],
      { ...env, DATABASE_RECYCLE_AFTER: '0' },
      newField,
    );
    await verify('CLI at --concurrency 4 without recycling');

    const noop = await walk(['workspace:sync-metadata'], env, { expect: all });
    const scanStart = performance.now();
    await dataSource.query(`SELECT "id", "fingerprint" FROM core.workspace ORDER BY "id"`);
    const scanMs = performance.now() - scanStart;

    return {
      fleetBuildMs: round(fleetBuildMs),
      checkpointWorkspaces: checkpoint,
      noopSync: { ...figures(noop), baselineFingerprintScanMs: round(scanMs), ratio: round(noop.cli.ms / scanMs) },
      newField: {
        baselineRawLoopMs: round(rawLoopMs),
        baselineRawLoopBackend: {
          peakRssMb: rawBackend.peakRssMb,
          peakRssAtCheckpointMb: rawBackend.peakRssAtCheckpointMb,
          peakOwnMb: rawBackend.peakOwnMb,
          peakOwnAtCheckpointMb: rawBackend.peakOwnAtCheckpointMb,
          peakPrivateMb: rawBackend.peakAnonMb,
          peakPrivateAtCheckpointMb: rawBackend.peakAnonAtCheckpointMb,
        },
        cliConcurrency1: { ...figures(cli1), ratio: round(cli1.cli.ms / rawLoopMs) },
        cliConcurrency4: { ...figures(cli4), ratio: round(cli4.cli.ms / rawLoopMs) },
        cliConcurrency4WithoutRecycling: { ...figures(cli4NoRecycling), ratio: round(cli4NoRecycling.cli.ms / rawLoopMs) },
      },
    };
  } finally {
    await database.drop();
  }
};

/** A bound value as text, as pg sends it (arrays as array literals, objects as JSON); null for NULL. */
const boundText = (value: unknown): string | null => {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) {
    const element = (item: unknown) => {
      const text = boundText(item);
      return text === null ? 'NULL' : `"${text.replace(/["\\]/g, '\\$&')}"`;
    };
    return `{${value.map(element).join(',')}}`;
  }
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
};

/** A pg client that renders every query it sends, parameters inlined, into `log`. */
const capturingClient = (log: string[]): typeof Client =>
  class CapturingClient extends Client {
    constructor(...args: ConstructorParameters<typeof Client>) {
      super(...args);
      const query = super.query.bind(this) as (...queryArgs: unknown[]) => unknown;
      this.query = ((...queryArgs: unknown[]) => {
        const [config, values] = queryArgs as [string | { text?: string; values?: unknown[] }, unknown];
        const text = typeof config === 'string' ? config : config.text;
        if (typeof text !== 'string') throw new Error('a query without text (a stream) cannot be captured');
        const params = typeof config === 'string' ? values : (config.values ?? values);
        log.push(renderStatement({ sql: text, params: Array.isArray(params) ? params.map(boundText) : [] }));
        return query(...queryArgs);
      }) as Client['query'];
    }
  };

/**
 * upgrade:latest of `count` workspaces created at 0.22 with 200 people and 50 companies each: the
 * built CLI at --concurrency 1 and 4, against the SQL the upgrade ran, captured (every query of
 * an in-process run, parameters inlined) and replayed as one script per workspace on one
 * connection. Each run starts from its own copy of the same fleet (CREATE DATABASE ... TEMPLATE).
 */
const upgradeFigures = async (count: number): Promise<Record<string, unknown>> => {
  const template = await openBenchDatabase(4);
  const templateName = databaseNameOf(template.url);
  const copies: string[] = [];
  let templateOpen = true;
  try {
    const declared = getVersionSnapshot('0.22');
    const buildStart = performance.now();
    const ids = await createWorkspacesFromPlan(template.dataSource, declared, count, 3);
    const rows = await new WorkspaceRepository(template.dataSource.manager).findByIds(ids);
    await eachConcurrently(rows, 3, async (workspace) => {
      const company = qualified(workspace.schemaName, 'company');
      const person = qualified(workspace.schemaName, 'person');
      await template.dataSource.query(
        [
          `INSERT INTO ${company} ("name", "domainNameUrl", "address", "position")
           SELECT 'Company ' || n, 'company' || n || '.example.com', n || ' Main Street', n FROM generate_series(1, ${COMPANIES}) AS n`,
          `INSERT INTO ${person} ("nameFirstName", "nameLastName", "email", "jobTitle", "companyId", "position")
           SELECT 'First' || n, 'Last' || n, 'person' || n || '@company' || (1 + n % ${COMPANIES}) || '.example.com', 'Engineer',
                  (SELECT "id" FROM ${company} WHERE "position" = 1 + n % ${COMPANIES}), n
             FROM generate_series(1, ${PEOPLE}) AS n`,
        ].join(';\n'),
      );
    });
    await template.dataSource.query('VACUUM ANALYZE');
    const fleetBuildMs = performance.now() - buildStart;
    await template.dataSource.destroy();
    templateOpen = false;

    const copy = async (suffix: string): Promise<string> => {
      const name = `${templateName}_${suffix}`;
      copies.push(name);
      await admin(`CREATE DATABASE "${name}" TEMPLATE "${templateName}" STRATEGY FILE_COPY`);
      return urlOf(name);
    };
    const openCopy = async (url: string, client?: typeof Client): Promise<DataSource> =>
      new DataSource({ type: 'postgres', url, extra: { max: 1, ...(client ? { Client: client } : {}) } }).initialize();
    const verify = async (url: string, what: string) => {
      const dataSource = await openCopy(url);
      try {
        const [{ upgraded, emails }] = await dataSource.query(
          `SELECT (SELECT count(*)::int FROM core.workspace WHERE "version" = $1) AS upgraded,
                  (SELECT count(*)::int FROM metadata."fieldMetadata" WHERE "name" = 'emails') AS emails`,
          [CURRENT_VERSION],
        );
        if (upgraded !== count || emails !== count)
          throw new Error(`${what}: ${upgraded} workspaces at ${CURRENT_VERSION}, ${emails} emails fields`);
      } finally {
        await dataSource.destroy();
      }
    };

    // The capture: an in-process upgrade, workspace after workspace, every query recorded.
    const captureUrl = await copy('capture');
    const log: string[] = [];
    const captured = await openCopy(captureUrl, capturingClient(log));
    // One script per workspace, but for the statements that cannot run inside a transaction block
    // (CREATE/DROP INDEX CONCURRENTLY), which go on their own between its parts.
    const scripts: string[][] = [];
    const toScripts = (queries: string[]): string[] => {
      const parts: string[][] = [[]];
      for (const query of queries) {
        if (/\bCONCURRENTLY\b/i.test(query)) parts.push([query], []);
        else parts[parts.length - 1].push(query);
      }
      return parts.filter((part) => part.length > 0).map((part) => part.join(';\n'));
    };
    let inProcessMs = 0;
    try {
      const runner = new UpgradeRunner(captured);
      for (const workspace of await new WorkspaceRepository(captured.manager).findByIds(ids)) {
        log.length = 0;
        const start = performance.now();
        const outcome = await runner.upgradeToLatest(workspace, {});
        inProcessMs += performance.now() - start;
        if (outcome.status !== 'upgraded') throw new Error(`in-process upgrade of ${workspace.id}: ${outcome.status} ${outcome.message}`);
        scripts.push(toScripts(log));
      }
    } finally {
      await captured.destroy();
    }
    await verify(captureUrl, 'in-process upgrade');
    const queriesPerWorkspace = round(scripts.reduce((sum, parts) => sum + parts.join(';\n').split(';\n').length, 0) / scripts.length, 1);
    const roundTripsPerWorkspace = round(scripts.reduce((sum, parts) => sum + parts.length, 0) / scripts.length, 1);

    const replayUrl = await copy('replay');
    const replay = await openCopy(replayUrl);
    const replayStart = performance.now();
    try {
      for (const parts of scripts) for (const part of parts) await replay.query(part);
    } finally {
      await replay.destroy();
    }
    const replayMs = performance.now() - replayStart;
    await verify(replayUrl, 'replayed SQL');

    const all = `${count} succeeded, 0 failed, 0 skipped`;
    const upgradeAt = async (concurrency: number) => {
      const url = await copy(`c${concurrency}`);
      const run = await walk(['upgrade:latest', '--concurrency', String(concurrency)], { DATABASE_URL: url }, { expect: all });
      await verify(url, `CLI at --concurrency ${concurrency}`);
      return run;
    };
    const cli1 = await upgradeAt(1);
    const cli4 = await upgradeAt(4);
    return {
      workspaces: count,
      recordsPerWorkspace: { people: PEOPLE, companies: COMPANIES },
      fleetBuildMs: round(fleetBuildMs),
      queriesPerWorkspace,
      replayRoundTripsPerWorkspace: roundTripsPerWorkspace,
      baselineReplayedSqlMs: round(replayMs),
      inProcessConcurrency1Ms: round(inProcessMs),
      cliConcurrency1: { ...figures(cli1), ratio: round(cli1.cli.ms / replayMs) },
      cliConcurrency4: { ...figures(cli4), ratio: round(cli4.cli.ms / replayMs) },
    };
  } finally {
    if (templateOpen) await template.dataSource.destroy();
    for (const name of copies) await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin(`DROP DATABASE IF EXISTS "${templateName}" WITH (FORCE)`);
  }
};

/**
 * Creating one workspace with a declaration set of a real CRM's size (the standard set copied to
 * 44 objects), no prefill, against the same plan's SQL as one raw script; medians of `iterations`.
 */
const crmCreationFigures = async (iterations: number): Promise<Record<string, unknown>> => {
  const declared = crmSizedDeclarations(buildStandardDeclarations());
  return {
    objects: declared.objects.length,
    fields: declared.objects.reduce((sum, object) => sum + object.fields.length, 0),
    ...(await measureCreation(declared, iterations, 'ratio <= 1.3')),
  };
};

const wholeNumber = (value: string | undefined, fallback: number, what: string): number => {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw new Error(`${what} must be a whole number (0 leaves that part out); got "${value}"`);
  return Number(value);
};

/**
 * `fleet-real [n] [upgraded] [creations]`: a fleet as it really is, n workspaces (default 10,000)
 * each with its schema and tables; upgrades of `upgraded` (default 1,000, at most n) workspaces
 * created at 0.22 with records; creations with a CRM-sized set (`creations` runs, default 10).
 * 0 leaves a part out. Every figure beside its baseline, measured in this run; each part's figures
 * are also printed on stderr as soon as they are known.
 */
export const fleetRealBenchmark = async (args: string[]): Promise<Record<string, unknown>> => {
  const workspaces = wholeNumber(args[0], 10_000, 'n');
  const upgraded = wholeNumber(args[1], Math.min(1_000, workspaces), 'upgraded');
  const creations = wholeNumber(args[2], 10, 'creations');
  const part = async (name: string, size: number, measure: (size: number) => Promise<Record<string, unknown>>) => {
    if (size === 0) return {};
    const figures = await measure(size);
    process.stderr.write(`${JSON.stringify({ [name]: figures })}\n`);
    return { [name]: figures };
  };
  return {
    workspaces,
    ...(await part('sync', workspaces, syncFigures)),
    ...(await part('upgrade', upgraded, upgradeFigures)),
    ...(await part('crmCreation', creations, crmCreationFigures)),
    targets:
      'noop CLI < 3 s; new field CLI <= 1.3x raw loop at 1, < 1x at 4; upgrade CLI <= 1.5x replayed SQL at 1; CLI RSS < 300 MB; largest backend < 150 MB of its own (RSS but the shared buffer pool), flat from 1,000 to n; CRM-sized creation <= 1.3x raw script',
  };
};
