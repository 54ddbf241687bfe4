import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

import { DataSource } from 'typeorm';

import { DeclaredSchema } from '../src/declarations/declared-schema';
import { emptyActualState } from '../src/metadata/actual-state';
import { DeclaredStateRepository } from '../src/metadata/declared-state.repository';
import { buildDesiredState, DesiredState } from '../src/sync/desired-state';
import { WorkspaceComparator } from '../src/sync/workspace.comparator';
import { schemaNameFor } from '../src/metadata/column-layout';
import { renderStatement } from '../src/database/sql-statement';

/**
 * Fleets for the benchmarks, built faster than the creation hook would (which also writes views
 * and prefill records, and plans each workspace on its own).
 */

/**
 * The creation plan of a workspace `id` as one raw SQL script (workspace row, DDL and metadata,
 * fingerprint, in one transaction), and how many statements the plan holds: the floor a
 * creation is measured against.
 */
export const creationScript = (
  declared: DeclaredSchema,
  desired: DesiredState,
  id: string,
  displayName: string,
): { script: string; statements: number } => {
  const schemaName = schemaNameFor(id);
  const plan = WorkspaceComparator.compare(desired, emptyActualState(id, schemaName));
  const statements = plan.actions.flatMap((action) => action.statements.map(renderStatement));
  const script = [
    `BEGIN`,
    `INSERT INTO core.workspace ("id", "displayName", "schemaName", "version") VALUES ('${id}', '${displayName}', '${schemaName}', '${declared.version}')`,
    ...statements,
    `UPDATE core.workspace SET "fingerprint" = '${desired.fingerprint}' WHERE "id" = '${id}'`,
    `COMMIT`,
  ].join(';\n');
  return { script, statements: statements.length };
};

/**
 * Creates `count` complete workspaces (row, schema, tables, metadata, fingerprint with its recorded
 * declared state) from `declared`:
 * the creation plan's own SQL, rendered for each workspace and sent as one script, on
 * `connections` connections at once. Returns the workspaces' ids.
 */
export const createWorkspacesFromPlan = async (
  dataSource: DataSource,
  declared: DeclaredSchema,
  count: number,
  connections = 2,
): Promise<string[]> => {
  const desired = buildDesiredState(declared);
  // As the creation hook does: the declared state the fingerprint stands for is recorded.
  await new DeclaredStateRepository(dataSource).record(dataSource.manager, desired);
  const ids: string[] = [];
  let next = 0;
  const create = async () => {
    while (next < count) {
      const index = next++;
      const id = randomUUID();
      await dataSource.query(creationScript(declared, desired, id, `fleet ${index}`).script);
      ids.push(id);
    }
  };
  await Promise.all(Array.from({ length: connections }, create));
  return ids.sort();
};

