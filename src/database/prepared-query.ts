import { EntityManager } from 'typeorm';

interface PgConnection {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

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
 * Sends several statements as one text (the simple protocol: no parameters, values inlined) on the
 * manager's connection, and returns the rows of each, in order: a round trip for all of them.
 */
export const queryScript = async (manager: EntityManager, text: string): Promise<unknown[][]> => {
  const runner = manager.queryRunner;
  if (!runner || runner.isReleased) throw new Error('A script of several statements needs a connection of its own (a query runner)');
  const connection = (await runner.connect()) as { query(text: string): Promise<{ rows: unknown[] } | Array<{ rows: unknown[] }>> };
  const results = await connection.query(text);
  return (Array.isArray(results) ? results : [results]).map((result) => result.rows);
};
