import { qualified, quoteIdentifier } from '../../database/sql';
import { UpgradeStepContext } from '../upgrade-step';

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

/**
 * Makes sure a valid index of that name exists. On a table of at least `concurrentIndexRows`
 * (estimated) rows it is built CONCURRENTLY, outside a transaction, so writers go on; a smaller
 * one is built in a transaction of its own. An invalid index of that name (an interrupted
 * concurrent build) is dropped and built again.
 */
export const ensureIndex = async (context: UpgradeStepContext, index: IndexDefinition): Promise<IndexBuild> => {
  const { connection } = context;
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
  // The build is one statement: its progress is its start and its end, over the estimated rows.
  context.options.onProgress?.({ task: 'index', done: 0, total: rows, finished: false });
  const create = `CREATE ${index.isUnique ? 'UNIQUE ' : ''}INDEX ${concurrently ? 'CONCURRENTLY ' : ''}${quoteIdentifier(index.name)} ON ${qualified(index.schema, index.table)}${index.using ? ` USING ${index.using}` : ''} (${index.keys})${index.where ? ` WHERE ${index.where}` : ''}`;
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
  context.options.onProgress?.({ task: 'index', done: rows, total: rows, finished: true });
  return { built: true, concurrently, droppedInvalid: live !== undefined };
};

export const dropIndex = async (context: UpgradeStepContext, schema: string, name: string): Promise<void> => {
  await context.connection.query(`DROP INDEX CONCURRENTLY IF EXISTS ${qualified(schema, name)}`);
};
