import { Readable, Writable } from 'node:stream';

import { Inject, Injectable } from '@nestjs/common';
import { CsvError, parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { DataSource } from 'typeorm';

import { getVersionSnapshot, snapshotVersions } from '../standard-objects/version-snapshots';
import { CsvDecoder } from './csv-decoding';
import { CsvCellsRepository } from './csv-cells.repository';
import { cellsOf } from './csv-quoting';
import { CsvImportWriter, invalidCsv, RowProblem, RowProblems } from './csv-import-writer';
import { CsvRecordSplitter, RawRecord } from './csv-records';
import { csvColumns, CsvColumn, legacyCsvColumns, resolveHeaders } from './record-csv';
import { RecordRepository } from './record.repository';
import { RecordError } from './record.error';
import { loadObjectContext, ObjectContext } from './record.service';
import { ViewReferences } from './view-references';

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

export interface ImportResult {
  object: string;
  imported: number;
  /** Bad rows, all counted. */
  skipped: number;
  /** The first MAX_REPORTED_ROWS bad rows, in line order. */
  errors: RowProblem[];
}

/** Bad rows listed in a result or an error; the others are counted. */
export const MAX_REPORTED_ROWS = 1000;

/**
 * Writes `first`, then the COPY stream, to `output` as it drains. If the output fails (a client
 * gone), the COPY is still read to its end, so that the connection leaves COPY mode and the
 * transaction can roll back; then the failure is thrown.
 */
const writeAll = async (output: Writable, copy: Readable, first: string): Promise<void> => {
  let failure: Error | null = null;
  const fail = (error: Error) => (failure ??= error);
  output.on('error', fail);
  output.on('close', () => {
    if (!output.writableFinished) fail(new Error('the output closed before the export ended'));
  });
  const write = async (chunk: Buffer | string) => {
    if (failure || output.write(chunk)) return;
    await new Promise<void>((resolve) => {
      const go = () => {
        output.off('drain', go).off('error', go).off('close', go);
        resolve();
      };
      output.on('drain', go).on('error', go).on('close', go);
    });
  };
  await write(first);
  for await (const chunk of copy) await write(chunk as Buffer);
  if (failure) throw failure;
  await new Promise<void>((resolve, reject) => {
    output.end(() => resolve());
    output.once('error', reject);
  });
  if (failure) throw failure;
};

/** The cells of a file's header line; a header that is not valid CSV is refused. */
const headerCells = (record: RawRecord): Array<string | null> => {
  try {
    const [parsed] = parse(record.raw, { relax_column_count: true, raw: true }) as unknown as Array<{ record: string[]; raw: string }>;
    return cellsOf(parsed.record, parsed.raw);
  } catch (error) {
    if (error instanceof CsvError) throw invalidCsv(error, record.line);
    throw error;
  }
};

/** An import refused because rows were bad: nothing was written; the first bad rows are listed, all counted. */
export class CsvImportError extends RecordError {
  constructor(
    readonly errors: RowProblem[],
    readonly total: number,
  ) {
    super(
      'INVALID',
      'file',
      `${total} bad row(s), nothing imported: ${errors
        .slice(0, 5)
        .map((problem) => `line ${problem.line}: ${problem.message}`)
        .join(
          '; ',
        )}${total > 5 ? '; …' : ''}${total > errors.length ? ` (the first ${errors.length} are listed)` : ''}. Fix them, or import with skip-invalid to import the other rows.`,
    );
  }
}

const IMPORT_BATCH_SIZE = 10_000;

/**
 * CSV export and import of one object's records. Export streams COPY ... TO STDOUT of the table
 * in id order, in one snapshot, the cells formatted in SQL, writing as the output drains: memory
 * does not grow with the table.
 * Import decodes and splits records as it reads, passes each chunk's records to the writer
 * (CsvImportWriter) before reading the next, and writes a batch at a time, in one transaction:
 * memory and locks do not grow with the file.
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
      const copy = await records.copyOut(
        context.object.tableName,
        columns.map((column) => column.column),
        formulaEscape,
      );
      const output = open(context);
      await writeAll(output, copy, stringify([columns.map((column) => column.header)]));
      return { rows: copy.rowCount };
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
      const legacy = legacyCsvColumns(context.object, context.fields, snapshots, context.workspace.defaultCountry);
      input.on('error', (error) => decoder.destroy(error));
      input.pipe(decoder);

      const problems = new RowProblems(MAX_REPORTED_ROWS);
      const writer = new CsvImportWriter(
        new RecordRepository(manager, context.workspace.schemaName),
        new CsvCellsRepository(manager, context.workspace.schemaName),
        context,
        problems,
        batchSize,
      );
      const references = await ViewReferences.load(manager, context);
      const splitter = new CsvRecordSplitter();
      let columns: CsvColumn[] | null = null;
      // Each chunk's records go to the writer before the next chunk is read: reading waits for the database.
      const take = async (records: RawRecord[]) => {
        let first = 0;
        while (columns === null && first < records.length) {
          const record = records[first];
          first += 1;
          if (record.blank) continue;
          const header = headerCells(record);
          if (header.length === 1 && !header[0]) continue;
          columns = resolveHeaders(header, current, legacy);
          await writer.begin({ columns, formulaEscape, references });
        }
        if (columns !== null && first < records.length) await writer.add(first === 0 ? records : records.slice(first));
      };
      try {
        for await (const text of decoder as AsyncIterable<string>) await take(splitter.push(text));
        await take(splitter.end());
      } catch (error) {
        await writer.abandon();
        throw error;
      }
      if (columns === null) throw new RecordError('INVALID', 'file', 'the file is empty: it needs a header line and rows');
      const imported = await writer.finish();
      const errors = problems.first();
      if (problems.count > 0 && !options.skipInvalid) throw new CsvImportError(errors, problems.count);
      return { object: context.object.nameSingular, imported, skipped: problems.count, errors };
    });
  }
}
