import { randomUUID } from 'node:crypto';

import { CsvError, parse } from 'csv-parse/sync';
import { QueryFailedError } from 'typeorm';

import { CellColumn, cellColumns } from './csv-cells';
import { CellsCopy, CsvCellsRepository } from './csv-cells.repository';
import { cellsOf, lineBreaks } from './csv-quoting';
import { RawRecord } from './csv-records';
import { CsvColumn, rowParams } from './record-csv';
import { RecordRepository } from './record.repository';
import { RecordError } from './record.error';
import { ObjectContext, recordErrorFrom } from './record.service';
import { ViewReferences } from './view-references';

export interface RowProblem {
  /** Line of the file where the row starts (the header is line 1). */
  line: number;
  message: string;
}

/** Bad rows of an import: every one counted, the first `limit` by line kept, so memory stays flat. */
export class RowProblems {
  private kept: RowProblem[] = [];
  count = 0;

  constructor(private readonly limit: number) {}

  add(line: number, message: string): void {
    this.count += 1;
    this.kept.push({ line, message });
    if (this.kept.length >= 2 * this.limit) this.trim();
  }

  /** The first `limit` problems, in line order. */
  first(): RowProblem[] {
    this.trim();
    return this.kept;
  }

  private trim(): void {
    this.kept.sort((a, b) => a.line - b.line);
    if (this.kept.length > this.limit) this.kept.length = this.limit;
  }
}

export interface ParsedRow {
  line: number;
  params: Record<string, unknown>;
}

/** How the records of a file are read: its columns, and what the import was asked. */
export interface CsvImportReading {
  columns: CsvColumn[];
  formulaEscape: boolean;
  references: ViewReferences | null;
}

/** A batch of a file's records could not be parsed: the file is not valid CSV. */
export const invalidCsv = (error: CsvError, firstLine: number): RecordError =>
  new RecordError(
    'INVALID',
    'file',
    `the file is not valid CSV: ${error.message.replace(/at line (\d+)/, (_, line: string) => `at line ${firstLine + Number(line) - 1}`)}. Nothing was imported.`,
  );

/**
 * Writes an import a batch of records at a time, in two ways (docs/csv.md), taking the records
 * as they are read so that no more than a chunk of the file is held. The SQL path copies each
 * record's cells as text as it comes, and at the end of the batch moves them into the table with
 * one INSERT ... SELECT that casts and checks them (CsvCellsRepository); it takes a batch whole or
 * leaves it. The row-by-row path (a batch the SQL path left, read back from the cells table; a
 * batch with a record that is not well-formed, from that record on; a file the SQL path cannot
 * read) parses and checks each row, copies the good ones into a typed staging table, finds
 * references that name no record with one query per relation, and moves the rest in one INSERT
 * ... ON CONFLICT DO NOTHING, whose returned ids tell the rows left out for a taken id or unique
 * value; each bad row is reported with its line. Neither takes a savepoint per row.
 */
export class CsvImportWriter {
  private columns: string[] | null = null;
  private reading: CsvImportReading | null = null;
  private sql: { columns: CellColumn[]; types: Map<string, string> } | null = null;
  /** The batch being read: its records so far, those copied into the cells table, and those held for the row-by-row path. */
  private batch = { records: 0, copy: null as CellsCopy | null, held: null as RawRecord[] | null };
  /** Rows that went in. */
  imported = 0;

  constructor(
    private readonly records: RecordRepository,
    private readonly cells: CsvCellsRepository,
    private readonly context: ObjectContext,
    private readonly problems: RowProblems,
    private readonly batchSize: number,
  ) {}

  /** Sets the file's columns; the SQL path is taken when it reads every one of them. */
  async begin(reading: CsvImportReading): Promise<void> {
    this.reading = reading;
    const columns = reading.references ? null : cellColumns(reading.columns, this.context, reading.formulaEscape);
    if (columns === null || columns.length === 0) return;
    await this.cells.createCells(columns.length);
    this.sql = { columns, types: await this.cells.columnTypes(this.context.object.tableName) };
  }

