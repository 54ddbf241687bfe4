import { EntityManager } from 'typeorm';

type PgResult = { rows: unknown[] };
interface PgConnection {
  query(text: string): Promise<PgResult | PgResult[]>;
}

/** A statement to PREPARE once per session and EXECUTE from scripts. */
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
 * Sends `before` (statements with values inlined), EXECUTE of `statement` with `args` (SQL
 * expressions), then `after`, as one script on the manager's connection: one round trip, each
 * statement with a snapshot of its own, and the statement planned once per session (the script
 * PREPAREs it the first time the connection runs it; a PREPARE outlives the transaction it ran
 * in). A manager bound to no connection (one that takes a pooled one per query) runs it on a
 * pooled connection taken for the script. Returns the rows of each statement of `before` and
 * those of the EXECUTE.
 */
export const scriptWithPrepared = async (
  manager: EntityManager,
  before: string[],
  statement: SessionStatement,
  args: string[],
  after: string[] = [],
): Promise<{ before: unknown[][]; rows: unknown[] }> => {
  const bound = manager.queryRunner && !manager.queryRunner.isReleased ? manager.queryRunner : null;
  const runner = bound ?? manager.connection.createQueryRunner();
  try {
    const connection = (await runner.connect()) as PgConnection;
    let prepared = preparedBySession.get(connection);
    if (!prepared) {
      prepared = new Set();
      preparedBySession.set(connection, prepared);
    }
    const run = async (): Promise<unknown[][]> => {
      const prepare = prepared.has(statement.name)
        ? []
        : [`PREPARE ${statement.name} (${statement.types.join(', ')}) AS ${statement.text}`];
      const results = await connection.query(
        [...prepare, ...before, `EXECUTE ${statement.name} (${args.join(', ')})`, ...after].join(';\n'),
      );
      prepared.add(statement.name);
      return (Array.isArray(results) ? results : [results]).slice(prepare.length).map((result) => result.rows);
    };
    let results: unknown[][];
    try {
      results = await run();
    } catch (error) {
      // Prepared by a script that failed further on: use it.
      if ((error as { code?: string }).code !== DUPLICATE_PREPARED_STATEMENT || prepared.has(statement.name)) throw error;
      prepared.add(statement.name);
      results = await run();
    }
    return { before: results.slice(0, before.length), rows: results[before.length] };
  } finally {
    if (!bound) await runner.release();
  }
};
