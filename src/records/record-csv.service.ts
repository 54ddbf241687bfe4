import { once } from 'node:events';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { Inject, Injectable } from '@nestjs/common';
import { CsvError, parse } from 'csv-parse';
import { stringify } from 'csv-stringify';
import { DataSource, EntityManager } from 'typeorm';

import { getVersionSnapshot, snapshotVersions } from '../standard-objects/version-snapshots';
import { CsvDecoder } from './csv-decoding';
import { csvColumns, CsvColumn, formatCell, legacyCsvColumns, resolveHeaders, rowParams } from './record-csv';
import { RecordRepository } from './record.repository';
import { RecordError } from './record.error';
import { loadObjectContext, ObjectContext, recordErrorFrom } from './record.service';

export interface ExportOptions {
  /** Escape text that a spreadsheet would run as a formula (default true). */
  formulaEscape?: boolean;
}

export interface ImportOptions {
  /** Import the good rows and report the bad ones, instead of importing nothing. */
  skipInvalid?: boolean;
  batchSize?: number;
  /** Strip the escape that an export put before formulas (default true). */
  formulaEscape?: boolean;
  /** Charset of the file (default utf-8); bytes it cannot hold are refused. */
  charset?: string;
}

export interface RowProblem {
  /** Line of the file where the row starts (the header is line 1). */
  line: number;
  message: string;
}

export interface ImportResult {
  object: string;
  imported: number;
  skipped: number;
  errors: RowProblem[];
}

/** An import refused because rows were bad: nothing was written; every bad row is listed. */
export class CsvImportError extends RecordError {
  constructor(readonly errors: RowProblem[]) {
    super(
      'INVALID',
      'file',
      `${errors.length} bad row(s), nothing imported: ${errors
        .slice(0, 5)
        .map((problem) => `line ${problem.line}: ${problem.message}`)
        .join('; ')}${errors.length > 5 ? '; …' : ''}. Fix them, or import with skip-invalid to import the other rows.`,
    );
  }
}

export const EXPORT_BATCH_SIZE = 1000;
const IMPORT_BATCH_SIZE = 2000;

/**
 * CSV export and import of one object's records. Export reads the table in id order through a
 * cursor, one batch at a time, in one snapshot, writing as the output drains: memory does not
 * grow with the table.
 * Import parses as it reads, checks every row, and writes in one transaction.
 */
@Injectable()
export class RecordCsvService {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /**
   * Writes the object's records as CSV to the stream `open` returns; `open` is called once the
   * workspace and object are known to exist, so a caller can still answer an error before it.
   */
  async export(
    workspaceId: string,
    objectName: string,
    open: (context: ObjectContext) => Writable,
    options: ExportOptions = {},
  ): Promise<{ rows: number }> {
    const formulaEscape = options.formulaEscape ?? true;
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const context = await loadObjectContext(manager, workspaceId, objectName);
      const columns = csvColumns(context.fields);
      const records = new RecordRepository(manager, context.workspace.schemaName);
      // NULL is an empty unquoted cell; empty text is quoted ("").
      const stringifier = stringify({ quoted_match: /^$/ });
      const written = pipeline(stringifier, open(context));
      const write = async (cells: Array<string | null>) => {
        if (!stringifier.write(cells)) await Promise.race([once(stringifier, 'drain'), written]);
      };
      let rows = 0;
      try {
        await write(columns.map((column) => column.header));
        for await (const batch of records.inBatches(
          context.object.tableName,
          columns.map((column) => column.column),
          EXPORT_BATCH_SIZE,
        )) {
          for (const row of batch) await write(columns.map((column) => formatCell(column, row[column.column.name], formulaEscape)));
          rows += batch.length;
        }
        stringifier.end();
      } catch (error) {
        stringifier.destroy(error as Error);
      }
      await written;
      return { rows };
    });
  }

  async import(workspaceId: string, objectName: string, input: Readable, options: ImportOptions = {}): Promise<ImportResult> {
    const batchSize = options.batchSize ?? IMPORT_BATCH_SIZE;
    const formulaEscape = options.formulaEscape ?? true;
    // An unknown charset is refused before anything is read.
    const decoder = new CsvDecoder(options.charset);
    return this.dataSource.transaction(async (manager) => {
      const context = await loadObjectContext(manager, workspaceId, objectName);
      const current = csvColumns(context.fields);
      const snapshots = snapshotVersions().map(getVersionSnapshot);
      const legacy = legacyCsvColumns(context.object, context.fields, snapshots);
      // An empty unquoted cell is null (NULL); a quoted one ("") is empty text.
      const parser = parse({ relax_column_count: true, cast: (value, cell) => (value === '' && !cell.quoting ? null : value) });
      input.on('error', (error) => decoder.destroy(error));
      decoder.on('error', (error) => parser.destroy(error));
      input.pipe(decoder).pipe(parser);

      const errors: RowProblem[] = [];
      let columns: CsvColumn[] | null = null;
      let batch: Array<{ line: number; params: Record<string, unknown> }> = [];
      let imported = 0;
      const flush = async () => {
        imported += await this.insertBatch(manager, context, batch, errors);
        batch = [];
      };
      try {
        // Line numbers are counted here (cheaper than the parser's per-record info): a record
        // takes one line plus the line breaks inside its quoted cells.
        let nextLine = 1;
        for await (const record of parser as AsyncIterable<Array<string | null>>) {
          const line = nextLine;
          nextLine += 1 + record.reduce((breaks, cell) => breaks + (cell?.includes('\n') ? cell.split('\n').length - 1 : 0), 0);
          if (record.length === 1 && !record[0]) continue;
          if (columns === null) {
            columns = resolveHeaders(record, current, legacy);
            continue;
          }
          try {
            batch.push({ line, params: rowParams(columns, record, formulaEscape) });
          } catch (error) {
            if (!(error instanceof RecordError)) throw error;
            errors.push({ line, message: error.message });
            continue;
          }
          if (batch.length >= batchSize) await flush();
        }
      } catch (error) {
        if (error instanceof CsvError) {
          throw new RecordError('INVALID', 'file', `the file is not valid CSV: ${error.message}. Nothing was imported.`);
        }
        throw error;
      }
      if (columns === null) throw new RecordError('INVALID', 'file', 'the file is empty: it needs a header line and rows');
      await flush();
      errors.sort((a, b) => a.line - b.line);
      if (errors.length > 0 && !options.skipInvalid) throw new CsvImportError(errors);
      return { object: context.object.nameSingular, imported, skipped: errors.length, errors };
    });
  }

  /** Copies a batch in under a savepoint; if the database refuses it, inserts row by row to name the bad ones. */
  private async insertBatch(
    manager: EntityManager,
    context: ObjectContext,
    batch: Array<{ line: number; params: Record<string, unknown> }>,
    errors: RowProblem[],
  ): Promise<number> {
    if (batch.length === 0) return 0;
    const records = new RecordRepository(manager, context.workspace.schemaName);
    const table = context.object.tableName;
    const attempt = (rows: Array<Record<string, unknown>>, copy = false): Promise<unknown> =>
      records.underSavepoint(async () => {
        if (copy) await records.copyInsert(table, rows);
        else await records.insert(table, rows);
      });
    const failure = await attempt(
      batch.map((row) => row.params),
      true,
    );
    if (failure === null) return batch.length;
    let inserted = 0;
    for (const row of batch) {
      const error = await attempt([row.params]);
      if (error === null) {
        inserted += 1;
        continue;
      }
      const known = recordErrorFrom(error, context.fields);
      if (!known) throw error;
      errors.push({ line: row.line, message: known.message });
    }
    return inserted;
  }
}
