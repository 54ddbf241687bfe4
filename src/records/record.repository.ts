import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { PoolClient } from 'pg';
import { CopyToStreamQuery, from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { EntityManager } from 'typeorm';

import { qualified, quoteIdentifier } from '../database/sql';
import { RecordColumn } from './record-fields';
import { Condition, ListQuery, ViewFilterRow, ViewSortRow } from './view-query';

export interface ViewTables {
  view: string;
  viewFilter: string;
  viewSort: string;
}

/** How a column is read: dates as text (no time-zone shift), enum arrays as text arrays. */
const selectExpression = (column: RecordColumn): string => {
  const quoted = quoteIdentifier(column.name);
  if (column.type === 'date') return `${quoted}::text AS ${quoted}`;
  if (column.type === 'enum[]') return `${quoted}::text[] AS ${quoted}`;
  return quoted;
};

/**
 * A column as a cell of the CSV export, formatted in SQL so that COPY writes the file (docs/csv.md):
 * date-times in UTC with microseconds, MULTI_SELECT as A,B, ARRAY as compact JSON, text that a
 * spreadsheet would run as a formula with a leading quote (unless `formulaEscape` is false).
 * COPY writes NULL as an empty unquoted cell and empty text as "".
 */
const exportCell = (column: RecordColumn, formulaEscape: boolean): string => {
  const quoted = quoteIdentifier(column.name);
  switch (column.type) {
    case 'timestamptz':
      return `to_char(${quoted} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
    case 'enum[]':
      return `array_to_string(${quoted}::text[], ',')`;
    case 'text[]':
      return `CASE WHEN ${quoted} IS NULL THEN NULL ELSE '[' || array_to_string(ARRAY(SELECT coalesce(to_json(item)::text, 'null')
        FROM unnest(${quoted}) WITH ORDINALITY AS items (item, place) ORDER BY place), ',') || ']' END`;
    case 'text':
      return formulaEscape ? `CASE WHEN ${quoted} ~ '^''*[-=+@\t\r]' THEN '''' || ${quoted} ELSE ${quoted} END` : quoted;
    default:
      return `${quoted}::text`;
  }
};

const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (match) => `\\${match}`);

/** A Postgres array literal of text items: {"a","b"}. */
const arrayLiteral = (items: unknown[]): string =>
  `{${items.map((item) => (item === null || item === undefined ? 'NULL' : `"${String(item).replace(/[\\"]/g, '\\$&')}"`)).join(',')}}`;

/** A value as a cell of COPY's CSV format: NULL unquoted and empty, every other value quoted. */
const copyCell = (value: unknown): string => {
  if (value === null || value === undefined) return '';
  const text = Array.isArray(value) ? arrayLiteral(value) : value instanceof Date ? value.toISOString() : String(value);
  return `"${text.replace(/"/g, '""')}"`;
};

/** The staging table of a CSV import, in the session's temporary schema, and its line column. */
const STAGING_NAME = '"records_csv_staging"';
const STAGING = `pg_temp.${STAGING_NAME}`;
const STAGING_LINE = '"__csvLine"';

/** Rows of a workspace's object tables. Table and column names are quoted; values are parameters. */
export class RecordRepository {
  constructor(
    private readonly manager: EntityManager,
    private readonly schemaName: string,
  ) {}

  private table(name: string): string {
    return qualified(this.schemaName, name);
  }

  /**
   * Takes the lock every write of `table` takes anyway (ROW EXCLUSIVE), before the writer reads the
   * fields' shapes: a switch that adds or drops columns holds ACCESS EXCLUSIVE until it commits,
   * so it is either done (and its shapes are read) or waits for this write.
   */
  async lockForWrite(table: string): Promise<void> {
    await this.manager.query(`LOCK TABLE ${this.table(table)} IN ROW EXCLUSIVE MODE`);
  }

  /** Every view's object id, by view id. */
  async viewObjectIds(viewTable: string): Promise<Map<string, string | null>> {
    const rows: Array<{ id: string; objectMetadataId: string | null }> = await this.manager.query(
      `SELECT "id", "objectMetadataId" FROM ${this.table(viewTable)}`,
    );
    return new Map(rows.map((row) => [row.id, row.objectMetadataId]));
  }

  /** Inserts rows (all with the same columns) and returns their ids in order. */
  async insert(table: string, rows: Array<Record<string, unknown>>): Promise<string[]> {
    if (rows.length === 0) return [];
    const columns = Object.keys(rows[0]);
    if (columns.length === 0) {
      const ids: string[] = [];
      for (let index = 0; index < rows.length; index += 1) {
        const [{ id }] = await this.manager.query(`INSERT INTO ${this.table(table)} DEFAULT VALUES RETURNING "id"`);
        ids.push(id);
      }
      return ids;
    }
    const params: unknown[] = [];
    const values = rows.map(
      (row) =>
        `(${columns
          .map((column) => {
            params.push(row[column]);
            return `$${params.length}`;
          })
          .join(', ')})`,
    );
    const inserted: Array<{ id: string }> = await this.manager.query(
      `INSERT INTO ${this.table(table)} (${columns.map(quoteIdentifier).join(', ')}) VALUES ${values.join(', ')} RETURNING "id"`,
      params,
    );
    return inserted.map((row) => row.id);
  }

  /**
   * Creates the staging table of a CSV import on the connection of the current transaction: the
   * line of each row, then `columns` with the types they have in `table`; dropped at commit.
   */
  async createStaging(table: string, columns: string[]): Promise<void> {
    await this.manager.query(`DROP TABLE IF EXISTS ${STAGING}`);
    await this.manager.query(
      `CREATE TEMP TABLE ${STAGING_NAME} ON COMMIT DROP AS SELECT 0 AS ${STAGING_LINE}, ${columns.map(quoteIdentifier).join(', ')}
        FROM ${this.table(table)} WITH NO DATA`,
    );
  }

  /** Copies rows (the line, then the staging table's columns in order) into the emptied staging table. */
  async stage(columns: string[], rows: unknown[][]): Promise<void> {
    await this.manager.query(`TRUNCATE ${STAGING}`);
    if (rows.length === 0) return;
    // On PostgreSQL, a query runner's connection is the pg client of the transaction.
    const client = (await this.manager.queryRunner!.connect()) as PoolClient;
    const text = rows.map((row) => row.map(copyCell).join(',')).join('\n');
    const copy = client.query(
      copyFrom(`COPY ${STAGING} (${[STAGING_LINE, ...columns.map(quoteIdentifier)].join(', ')}) FROM STDIN WITH (FORMAT csv)`),
    );
    await pipeline(Readable.from([`${text}\n`]), copy);
  }

  /**
   * Lines of staged rows whose `column` names no row of `targetTable`: one query for the whole
   * batch. When the target is the staged rows' own table (`self`), a staged row counts as existing:
   * the batch is inserted by one statement, whose foreign keys are checked at its end.
   */
  async stagedMissingReferences(column: string, targetTable: string, self = false): Promise<number[]> {
    const quoted = quoteIdentifier(column);
    const staged = self ? ` AND NOT EXISTS (SELECT 1 FROM ${STAGING} b WHERE b."id" = s.${quoted})` : '';
    const rows: Array<{ line: number }> = await this.manager.query(
      `SELECT s.${STAGING_LINE} AS line FROM ${STAGING} s
        WHERE s.${quoted} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${this.table(targetTable)} t WHERE t."id" = s.${quoted})${staged}
        ORDER BY 1`,
    );
    return rows.map((row) => row.line);
  }

  /**
   * Inserts the staged rows, but those of `skipLines`, in line order; a row that would break a
   * unique index (its id or a unique value taken) is left out. Returns the ids inserted.
   */
  async insertStaged(table: string, columns: string[], skipLines: number[]): Promise<string[]> {
    const list = columns.map(quoteIdentifier).join(', ');
    const rows: Array<{ id: string }> = await this.manager.query(
      `INSERT INTO ${this.table(table)} (${list}) SELECT ${list} FROM ${STAGING}
        WHERE NOT (${STAGING_LINE} = ANY($1::int[])) ORDER BY ${STAGING_LINE} ON CONFLICT DO NOTHING RETURNING "id"`,
      [skipLines],
    );
    return rows.map((row) => row.id);
  }

  async findById(table: string, columns: RecordColumn[], id: string): Promise<Record<string, unknown> | null> {
    const [row] = await this.manager.query(`SELECT ${columns.map(selectExpression).join(', ')} FROM ${this.table(table)} WHERE "id" = $1`, [
      id,
    ]);
    return row ?? null;
  }

  /** Updates one row; returns false when there is no such row. */
  async update(table: string, id: string, values: Record<string, unknown>): Promise<boolean> {
    const columns = Object.keys(values);
    const assignments = columns.map((column, index) => `${quoteIdentifier(column)} = $${index + 2}`);
    const result: [unknown[], number] = await this.manager.query(
      `UPDATE ${this.table(table)} SET ${[...assignments, `"updatedAt" = now()`].join(', ')} WHERE "id" = $1 RETURNING "id"`,
      [id, ...columns.map((column) => values[column])],
    );
    return result[1] > 0;
  }

  async delete(table: string, id: string): Promise<boolean> {
    const result: [unknown[], number] = await this.manager.query(`DELETE FROM ${this.table(table)} WHERE "id" = $1 RETURNING "id"`, [id]);
    return result[1] > 0;
  }

  /** One page of rows matching every condition, in the query's order (then by id), and the total. */
  async list(
    table: string,
    columns: RecordColumn[],
    query: ListQuery,
    limit: number,
    offset: number,
  ): Promise<{ rows: Array<Record<string, unknown>>; total: number }> {
    const params: unknown[] = [];
    const where = ['"deletedAt" IS NULL', ...query.conditions.map((condition) => this.conditionSql(condition, params))];
    const order = [...query.sorts.map((sort) => `${quoteIdentifier(sort.column.name)} ${sort.direction} NULLS LAST`), '"id" ASC'];
    if (query.search) {
      // Matched through the column's GIN index; the best ranked first, then the view's order.
      params.push(query.search.query);
      const column = quoteIdentifier(query.search.column);
      const tsquery = `to_tsquery('simple', $${params.length})`;
      where.push(`${column} @@ ${tsquery}`);
      order.unshift(`ts_rank(${column}, ${tsquery}) DESC`);
    }
    const whereSql = where.join(' AND ');
    const rows = await this.manager.query(
      `SELECT ${columns.map(selectExpression).join(', ')} FROM ${this.table(table)} WHERE ${whereSql}
        ORDER BY ${order.join(', ')} LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, limit, offset],
    );
    const [{ total }] = await this.manager.query(`SELECT count(*)::int AS total FROM ${this.table(table)} WHERE ${whereSql}`, params);
    return { rows, total };
  }

  private conditionSql(condition: Condition, params: unknown[]): string {
    const bind = (value: unknown): string => {
      params.push(value);
      return `$${params.length}`;
    };
    const parts = condition.columns.map((column) => {
      const quoted = quoteIdentifier(column.name);
      const isArray = column.type === 'text[]' || column.type === 'enum[]';
      switch (condition.operator) {
        case 'empty':
          if (isArray) return `(${quoted} IS NULL OR cardinality(${quoted}) = 0)`;
          return column.type === 'text' ? `(${quoted} IS NULL OR ${quoted} = '')` : `${quoted} IS NULL`;
        case 'contains':
          return `${isArray ? `array_to_string(${quoted}::text[], ',')` : `${quoted}::text`} ILIKE ${bind(`%${escapeLike(String(condition.value))}%`)}`;
        case 'in':
          return `${quoted}::text = ANY(${bind(condition.value)}::text[])`;
        case 'overlaps':
          return `${quoted}::text[] && ${bind(condition.value)}::text[]`;
        case 'eq':
          if (column.type === 'timestamptz') return `${quoted}::date = ${bind(condition.value)}::date`;
          return `${quoted} = ${bind(condition.value)}`;
        case 'gt':
          return `${quoted} > ${bind(condition.value)}`;
        case 'lt':
          return `${quoted} < ${bind(condition.value)}`;
      }
    });
    // Empty means every column looked at is empty; any other condition holds when one column matches.
    const joined = `(${parts.join(condition.operator === 'empty' ? ' AND ' : ' OR ')})`;
    return condition.negate ? `NOT coalesce(${joined}, false)` : joined;
  }

  /**
   * The live rows in id order as CSV cells (see exportCell), streamed by COPY ... TO STDOUT on the
   * connection of the current transaction: one ordered scan, written as the reader drains it.
   */
  async copyOut(table: string, columns: RecordColumn[], formulaEscape: boolean): Promise<CopyToStreamQuery> {
    const client = (await this.manager.queryRunner!.connect()) as PoolClient;
    const cells = columns.map((column) => exportCell(column, formulaEscape)).join(', ');
    return client.query(
      copyTo(`COPY (SELECT ${cells} FROM ${this.table(table)} WHERE "deletedAt" IS NULL ORDER BY "id") TO STDOUT WITH (FORMAT csv)`),
    );
  }

  /** Of `ids`, those that exist in `table`. */
  async existingIds(table: string, ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows: Array<{ id: string }> = await this.manager.query(`SELECT "id" FROM ${this.table(table)} WHERE "id" = ANY($1::uuid[])`, [
      ids,
    ]);
    return new Set(rows.map((row) => row.id));
  }

  /** Rows in which any of `columns` holds a value (NULL and empty values do not count). */
  async countWithValues(table: string, columns: RecordColumn[]): Promise<number> {
    const holds = columns.map((column) => {
      const quoted = quoteIdentifier(column.name);
      if (column.type === 'text') return `coalesce(${quoted}, '') <> ''`;
      return `${quoted} IS NOT NULL`;
    });
    const [{ count }] = await this.manager.query(
      `SELECT count(*)::int AS count FROM ${this.table(table)} WHERE ${holds.join(' OR ') || 'false'}`,
    );
    return count;
  }

  async countRows(table: string): Promise<number> {
    const [{ count }] = await this.manager.query(`SELECT count(*)::int AS count FROM ${this.table(table)}`);
    return count;
  }

  /** A view of the object with its filters and sorts; null when the object has no such view. */
  async findView(
    tables: ViewTables,
    viewId: string,
    objectMetadataId: string,
  ): Promise<{ filters: ViewFilterRow[]; sorts: ViewSortRow[] } | null> {
    const [view] = await this.manager.query(
      `SELECT "id" FROM ${this.table(tables.view)} WHERE "id" = $1 AND "objectMetadataId" = $2 AND "deletedAt" IS NULL`,
      [viewId, objectMetadataId],
    );
    if (!view) return null;
    const filters: ViewFilterRow[] = await this.manager.query(
      `SELECT "id", "fieldMetadataId", "operand", "value" FROM ${this.table(tables.viewFilter)} WHERE "viewId" = $1 AND "deletedAt" IS NULL ORDER BY "createdAt", "id"`,
      [viewId],
    );
    const sorts: ViewSortRow[] = await this.manager.query(
      `SELECT "id", "fieldMetadataId", "direction" FROM ${this.table(tables.viewSort)} WHERE "viewId" = $1 AND "deletedAt" IS NULL ORDER BY "createdAt", "id"`,
      [viewId],
    );
    return { filters, sorts };
  }

  /** The views of an object that are not deleted, in their order. */
  async viewsOf(viewTable: string, objectMetadataId: string): Promise<Array<{ id: string; name: string }>> {
    return this.manager.query(
      `SELECT "id", "name" FROM ${this.table(viewTable)} WHERE "objectMetadataId" = $1 AND "deletedAt" IS NULL ORDER BY "position" NULLS LAST, "createdAt", "id"`,
      [objectMetadataId],
    );
  }

  /** A view's columns in their order, with their sizes. */
  async viewFields(
    viewFieldTable: string,
    viewId: string,
  ): Promise<Array<{ id: string; fieldMetadataId: string | null; isVisible: boolean; size: number; position: number }>> {
    return this.manager.query(
      `SELECT "id", "fieldMetadataId", "isVisible", "size"::float8 AS "size", "position"::float8 AS "position" FROM ${this.table(viewFieldTable)}
        WHERE "viewId" = $1 AND "deletedAt" IS NULL ORDER BY "position", "createdAt", "id"`,
      [viewId],
    );
  }
}
