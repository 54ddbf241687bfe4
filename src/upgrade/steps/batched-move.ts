import { performance } from 'node:perf_hooks';

import { UpgradeStepContext } from '../upgrade-step';

export interface BatchedMoveResult {
  rows: number;
  batches: number;
  maxBatchMs: number;
}

const MIN_ADAPTIVE_BATCH = 100;
const FIRST_ADAPTIVE_BATCH = 1_000;

/**
 * The size of each batch of a data move: fixed, or adapted after every batch so that a batch's
 * transaction lasts about `targetMs` (never more than doubling or less than a quarter at a time,
 * between 100 rows and `maxRows`).
 */
export class BatchSizer {
  private size: number;

  constructor(
    private readonly maxRows: number,
    private readonly targetMs?: number,
  ) {
    this.size = targetMs === undefined ? maxRows : Math.min(FIRST_ADAPTIVE_BATCH, maxRows);
  }

  get next(): number {
    return this.size;
  }

  record(rows: number, elapsedMs: number): void {
    // A short batch (the table's end) says nothing about the rate.
    if (this.targetMs === undefined || rows < this.size) return;
    const ideal = Math.round((this.size * this.targetMs) / Math.max(elapsedMs, 1));
    const bounded = Math.min(Math.max(ideal, Math.floor(this.size / 4)), this.size * 2);
    this.size = Math.min(Math.max(bounded, Math.min(MIN_ADAPTIVE_BATCH, this.maxRows)), this.maxRows);
  }
}

/**
 * Runs `UPDATE <table> SET <assignments>` over every row in keyset batches on id (sized by
 * BatchSizer), each batch its own short transaction under the step's timeouts, with the checkpoint written in the same
 * transaction: a run killed anywhere resumes after the last committed batch.
 */
export const moveInBatches = async (
  context: UpgradeStepContext,
  key: string,
  table: string,
  assignments: string,
): Promise<BatchedMoveResult> => {
  const checkpoint = (context.entry.checkpoint ??= {});
  const state = ((checkpoint[key] as { lastId?: string | null; copied?: boolean } | undefined) ??= { lastId: null });
  const result: BatchedMoveResult = { rows: 0, batches: 0, maxBatchMs: 0 };
  if ((state as { copied?: boolean }).copied) return result;
  const sizer = new BatchSizer(context.options.batchSize, context.options.batchTargetMs);
  const { onProgress } = context.options;
  // The rows in all and those a resumed move already did, for its progress.
  const [counted]: Array<{ total: number; done: number }> = onProgress
    ? await context.connection.query(
        `SELECT count(*)::float8 AS "total", count(*) FILTER (WHERE "id" <= $1::uuid)::float8 AS "done" FROM ${table}`,
        [state.lastId ?? null],
      )
    : [{ total: 0, done: 0 }];
  let done = counted.done;
  const report = (finished: boolean) => onProgress?.({ task: 'move', done, total: Math.max(counted.total, done), finished });
  report(false);
  for (;;) {
    const started = performance.now();
    const size = sizer.next;
    const moved = await context.batch(async (manager) => {
      const rows: Array<{ id: string }> = await manager.query(
        // Wrapped in a SELECT: the driver returns UPDATE ... RETURNING rows in another shape.
        `WITH batch AS (
           SELECT "id" FROM ${table} WHERE ($1::uuid IS NULL OR "id" > $1::uuid) ORDER BY "id" LIMIT $2 FOR UPDATE
         ), moved AS (
           UPDATE ${table} AS t SET ${assignments} FROM batch WHERE t."id" = batch."id" RETURNING t."id"
         )
         SELECT "id"::text AS "id" FROM moved`,
        [state.lastId ?? null, size],
      );
      if (rows.length > 0) {
        state.lastId = rows.reduce((max, row) => (row.id > max ? row.id : max), rows[0].id);
      } else {
        (state as { copied?: boolean }).copied = true;
      }
      await context.ledger(manager).checkpoint(context.entry.id, checkpoint, rows.length);
      if (rows.length > 0) await context.options.beforeBatchCommit?.(key, result.batches + 1, manager);
      return rows.length;
    });
    const elapsed = performance.now() - started;
    if (moved === 0) {
      report(true);
      return result;
    }
    sizer.record(moved, elapsed);
    done += moved;
    report(false);
    result.rows += moved;
    result.batches += 1;
    result.maxBatchMs = Math.max(result.maxBatchMs, elapsed);
    await context.options.onBatch?.(key, result.batches, elapsed);
  }
};
