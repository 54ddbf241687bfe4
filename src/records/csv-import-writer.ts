import { randomUUID } from 'node:crypto';

import { QueryFailedError } from 'typeorm';

import { RecordRepository } from './record.repository';
import { RecordError } from './record.error';
import { ObjectContext, recordErrorFrom } from './record.service';

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

/**
 * Writes an import's checked rows a batch at a time, without a savepoint per row: the batch is
 * copied into a staging table, references that name no record are found with one query per
 * relation, and the rest moves in one INSERT ... ON CONFLICT DO NOTHING, whose returned ids tell
 * the rows left out for a taken id or unique value. Each bad row is reported with its line.
 */
export class CsvImportWriter {
  private columns: string[] | null = null;

  constructor(
    private readonly records: RecordRepository,
    private readonly context: ObjectContext,
    private readonly problems: RowProblems,
  ) {}

  /** Writes one batch; returns how many rows went in. */
  async write(batch: ParsedRow[]): Promise<number> {
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
      for (const line of await this.records.stagedMissingReferences(field.key, target.tableName)) {
        if (refused.has(line)) continue;
        refused.add(line);
        this.problems.add(line, `${field.key} does not name an existing ${field.field.name} record`);
      }
    }
    return refused;
  }
}
