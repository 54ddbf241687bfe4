import { performance } from 'node:perf_hooks';

import { UpgradeStepContext } from '../upgrade-step';
import { BatchedMoveResult } from './batched-move';

const FIRST_BLOCKS = 4;

/** Where a fill is: its pass, the next page and the end of the pass, the rows the pass filled. */
interface FillState {
  pass: number;
  nextBlock: number;
  endBlock: number;
  filledInPass: number;
  filled?: boolean;
}

/**
 * Sets `column` to `value` (an expression on the row `t`) wherever it is NULL, in batches of
 * consecutive pages (a TID range scan), each its own short transaction with its checkpoint: the
 * table is read and written once, in order, as one UPDATE would, where batches of ids visit its
 * pages at random. For a column a trigger keeps current from the moment the fill starts: a row
 * written since already holds its value. A row a writer moves without firing the trigger (it
 * changed other columns) can land in a page the pass has left behind, so passes over the whole
 * table repeat until one finds nothing to fill. Batches are sized by time (`batchTargetMs`), or
 * hold about `batchSize` rows when it is unset.
 */
export const fillInPageRanges = async (
  context: UpgradeStepContext,
  key: string,
  table: string,
  column: string,
  value: string,
): Promise<BatchedMoveResult> => {
  const checkpoint = (context.entry.checkpoint ??= {});
  const result: BatchedMoveResult = { rows: 0, batches: 0, maxBatchMs: 0 };
  const saved = checkpoint[key] as FillState | undefined;
  if (saved?.filled) return result;
  const [shape]: Array<{ blocks: number; rowsPerBlock: number }> = await context.connection.query(
    `SELECT (pg_relation_size(c.oid) / current_setting('block_size')::int)::int AS "blocks",
            CASE WHEN c.relpages > 0 AND c.reltuples > 0 THEN c.reltuples / c.relpages ELSE 50 END::float8 AS "rowsPerBlock"
       FROM pg_class c WHERE c.oid = $1::regclass`,
    [table],
  );
  const state: FillState = saved?.endBlock !== undefined ? saved : { pass: 1, nextBlock: 0, endBlock: shape.blocks, filledInPass: 0 };
  checkpoint[key] = state;
  const { batchTargetMs, batchSize, onProgress } = context.options;
  const maxBlocks = Math.max(1, Math.round(batchSize / shape.rowsPerBlock));
  let blocks = batchTargetMs === undefined ? maxBlocks : Math.min(FIRST_BLOCKS, maxBlocks);
  // Progress in rows, as estimated from the pages: the passes after the first go quickly.
  const report = (finished: boolean) =>
    onProgress?.({
      task: 'backfill',
      done: Math.round(state.nextBlock * shape.rowsPerBlock),
      total: Math.round(state.endBlock * shape.rowsPerBlock),
      finished,
    });
  for (;;) {
    if (state.nextBlock >= state.endBlock) {
      if (state.pass > 1 && state.filledInPass === 0) {
        state.filled = true;
        await context.transaction((manager) => context.ledger(manager).checkpoint(context.entry.id, checkpoint, 0));
        report(true);
        return result;
      }
      const [now]: Array<{ blocks: number }> = await context.connection.query(
        `SELECT (pg_relation_size($1::regclass) / current_setting('block_size')::int)::int AS "blocks"`,
        [table],
      );
      Object.assign(state, { pass: state.pass + 1, nextBlock: 0, endBlock: now.blocks, filledInPass: 0 });
    }
    const started = performance.now();
    const from = state.nextBlock;
    const to = Math.min(from + blocks, state.endBlock);
    const rows = await context.transaction(async (manager) => {
      const [filled]: Array<{ rows: number }> = await manager.query(
        `WITH filled AS (
           UPDATE ${table} AS t SET ${column} = ${value}
            WHERE t.ctid >= $1::tid AND t.ctid < $2::tid AND t.${column} IS NULL
           RETURNING 1
         )
         SELECT count(*)::int AS "rows" FROM filled`,
        [`(${from},0)`, `(${to},0)`],
      );
      state.nextBlock = to;
      state.filledInPass += filled.rows;
      await context.ledger(manager).checkpoint(context.entry.id, checkpoint, filled.rows);
      await context.options.beforeBatchCommit?.(key, result.batches + 1);
      return filled.rows;
    });
    const elapsed = performance.now() - started;
    if (batchTargetMs !== undefined && to - from === blocks) {
      // As BatchSizer does for rows: toward the target, never more than doubling or less than a quarter at a time.
      const ideal = Math.round((blocks * batchTargetMs) / Math.max(elapsed, 1));
      blocks = Math.min(Math.max(Math.min(Math.max(ideal, Math.floor(blocks / 4)), blocks * 2), 1), maxBlocks);
    }
    result.rows += rows;
    result.batches += 1;
    result.maxBatchMs = Math.max(result.maxBatchMs, elapsed);
    report(false);
    await context.options.onBatch?.(key, result.batches);
  }
};