/** Column lists of a table, each column replaced by an expression when `replace` names it. */
const cloneSelect = async (
  dataSource: DataSource,
  table: string,
  replace: Record<string, string>,
): Promise<{ columns: string; select: string }> => {
  const [schema, name] = table.split('.');
  const rows: Array<{ column: string }> = await dataSource.query(
    `SELECT column_name AS "column" FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
    [schema, name.replace(/"/g, '')],
  );
  return {
    columns: rows.map(({ column }) => `"${column}"`).join(', '),
    select: rows.map(({ column }) => replace[column] ?? `s."${column}"`).join(', '),
  };
};

/**
 * Grows a fleet to `total` workspaces by cloning the rows of the `seeds` (core.workspace and every
 * metadata row, ids remapped per clone) with INSERT ... SELECT, `chunk` clones per statement. The
 * clones have no schema of their own: for a no-op sync that is enough, since a workspace whose
 * fingerprint matches is settled from its core.workspace row alone.
 */
export const cloneWorkspaceRows = async (dataSource: DataSource, seeds: string[], total: number, chunk = 1_000): Promise<void> => {
  const remap = (column: string) => `CASE WHEN s."${column}" IS NULL THEN NULL ELSE md5(s."${column}"::text || c."id"::text)::uuid END`;
  const objects = await cloneSelect(dataSource, 'metadata.objectMetadata', {
    id: remap('id'),
    workspaceId: 'c."id"',
    labelIdentifierFieldMetadataId: remap('labelIdentifierFieldMetadataId'),
  });
  const fields = await cloneSelect(dataSource, 'metadata.fieldMetadata', {
    id: remap('id'),
    workspaceId: 'c."id"',
    objectMetadataId: remap('objectMetadataId'),
    relationTargetObjectMetadataId: remap('relationTargetObjectMetadataId'),
    relationTargetFieldMetadataId: remap('relationTargetFieldMetadataId'),
  });
  const indexes = await cloneSelect(dataSource, 'metadata.indexMetadata', {
    id: remap('id'),
    workspaceId: 'c."id"',
    objectMetadataId: remap('objectMetadataId'),
  });
  for (let done = seeds.length; done < total; done += chunk) {
    const count = Math.min(chunk, total - done);
    await dataSource.transaction(async (manager) => {
      await manager.query(
        `CREATE TEMP TABLE clone ON COMMIT DROP AS
           SELECT gen_random_uuid() AS "id", ($1::uuid[])[1 + (n % cardinality($1::uuid[]))] AS "seedId", n
             FROM generate_series($2::int, $3::int) AS n`,
        [seeds, done, done + count - 1],
      );
      await manager.query(
        `INSERT INTO core.workspace ("id", "displayName", "schemaName", "activationStatus", "version", "fingerprint", "featureFlags")
         SELECT c."id", 'clone ' || c.n, 'workspace_clone' || c.n, w."activationStatus", w."version", w."fingerprint", w."featureFlags"
           FROM clone c JOIN core.workspace w ON w."id" = c."seedId"`,
      );
      for (const [table, clone] of [
        ['metadata."objectMetadata"', objects],
        ['metadata."fieldMetadata"', fields],
        ['metadata."indexMetadata"', indexes],
      ] as const) {
        await manager.query(
          `INSERT INTO ${table} (${clone.columns}) SELECT ${clone.select} FROM clone c JOIN ${table} s ON s."workspaceId" = c."seedId"`,
        );
      }
    });
  }
  await dataSource.query(`VACUUM ANALYZE core.workspace`);
};

export interface CliRun {
  ms: number;
  code: number | null;
  peakRssMb: number;
  stdoutLines: number;
  lastLine: string;
  /** JSON log lines it wrote on stderr. */
  logLines: number;
}

/**
 * Runs the built CLI as an operator would (`node dist/src/main.js ...`), timing it from spawn to
 * exit (start-up included), and reads the child's peak RSS, which a preloaded module reports at exit.
 */
export const runBuiltCli = (args: string[], env: Record<string, string>): Promise<CliRun> =>
  new Promise((resolvePromise, reject) => {
    const entry = resolve(__dirname, '..', 'src', 'main.js');
    const preload = resolve(__dirname, 'report-peak-rss.js');
    const start = performance.now();
    const child = spawn(process.execPath, ['--require', preload, entry, ...args], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdoutLines = 0;
    let lastLine = '';
    let partial = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      stdoutLines += lines.length;
      if (lines.length > 0) lastLine = lines[lines.length - 1];
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - start;
      const rss = /peak-rss-mb=(\d+)/.exec(stderr);
      if (code !== 0 && code !== 1) {
        reject(new Error(`CLI ${args.join(' ')} exited ${code}: ${stderr.slice(-500)}`));
        return;
      }
      const logLines = stderr.split('\n').filter((line) => line.startsWith('{')).length;
      resolvePromise({ ms, code, peakRssMb: rss ? Number(rss[1]) : NaN, stdoutLines, lastLine, logLines });
    });
  });
