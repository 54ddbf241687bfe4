import { performance } from 'node:perf_hooks';

import { quoteIdentifier } from '../../database/sql';
import { UpgradeStepContext } from '../upgrade-step';
import { BatchedMoveResult, BatchSizer } from './batched-move';
import { inBriefLockTransaction } from './brief-lock';

/** A table's pages now, and its rows per page as last analyzed (50 before any analyze). */
export const tableShape = async (context: UpgradeStepContext, table: string): Promise<{ blocks: number; rowsPerBlock: number }> => {
  const [shape]: Array<{ blocks: number; rowsPerBlock: number }> = await context.connection.query(
    `SELECT (pg_relation_size(c.oid) / current_setting('block_size')::int)::int AS "blocks",
            CASE WHEN c.relpages > 0 AND c.reltuples > 0 THEN c.reltuples / c.relpages ELSE 50 END::float8 AS "rowsPerBlock"
       FROM pg_class c WHERE c.oid = $1::regclass`,
    [table],
  );
  return shape;
};

/**
 * A trigger kept on the table while it is filled, computing the column of any row a writer
 * updates while it is still NULL (`functionName`, a trigger function that sets it): such a write
 * moves the row, maybe behind the pass, and a pass that found nothing would not tell it from a
 * table filled. Dropped with the fill's last checkpoint.
 */
export interface FillKeeper {
  triggerName: string;
  /** Qualified. */
  functionName: string;
}

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
 * table repeat until one finds nothing to fill. Each batch fills at most the rows BatchSizer gives
 * it (sized by time, `batchTargetMs`, or `batchSize` rows), whatever the pages hold.
 */
export const fillInPageRanges = async (
  context: UpgradeStepContext,
  key: string,
  table: string,
  column: string,
  value: string,
  keeper?: FillKeeper,
): Promise<BatchedMoveResult> => {
  const checkpoint = (context.entry.checkpoint ??= {});
  const result: BatchedMoveResult = { rows: 0, batches: 0, maxBatchMs: 0 };
  const saved = checkpoint[key] as FillState | undefined;
  if (saved?.filled) return result;
  if (keeper) {
    await inBriefLockTransaction(context, `filling ${key}`, async (manager) => {
      await manager.query(`DROP TRIGGER IF EXISTS ${quoteIdentifier(keeper.triggerName)} ON ${table}`);
      await manager.query(
        `CREATE TRIGGER ${quoteIdentifier(keeper.triggerName)} BEFORE UPDATE ON ${table} FOR EACH ROW WHEN (NEW.${column} IS NULL) EXECUTE FUNCTION ${keeper.functionName}()`,
      );
    });
  }
  const shape = await tableShape(context, table);
  const state: FillState = saved?.endBlock !== undefined ? saved : { pass: 1, nextBlock: 0, endBlock: shape.blocks, filledInPass: 0 };
  checkpoint[key] = state;
  const { onProgress } = context.options;
  // Batches that filled rows, as the fault-injection hook counts them (a batch of dead pages is no different from none).
  let filledBatches = 0;
  const sizer = new BatchSizer(context.options.batchSize, context.options.batchTargetMs);
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
        await context.transaction(async (manager) => {
          if (keeper) await manager.query(`DROP TRIGGER IF EXISTS ${quoteIdentifier(keeper.triggerName)} ON ${table}`);
          await context.ledger(manager).checkpoint(context.entry.id, checkpoint, 0);
        });
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
    const limit = sizer.next;
    const from = state.nextBlock;
    // The pages that hold about twice the batch's rows: a batch stops at its row limit or at their end.
    const to = Math.min(from + Math.max(1, Math.ceil((2 * limit) / shape.rowsPerBlock)), state.endBlock);
    const rows = await context.batch(async (manager) => {
      const [filled]: Array<{ selected: number; rows: number; lastBlock: number | null }> = await manager.query(
        `WITH batch AS (
           SELECT ctid FROM ${table} WHERE ctid >= $1::tid AND ctid < $2::tid AND ${column} IS NULL ORDER BY ctid LIMIT $3
         ), filled AS (
           UPDATE ${table} AS t SET ${column} = ${value} FROM batch WHERE t.ctid = batch.ctid RETURNING 1
         )
         SELECT (SELECT count(*) FROM batch)::int AS "selected", (SELECT count(*) FROM filled)::int AS "rows", (SELECT max((ctid::text::point)[0]) FROM batch)::int AS "lastBlock"`,
        [`(${from},0)`, `(${to},0)`, limit],
      );
      // A batch that reached its limit goes on from its last page (whose rows filled are skipped as no longer NULL).
      state.nextBlock = filled.selected >= limit && filled.lastBlock !== null ? Math.max(filled.lastBlock, from) : to;
      state.filledInPass += filled.rows;
      await context.ledger(manager).checkpoint(context.entry.id, checkpoint, filled.rows);
      if (filled.rows > 0) await context.options.beforeBatchCommit?.(key, filledBatches + 1, manager);
      return filled.rows;
    });
    const elapsed = performance.now() - started;
    sizer.record(rows, elapsed);
    result.rows += rows;
    result.batches += 1;
    if (rows > 0) filledBatches += 1;
    result.maxBatchMs = Math.max(result.maxBatchMs, elapsed);
    report(false);
    await context.options.onBatch?.(key, result.batches, elapsed);
  }
};
