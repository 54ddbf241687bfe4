import { EntityManager } from 'typeorm';

type PgResult = { rows: unknown[] };
interface PgConnection {
  query(config: { name: string; text: string; values: unknown[] }): Promise<PgResult>;
  query(text: string): Promise<PgResult | PgResult[]>;
}

const connectionOf = async (manager: EntityManager, what: string): Promise<PgConnection> => {
  const runner = manager.queryRunner;
  if (!runner || runner.isReleased) throw new Error(`${what} needs a connection of its own (a query runner)`);
  return (await runner.connect()) as PgConnection;
};

/**
 * Runs a query of fixed text as a named prepared statement on the connection the manager is bound
 * to: the server parses and plans it once per connection instead of on every call, which is most of
 * the cost of the catalog reads a sync makes for every workspace. Without a bound connection (a
 * manager that takes a pooled one per query) it runs as an ordinary query.
 *
 * `name` must stand for one text only: a connection that prepared `name` keeps it until it closes.
 */
export const queryPrepared = async <T>(manager: EntityManager, name: string, text: string, params: unknown[]): Promise<T[]> => {
  const runner = manager.queryRunner;
  if (!runner || runner.isReleased) return manager.query(text, params);
  const connection = (await runner.connect()) as PgConnection;
  const result = await connection.query({ name, text, values: params });
  return result.rows as T[];
};

/**
 * A statement to PREPARE once per session and EXECUTE from scripts. Its name must differ from
 * those `queryPrepared` uses: the server keeps both kinds under one namespace per session.
 */
export interface SessionStatement {
  name: string;
  /** The SQL types of $1, $2... */
  types: string[];
  text: string;
}

/** Per connection (a pg client, one session), the statements it has PREPAREd. */
const preparedBySession = new WeakMap<object, Set<string>>();
const DUPLICATE_PREPARED_STATEMENT = '42P05';

/**
 * Sends `before` (statements with values inlined) and then EXECUTE of `statement` with `args` (SQL
 * expressions) as one script: one round trip, each statement with a snapshot of its own, and the
 * statement planned once per session (the script PREPAREs it the first time the connection runs
 * it). Returns the rows of each statement of `before` and those of the EXECUTE.
 */
export const scriptWithPrepared = async (
  manager: EntityManager,
  before: string[],
  statement: SessionStatement,
  args: string[],
): Promise<{ before: unknown[][]; rows: unknown[] }> => {
  const connection = await connectionOf(manager, 'A script of several statements');
  let prepared = preparedBySession.get(connection);
  if (!prepared) {
    prepared = new Set();
    preparedBySession.set(connection, prepared);
  }
  const run = async (): Promise<unknown[][]> => {
    const prepare = prepared.has(statement.name) ? [] : [`PREPARE ${statement.name} (${statement.types.join(', ')}) AS ${statement.text}`];
    const results = await connection.query([...prepare, ...before, `EXECUTE ${statement.name} (${args.join(', ')})`].join(';\n'));
    prepared.add(statement.name);
    return (Array.isArray(results) ? results : [results]).slice(prepare.length).map((result) => result.rows);
  };
  let results: unknown[][];
  try {
    results = await run();
  } catch (error) {
    // Prepared by a script that failed further on (a PREPARE outlives its transaction): use it.
    if ((error as { code?: string }).code !== DUPLICATE_PREPARED_STATEMENT || prepared.has(statement.name)) throw error;
    prepared.add(statement.name);
    results = await run();
  }
  return { before: results.slice(0, before.length), rows: results[before.length] };
};