  /**
   * Takes records of the file (after the header) as they are read; a batch is written when it is
   * full. The cells of the well-formed records of a batch on the SQL path go to the database at
   * once (waiting while it is behind); a record that is not well-formed, and the rest of its
   * batch, are held for the row-by-row path.
   */
  async add(records: RawRecord[]): Promise<void> {
    const width = this.reading!.columns.length;
    let text = '';
    let copied = 0;
    const send = async () => {
      if (copied === 0) return;
      this.batch.copy ??= await this.cells.openBatch();
      await this.batch.copy.write(text, copied);
      text = '';
      copied = 0;
    };
    for (const record of records) {
      this.batch.records += 1;
      if (this.batch.held) this.batch.held.push(record);
      else if (!record.blank) {
        // A record of one empty cell is skipped as an empty line, and a record that is not
        // well-formed is for the strict parser: the batch goes row by row from there.
        const regular = !record.irregular && record.cells === width && !(width === 1 && record.text === '""');
        if (this.sql && regular) {
          text += `${record.line},${record.text}\n`;
          copied += 1;
        } else this.batch.held = [record];
      }
      if (this.batch.records >= this.batchSize) {
        await send();
        await this.flush();
      }
    }
    await send();
  }

  /** Writes the last batch; returns how many rows went in, in all. */
  async finish(): Promise<number> {
    await this.flush();
    return this.imported;
  }

  /**
   * After a failure of the reading (bytes the charset cannot hold, a read error): ends the open
   * COPY, so that the connection leaves COPY mode and the transaction can roll back.
   */
  async abandon(): Promise<void> {
    const { copy } = this.batch;
    this.batch = { records: 0, copy: null, held: null };
    await copy?.end().catch(() => undefined);
  }

  private async flush(): Promise<void> {
    const { copy, held } = this.batch;
    this.batch = { records: 0, copy: null, held: null };
    const copied = copy ? await this.endCopy(copy) : 0;
    if (copied > 0 && !held) {
      if (await this.cells.insertBatch(this.context.object.tableName, this.sql!.columns, this.sql!.types, copied)) {
        this.imported += copied;
        return;
      }
    }
    const rows = copied > 0 ? this.checked(await this.cells.batchCells(this.reading!.columns.length)) : [];
    if (held) rows.push(...this.parse(held));
    this.imported += await this.write(rows);
  }

  /** Ends a batch's COPY; returns the records it holds. */
  private async endCopy(copy: CellsCopy): Promise<number> {
    let rows: number;
    try {
      rows = await copy.end();
    } catch (error) {
      const code = String((error as { code?: unknown }).code);
      if (!/^22/.test(code)) throw error;
      throw new RecordError('INVALID', 'file', `a row of the file could not be read: ${(error as Error).message}. Nothing was imported.`);
    }
    // The splitter and COPY must find the same records; a file where they do not is not imported.
    if (rows !== copy.rows) {
      throw new RecordError(
        'INVALID',
        'file',
        `the file's records could not be told apart (${copy.rows} found, ${rows} read). Nothing was imported.`,
      );
    }
    return rows;
  }

  /** The rows of records held for the row-by-row path, parsed and checked one by one. */
  private parse(records: RawRecord[]): ParsedRow[] {
    let parsed: Array<{ record: string[]; raw: string }>;
    try {
      parsed = parse(records.map((record) => record.raw).join(''), { relax_column_count: true, raw: true }) as unknown as typeof parsed;
    } catch (error) {
      if (error instanceof CsvError) throw invalidCsv(error, records[0].line);
      throw error;
    }
    const cells: Array<{ line: number; cells: Array<string | null> }> = [];
    let nextLine = records[0].line;
    for (const { record, raw } of parsed) {
      const line = nextLine;
      nextLine += Math.max(1, lineBreaks(raw));
      cells.push({ line, cells: cellsOf(record, raw) });
    }
    return this.checked(cells);
  }

