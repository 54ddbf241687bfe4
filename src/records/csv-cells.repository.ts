import { finished } from 'node:stream/promises';

import { PoolClient } from 'pg';
import { CopyStreamQuery, from as copyFrom } from 'pg-copy-streams';
import { EntityManager } from 'typeorm';

import { qualified, quoteIdentifier } from '../database/sql';
import { CellColumn } from './csv-cells';

/** The table the cells of a batch are copied into as text, in the session's temporary schema. */
const CELLS_NAME = '"records_csv_cells"';
const CELLS = `pg_temp.${CELLS_NAME}`;
const SAVEPOINT = 'records_csv_batch';

const cellName = (index: number): string => `"c${index}"`;

/** Characters of a number; what else a number must be, the cast checks (LIKE and casts cost less than regular expressions). */
const NUMBER_CHARACTERS = `'0123456789.eE+-'`;
/** ISO 8601 date-times in UTC, as the export writes them (others are left to the row-by-row path). */
const DATE_TIME = `'____-__-__T__:__:__%Z'`;
const DATE = `'____-__-__'`;

/**
 * The SQL path of a CSV import (docs/csv.md): a batch of the file's records is copied as text
 * into a temporary table, one column per cell, and moved into the object's table by one INSERT
 * ... SELECT that casts the cells and checks them as the row-by-row path does. The batch goes in
 * whole or not at all (under a savepoint): a row that a check refuses, or whose id or unique
 * value is taken, leaves the whole batch to the row-by-row path, which reads the cells back and
 * names every bad line.
 */
export class CsvCellsRepository {
  constructor(
    private readonly manager: EntityManager,
    private readonly schemaName: string,
  ) {}

  private async client(): Promise<PoolClient> {
    // On PostgreSQL, a query runner's connection is the pg client of the transaction.
    return (await this.manager.queryRunner!.connect()) as PoolClient;
  }

  /** Creates the cells table (the line, then `cells` text columns), dropped at commit. */
  async createCells(cells: number): Promise<void> {
    const columns = Array.from({ length: cells }, (_, index) => `${cellName(index)} text`);
    await this.manager.query(`DROP TABLE IF EXISTS ${CELLS}`);
    await this.manager.query(`CREATE TEMP TABLE ${CELLS_NAME} ("line" int, ${columns.join(', ')}) ON COMMIT DROP`);
  }

  /** The SQL type of each column of `table`, as a cast names it. */
  async columnTypes(table: string): Promise<Map<string, string>> {
    const rows: Array<{ name: string; type: string }> = await this.manager.query(
      `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type FROM pg_attribute a
        WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped`,
      [qualified(this.schemaName, table)],
    );
    return new Map(rows.map((row) => [row.name, row.type]));
  }

  /**
   * Empties the cells table and opens a COPY into it, for a batch's records written as they are
   * read (COPY's CSV text, each record led by its line). The table is emptied outside any
   * savepoint: PostgreSQL then truncates it in place, as it was created in this transaction.
   */
  async openBatch(): Promise<CellsCopy> {
    const client = await this.client();
    await client.query(`TRUNCATE ${CELLS}`);
    return new CellsCopy(client.query(copyFrom(`COPY ${CELLS} FROM STDIN WITH (FORMAT csv)`)));
  }

