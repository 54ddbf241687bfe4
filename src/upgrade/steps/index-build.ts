import { DataSource } from 'typeorm';

import { qualified, quoteIdentifier } from '../../database/sql';
import { TaskProgress, UpgradeStepContext } from '../upgrade-step';

export const DEFAULT_CONCURRENT_INDEX_ROWS = 100_000;

export interface IndexDefinition {
  schema: string;
  table: string;
  name: string;
  isUnique: boolean;
  /** What goes between the parentheses: quoted columns or expressions. */
  keys: string;
  where?: string;
  /** The index method when not a B-tree (GIN for a search column). */
  using?: 'GIN';
}

export interface IndexBuild {
  built: boolean;
  concurrently: boolean;
  /** An invalid index of that name, left by an interrupted concurrent build, was dropped first. */
  droppedInvalid: boolean;
}

/** A row of pg_stat_progress_create_index: the phase of a running build and what it counts. */
export interface IndexBuildCounters {
  phase: string;
  blocksDone: number;
  blocksTotal: number;
  tuplesDone: number;
  tuplesTotal: number;
}

/**
 * A running build's progress as a task's: tuples while a phase counts them (loading the tree),
 * else blocks (scanning the table or the index), else none done of the estimated rows (a phase
 * that waits for other transactions, or sorts).
 */
export const indexBuildProgress = (counters: IndexBuildCounters, estimatedRows: number): Omit<TaskProgress, 'task' | 'finished'> => {
  if (counters.tuplesTotal > 0) return { done: counters.tuplesDone, total: counters.tuplesTotal, unit: 'rows', phase: counters.phase };
  if (counters.blocksTotal > 0) return { done: counters.blocksDone, total: counters.blocksTotal, unit: 'blocks', phase: counters.phase };
  return { done: 0, total: estimatedRows, unit: 'rows', phase: counters.phase };
};

const readCounters = async (dataSource: DataSource, pid: number): Promise<IndexBuildCounters | null> => {
  const runner = dataSource.createQueryRunner();
  try {
    const [row]: IndexBuildCounters[] = await runner.query(
      `SELECT phase, blocks_done::float8 AS "blocksDone", blocks_total::float8 AS "blocksTotal",
              tuples_done::float8 AS "tuplesDone", tuples_total::float8 AS "tuplesTotal"
         FROM pg_stat_progress_create_index WHERE pid = $1`,
      [pid],
    );
    return row ?? null;
  } finally {
    await runner.release();
  }
};

/**
 * Reads the progress of the build running on backend `pid` every `everyMs`, each time on a
 * connection of the pool taken for that read only, and reports it until the returned function is
 * called. A read still waiting for a connection when the build ends is not awaited: the
 * workspace's own connection may be the one it waits for; what it reads then is dropped.
 */
const watchBuild = (
  dataSource: DataSource,
  pid: number,
  everyMs: number,
  estimatedRows: number,
  report: (progress: TaskProgress) => void,
): (() => void) => {
  let stopped = false;
  let reading = false;
  const timer = setInterval(() => {
    if (reading) return;
    reading = true;
    readCounters(dataSource, pid)
      .then((counters) => {
        if (!stopped && counters) report({ task: 'index', ...indexBuildProgress(counters, estimatedRows), pid, finished: false });
      })
      // Progress is for show: a read that fails (the pool closing, a connection lost) costs the
      // build nothing, and the build reports its own errors.
      .catch(() => undefined)
      .finally(() => {
        reading = false;
      });
  }, everyMs);
  return () => {
    stopped = true;
    clearInterval(timer);
  };
};

/**
 * Makes sure a valid index of that name exists. On a table of at least `concurrentIndexRows`
 * (estimated) rows it is built CONCURRENTLY, outside a transaction, so writers go on; a smaller
 * one is built in a transaction of its own. An invalid index of that name (an interrupted
 * concurrent build) is dropped and built again. With `indexProgressMs` set, the build's phase and
 * its blocks or tuples done are reported while it runs (docs/operations.md).
 */
export const ensureIndex = async (context: UpgradeStepContext, index: IndexDefinition): Promise<IndexBuild> => {
  const { connection } = context;
  const { onProgress, indexProgressMs } = context.options;
  const [live]: Array<{ isValid: boolean }> = await connection.query(
    `SELECT x.indisvalid AS "isValid" FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_namespace n ON n.oid = i.relnamespace
      WHERE n.nspname = $1 AND i.relname = $2`,
    [index.schema, index.name],
  );
  if (live?.isValid) return { built: false, concurrently: false, droppedInvalid: false };
  if (live) await connection.query(`DROP INDEX CONCURRENTLY IF EXISTS ${qualified(index.schema, index.name)}`);
  const [{ rows }]: Array<{ rows: number }> = await connection.query(
    `SELECT greatest(c.reltuples, 0)::float8 AS "rows" FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2`,
    [index.schema, index.table],
  );
  const concurrently = rows >= (context.options.concurrentIndexRows ?? DEFAULT_CONCURRENT_INDEX_ROWS);
  let pid: number | undefined;
  if (onProgress && indexProgressMs !== undefined) {
    [{ pid }] = (await connection.query(`SELECT pg_backend_pid() AS pid`)) as Array<{ pid: number }>;
  }
  onProgress?.({ task: 'index', done: 0, total: rows, unit: 'rows', pid, finished: false });
  const create = `CREATE ${index.isUnique ? 'UNIQUE ' : ''}INDEX ${concurrently ? 'CONCURRENTLY ' : ''}${quoteIdentifier(index.name)} ON ${qualified(index.schema, index.table)}${index.using ? ` USING ${index.using}` : ''} (${index.keys})${index.where ? ` WHERE ${index.where}` : ''}`;
  // The build is one statement: while it runs, a second connection reads how far it is.
  const unwatch =
    onProgress && pid !== undefined ? watchBuild(connection.connection, pid, indexProgressMs!, rows, onProgress) : () => undefined;
  try {
    if (concurrently) {
      // A concurrent build takes as long as the table needs; it blocks no writer meanwhile.
      await connection.query(`SET statement_timeout = 0`);
      try {
        await connection.query(create);
      } finally {
        await connection.query(`RESET statement_timeout`);
      }
    } else {
      await context.transaction((manager) => manager.query(create));
    }
  } finally {
    unwatch();
  }
  onProgress?.({ task: 'index', done: rows, total: rows, unit: 'rows', pid, finished: true });
  return { built: true, concurrently, droppedInvalid: live !== undefined };
};

export const dropIndex = async (context: UpgradeStepContext, schema: string, name: string): Promise<void> => {
  await context.connection.query(`DROP INDEX CONCURRENTLY IF EXISTS ${qualified(schema, name)}`);
};
