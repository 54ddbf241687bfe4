import { performance } from 'node:perf_hooks';

import { UpgradeStepContext } from '../upgrade-step';
import { BatchedMoveResult, BatchSizer } from './batched-move';

/**
 * Runs `UPDATE <table> SET <assignments>` over every row in keyset batches on id, sized by time
 * (BatchSizer), each its own short transaction with the checkpoint written in it: a run killed
 * anywhere resumes after the last committed batch. Unlike a data move, the rows are not locked
 * FOR UPDATE first: the UPDATE locks each row it writes, and a fill whose value a trigger also
 * keeps current needs nothing more (a row a writer changes meanwhile gets the same value either
 * way), so each row is written once, not locked and then written.
 */
export const fillInBatches = async (
  context: UpgradeStepContext,
  key: string,
  table: string,
  assignments: string,
): Promise<BatchedMoveResult> => {
  const checkpoint = (context.entry.checkpoint ??= {});
  const state = ((checkpoint[key] as { lastId: string | null; filled?: boolean } | undefined) ??= { lastId: null });
  const result: BatchedMoveResult = { rows: 0, batches: 0, maxBatchMs: 0 };
  if (state.filled) return result;
  const sizer = new BatchSizer(context.options.batchSize, context.options.batchTargetMs);
  const { onProgress } = context.options;
  const [counted]: Array<{ total: number; done: number }> = onProgress
    ? await context.connection.query(
        `SELECT count(*)::float8 AS "total", count(*) FILTER (WHERE "id" <= $1::uuid)::float8 AS "done" FROM ${table}`,
        [state.lastId],
      )
    : [{ total: 0, done: 0 }];
  let done = counted.done;
  const report = (finished: boolean) => onProgress?.({ task: 'backfill', done, total: Math.max(counted.total, done), finished });
  report(false);
  for (;;) {
    const started = performance.now();
    const size = sizer.next;
    const batch = await context.transaction(async (manager) => {
      const [row]: Array<{ lastId: string | null; rows: number }> = await manager.query(
        `WITH batch AS (
           SELECT "id" FROM ${table} WHERE ($1::uuid IS NULL OR "id" > $1::uuid) ORDER BY "id" LIMIT $2
         ), filled AS (
           UPDATE ${table} AS t SET ${assignments} FROM batch WHERE t."id" = batch."id" RETURNING 1
         )
         SELECT (SELECT "id"::text FROM batch ORDER BY "id" DESC LIMIT 1) AS "lastId", (SELECT count(*) FROM filled)::int AS "rows"`,
        [state.lastId, size],
      );
      // The batch's last key, whether or not a writer deleted that row meanwhile.
      if (row.lastId === null) state.filled = true;
      else state.lastId = row.lastId;
      await context.ledger(manager).checkpoint(context.entry.id, checkpoint, row.rows);
      if (row.lastId !== null) await context.options.beforeBatchCommit?.(key, result.batches + 1);
      return row;
    });
    const elapsed = performance.now() - started;
    if (batch.lastId === null) {
      report(true);
      return result;
    }
    sizer.record(batch.rows, elapsed);
    done += batch.rows;
    report(false);
    result.rows += batch.rows;
    result.batches += 1;
    result.maxBatchMs = Math.max(result.maxBatchMs, elapsed);
    await context.options.onBatch?.(key, result.batches);
  }
};
