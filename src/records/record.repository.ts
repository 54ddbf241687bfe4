import { EntityManager } from 'typeorm';

import { qualified, quoteIdentifier } from '../database/sql';

/** Rows of a workspace's object tables. Table and column names are quoted; values are parameters. */
export class RecordRepository {
  constructor(
    private readonly manager: EntityManager,
    private readonly schemaName: string,
  ) {}

  /** Inserts rows (all with the same columns) and returns their ids in order. */
  async insert(table: string, rows: Array<Record<string, unknown>>): Promise<string[]> {
    if (rows.length === 0) return [];
    const columns = Object.keys(rows[0]);
    const params: unknown[] = [];
    const values = rows.map((row) => `(${columns.map((column) => {
      params.push(row[column]);
      return `$${params.length}`;
    }).join(', ')})`);
    const inserted: Array<{ id: string }> = await this.manager.query(
      `INSERT INTO ${qualified(this.schemaName, table)} (${columns.map(quoteIdentifier).join(', ')}) VALUES ${values.join(', ')} RETURNING "id"`,
      params,
    );
    return inserted.map((row) => row.id);
  }
}