  /**
   * Inserts the cells table's rows (`rows` of them) into `table`. Returns true when every row went
   * in; otherwise (a check left a row out, or PostgreSQL refused a value, a taken id or unique
   * value, a missing reference) nothing of the batch is inserted (the savepoint is restored) and
   * the cells stay for the row-by-row path. An error of the connection itself is thrown.
   */
  async insertBatch(table: string, columns: CellColumn[], types: Map<string, string>, rows: number): Promise<boolean> {
    const client = await this.client();
    const params: unknown[] = [];
    const select = this.selectSql(columns, types, params);
    await client.query(`SAVEPOINT ${SAVEPOINT}`);
    try {
      const inserted = await client.query(
        `INSERT INTO ${qualified(this.schemaName, table)} (${columns.map((column) => quoteIdentifier(column.column)).join(', ')})
          ${select}`,
        params,
      );
      if (inserted.rowCount === rows) {
        await client.query(`RELEASE SAVEPOINT ${SAVEPOINT}`);
        return true;
      }
    } catch (error) {
      if (!isDataError(error)) throw error;
    }
    await client.query(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}; RELEASE SAVEPOINT ${SAVEPOINT}`);
    return false;
  }

  /** The cells table's rows in line order: each record's line and its `cells` cells (NULL: an empty unquoted cell). */
  async batchCells(cells: number): Promise<Array<{ line: number; cells: Array<string | null> }>> {
    const names = Array.from({ length: cells }, (_, index) => cellName(index));
    const rows: Array<{ line: number; cells: Array<string | null> }> = await this.manager.query(
      `SELECT "line", ARRAY[${names.map((name) => `c.${name}`).join(', ')}]::text[] AS "cells" FROM ${CELLS} c ORDER BY "line"`,
    );
    return rows;
  }

  /** SELECT of the cells table's rows that pass every check, as the columns' values, in line order. */
  private selectSql(columns: CellColumn[], types: Map<string, string>, params: unknown[]): string {
    const bind = (value: unknown): string => {
      params.push(value);
      return `$${params.length}`;
    };
    const idCell = columns.find((column) => column.fill === 'uuid');
    const values: string[] = [];
    const checks: string[] = [];
    for (const column of columns) {
      const cell = `c.${cellName(column.cell)}`;
      const present = `nullif(${cell}, '')`;
      const type = types.get(column.column);
      if (!type) throw new Error(`the column ${column.column} is not in the table`);
      const cast = (expression: string) => `CAST(${expression} AS ${type})`;
      const allowed = (expression: string) => checks.push(`(${present} IS NULL OR ${expression})`);
      if (column.required) checks.push(column.type === 'enum[]' ? `${cell} IS NOT NULL` : `${present} IS NOT NULL`);
      switch (column.type) {
        case 'text': {
          const text = column.emptyText ? `coalesce(${cell}, '')` : cell;
          values.push(
            column.unescape
              ? `CASE WHEN starts_with(${text}, '''') AND ${text} ~ '^''+[-=+@\t\r]' THEN substr(${text}, 2) ELSE ${text} END`
              : text,
          );
          break;
        }
        case 'uuid': {
          // The form the row-by-row path accepts (8-4-4-4-12 hex digits) is the one the cast gives back.
          allowed(`lower(${present}) = CAST(${present} AS uuid)::text`);
          if (column.target) {
            const target = `EXISTS (SELECT 1 FROM ${qualified(this.schemaName, column.target.table)} t WHERE t."id" = ${present}::uuid)`;
            // Rows of the same batch count as existing: one INSERT writes them all.
            const batch =
              column.target.self && idCell
                ? ` OR lower(${present}) IN (SELECT lower(b.${cellName(idCell.cell)}) FROM ${CELLS} b WHERE b.${cellName(idCell.cell)} <> '')`
                : '';
            allowed(`(${target}${batch})`);
          }
          values.push(column.fill === 'uuid' ? `coalesce(${cast(present)}, gen_random_uuid())` : cast(present));
          break;
        }
        case 'double precision':
        case 'numeric':
          allowed(`translate(${present}, ${NUMBER_CHARACTERS}, '') = ''`);
          values.push(cast(present));
          break;
        case 'boolean':
          allowed(`${present} IN ('true', 'false')`);
          values.push(cast(present));
          break;
        case 'date':
          allowed(`${present} LIKE ${DATE}`);
          values.push(cast(present));
          break;
        case 'timestamptz':
          allowed(`${present} LIKE ${DATE_TIME}`);
          values.push(column.fill === 'now' ? `coalesce(${cast(present)}, now())` : cast(present));
          break;
        case 'enum':
          allowed(`${present} = ANY(${bind(column.options)}::text[])`);
          values.push(cast(present));
          break;
        case 'enum[]': {
          // A, B (spaces around items trimmed, empty items dropped); `""` the empty list. The JSON
          // form, and whitespace other than spaces, are left to the row-by-row path.
          const items = `unnest(string_to_array(${cell}, ',')) WITH ORDINALITY AS items (item, place)`;
          checks.push(
            `(${cell} IS NULL OR (${cell} !~ '^\\s*\\[' AND NOT EXISTS (SELECT 1 FROM ${items}
              WHERE btrim(item, ' ') <> '' AND NOT btrim(item, ' ') = ANY(${bind(column.options)}::text[]))))`,
          );
          values.push(
            `CASE WHEN ${cell} IS NULL THEN NULL ELSE ${cast(`ARRAY(SELECT btrim(item, ' ') FROM ${items} WHERE btrim(item, ' ') <> '' ORDER BY place)`)} END`,
          );
          break;
        }
        case 'text[]':
          allowed(
            `(jsonb_typeof(${present}::jsonb) = 'array' AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(${present}::jsonb) AS items (item) WHERE jsonb_typeof(item) <> 'string'))`,
          );
          values.push(
            `CASE WHEN ${present} IS NULL THEN NULL ELSE ARRAY(SELECT item FROM jsonb_array_elements_text(${present}::jsonb) WITH ORDINALITY AS items (item, place) ORDER BY place) END`,
          );
          break;
        case 'jsonb':
          values.push(cast(present));
          break;
      }
    }
    // No ORDER BY: the cells table, emptied then filled by one COPY, is read in the file's order.
    return `SELECT ${values.join(', ')} FROM ${CELLS} c WHERE ${checks.join(' AND ') || 'true'}`;
  }
}

/**
 * A COPY into the cells table, written as records are read: a write waits while the connection
 * is behind (backpressure), so no more than a chunk of the file is held at once.
 */
export class CellsCopy {
  private failure: Error | null = null;
  /** Records written so far. */
  rows = 0;

  constructor(private readonly stream: CopyStreamQuery) {
    stream.on('error', (error: Error) => (this.failure ??= error));
  }

  async write(text: string, rows: number): Promise<void> {
    if (this.failure) throw this.failure;
    this.rows += rows;
    if (this.stream.write(text)) return;
    await new Promise<void>((resolve) => {
      const go = () => {
        this.stream.off('drain', go).off('error', go);
        resolve();
      };
      this.stream.on('drain', go).on('error', go);
    });
    if (this.failure) throw this.failure;
  }

  /** Ends the COPY; returns the rows PostgreSQL read. */
  async end(): Promise<number> {
    if (this.failure) throw this.failure;
    this.stream.end();
    await finished(this.stream);
    return this.stream.rowCount;
  }
}

/** A value PostgreSQL refuses (SQLSTATE classes 22, data, and 23, constraints), not a lost connection. */
const isDataError = (error: unknown): boolean => /^2[23][0-9A-Z]{3}$/.test(String((error as { code?: unknown } | null)?.code));
