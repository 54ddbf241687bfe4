import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';

import { Client } from 'pg';

/** The table lock modes that conflict with a writer's RowExclusiveLock. */
const BLOCKING_MODES = ['ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock'];

export interface LockWatchResult {
  /** The longest a granted lock that blocks writers was seen held on the table, in ms (sampled). */
  longestBlockingLockMs: number;
  /** Its mode and the statement of the session that held it, as pg_stat_activity first showed it (shortened). */
  longestBlockingLockBy: string | null;
  /**
   * The longest a probe writer's UPDATE of one row of the table took, in ms: its lock waits and its
   * own work, not its commit (timed apart: the flush of its WAL, which waits for the disk, not a lock).
   */
  longestWriterWaitMs: number;
  /** The longest the probe writer's own COMMIT took, in ms. */
  longestWriterCommitMs: number;
  /** The longest one write of the probe writer took, its UPDATE and its COMMIT together, in ms. */
  longestWriterWriteMs: number;
  samples: number;
  probeWrites: number;
}

/**
 * Watches one table while work runs on it: a sampler polls pg_locks every ~10 ms for granted
 * locks that block writers (keyed by session, mode and transaction start, so a lock's span is from
 * the first sample that saw it to the last), and a probe writer updates one row in a loop,
 * timing each UPDATE (where it waits for locks) and its COMMIT apart. `stop` ends both and gives the longest of each.
 */
export const watchLocks = async (url: string, schema: string, table: string, probeId: string, probeColumn: string) => {
  const sampler = new Client({ connectionString: url });
  const writer = new Client({ connectionString: url });
  await sampler.connect();
  await writer.connect();
  const spans = new Map<string, { first: number; last: number; query: string }>();
  const result: LockWatchResult = {
    longestBlockingLockMs: 0,
    longestBlockingLockBy: null,
    longestWriterWaitMs: 0,
    longestWriterCommitMs: 0,
    longestWriterWriteMs: 0,
    samples: 0,
    probeWrites: 0,
  };
  let running = true;
  const relation = `"${schema}"."${table}"`;

  const sample = async (): Promise<void> => {
    while (running) {
      const { rows } = await sampler.query(
        `SELECT l.pid, l.mode, a.xact_start::text AS "xactStart", left(a.query, 120) AS query
           FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
          WHERE l.locktype = 'relation' AND l.relation = $1::regclass AND l.granted AND l.mode = ANY($2) AND l.pid <> pg_backend_pid()`,
        [relation, BLOCKING_MODES],
      );
      const now = performance.now();
      result.samples += 1;
      for (const row of rows) {
        const key = `${row.pid}/${row.mode}/${row.xactStart}`;
        const span = spans.get(key);
        if (span) span.last = now;
        else spans.set(key, { first: now, last: now, query: `${row.mode} by ${row.query}` });
      }
      await delay(10);
    }
  };

  const probe = async (): Promise<void> => {
    while (running) {
      await writer.query('BEGIN');
      const started = performance.now();
      await writer.query(`UPDATE ${relation} SET "${probeColumn}" = $1 WHERE "id" = $2`, [`probe ${result.probeWrites}`, probeId]);
      const updated = performance.now();
      await writer.query('COMMIT');
      result.longestWriterWaitMs = Math.max(result.longestWriterWaitMs, updated - started);
      result.longestWriterCommitMs = Math.max(result.longestWriterCommitMs, performance.now() - updated);
      result.longestWriterWriteMs = Math.max(result.longestWriterWriteMs, performance.now() - started);
      result.probeWrites += 1;
      await delay(10);
    }
  };

  const loops = [sample(), probe()];
  return {
    stop: async (): Promise<LockWatchResult> => {
      running = false;
      await Promise.all(loops);
      await sampler.end();
      await writer.end();
      for (const span of spans.values()) {
        if (span.last - span.first >= result.longestBlockingLockMs) {
          result.longestBlockingLockMs = span.last - span.first;
          result.longestBlockingLockBy = span.query;
        }
      }
      return result;
    },
  };
};