  /** Each record's cells checked as a row; a bad row is reported with its line. */
  private checked(records: Array<{ line: number; cells: Array<string | null> }>): ParsedRow[] {
    const reading = this.reading!;
    const rows: ParsedRow[] = [];
    for (const { line, cells } of records) {
      if (cells.length === 1 && !cells[0]) continue;
      try {
        const params = rowParams(reading.columns, cells, reading.formulaEscape);
        reading.references?.check(params);
        rows.push({ line, params });
      } catch (error) {
        if (!(error instanceof RecordError)) throw error;
        this.problems.add(line, error.message);
      }
    }
    return rows;
  }

  /** Writes one batch of checked rows; returns how many rows went in. */
  private async write(batch: ParsedRow[]): Promise<number> {
    if (batch.length === 0) return 0;
    // Every row gets its id here, so that the ids returned by the insert name the rows.
    for (const row of batch) if (row.params.id === undefined) row.params.id = randomUUID();
    const rows = this.withoutRepeatedIds(batch);
    const table = this.context.object.tableName;
    if (this.columns === null) {
      this.columns = Object.keys(batch[0].params);
      await this.records.createStaging(table, this.columns);
    }
    const columns = this.columns;
    try {
      await this.records.stage(
        columns,
        rows.map((row) => [row.line, ...columns.map((column) => row.params[column])]),
      );
      const refused = await this.missingReferences();
      const inserted = new Set((await this.records.insertStaged(table, columns, [...refused])).map((id) => id.toLowerCase()));
      const conflicts = rows.filter((row) => !refused.has(row.line) && !inserted.has(String(row.params.id).toLowerCase()));
      if (conflicts.length > 0) {
        const taken = await this.records.existingIds(
          table,
          conflicts.map((row) => String(row.params.id)),
        );
        const takenIds = new Set([...taken].map((id) => id.toLowerCase()));
        for (const row of conflicts) {
          this.problems.add(
            row.line,
            takenIds.has(String(row.params.id).toLowerCase())
              ? `a record with the id ${String(row.params.id)} already exists (in the workspace or earlier in the file)`
              : 'another record already has one of its unique values (in the workspace or earlier in the file)',
          );
        }
      }
      return inserted.size;
    } catch (error) {
      // A refusal the checks did not foresee ends the import: the transaction is rolled back.
      if (!(error instanceof QueryFailedError)) throw error;
      const known = recordErrorFrom(error, this.context.fields);
      throw new RecordError(
        'INVALID',
        'file',
        `a row of lines ${batch[0].line}-${batch[batch.length - 1].line} was refused: ${known?.message ?? error.message}. Nothing was imported`,
      );
    }
  }

  /** A row whose id appeared earlier in the batch is reported; earlier batches are in the table. */
  private withoutRepeatedIds(batch: ParsedRow[]): ParsedRow[] {
    const seen = new Map<string, number>();
    return batch.filter((row) => {
      const id = String(row.params.id).toLowerCase();
      const earlier = seen.get(id);
      if (earlier !== undefined) {
        this.problems.add(row.line, `the id ${String(row.params.id)} is also on line ${earlier}`);
        return false;
      }
      seen.set(id, row.line);
      return true;
    });
  }

  /** Lines whose relations name no record: one query per relation column of the file. */
  private async missingReferences(): Promise<Set<number>> {
    const refused = new Set<number>();
    for (const field of this.context.fields) {
      if (field.kind !== 'relation' || !this.columns!.includes(field.key)) continue;
      const target = this.context.objects.find((object) => object.id === field.field.relationTargetObjectMetadataId);
      if (!target) continue;
      const self = target.id === this.context.object.id;
      for (const line of await this.records.stagedMissingReferences(field.key, target.tableName, self)) {
        if (refused.has(line)) continue;
        refused.add(line);
        this.problems.add(line, `${field.key} does not name an existing ${field.field.name} record`);
      }
    }
    return refused;
  }
}
