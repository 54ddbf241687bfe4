import { DataSource, EntityManager, QueryRunner } from 'typeorm';

/** How long a statement of a workspace's transaction may wait for a lock, and run. */
export interface Timeouts {
  lockTimeoutMs: number;
  statementTimeoutMs: number;
}

/**
 * How a transaction's commit is made durable. `wait` (the server's setting, on by default): COMMIT
 * returns once its WAL is on disk. `no-wait`: COMMIT returns at once and the WAL writer flushes it
 * within a fraction of a second, so the locks the transaction took are released without waiting for
 * the disk. A server crash in between loses that transaction whole (never a part of it), and any
 * later commit that waits makes it durable too.
 */
export type CommitFlush = 'wait' | 'no-wait';

/** The set_config calls that give the current transaction `timeouts` (values inlined), for a SELECT list. */
export const timeoutSettings = (timeouts: Timeouts): string[] => [
  `set_config('lock_timeout', '${Math.round(timeouts.lockTimeoutMs)}ms', true)`,
  `set_config('statement_timeout', '${Math.round(timeouts.statementTimeoutMs)}ms', true)`,
];

/**
 * Runs `work` in a transaction on `connection`, its timeouts (and, for `no-wait`, its commit
 * flush) set first in one round trip; commits, or rolls back and rethrows. When the connection was
 * lost the server has rolled the transaction back already.
 */
export const inTransaction = async <T>(
  connection: QueryRunner,
  timeouts: Timeouts,
  work: (manager: EntityManager) => Promise<T>,
  flush: CommitFlush = 'wait',
): Promise<T> => {
  // Inside a transaction already, TypeORM would open a savepoint, and the setting would hold until
  // the outer transaction's commit: that one must not lose its wait for the disk.
  if (flush === 'no-wait' && connection.isTransactionActive) {
    throw new Error('a no-wait batch cannot run inside another transaction: its setting would end with that one');
  }
  await connection.startTransaction();
  try {
    const settings = [...timeoutSettings(timeouts), ...(flush === 'no-wait' ? [`set_config('synchronous_commit', 'off', true)`] : [])];
    await connection.query(`SELECT ${settings.join(', ')}`);
    const result = await work(connection.manager);
    await connection.commitTransaction();
    return result;
  } catch (error) {
    if (connection.isTransactionActive) await connection.rollbackTransaction().catch(() => undefined);
    throw error;
  }
};

/** What `inLockedTransaction` gives when another runner holds the lock. */
export const LOCKED = Symbol('locked by another runner');

/**
 * Runs `work` in a transaction of the data source once `tryLock` (a transaction-level advisory
 * lock) succeeds; LOCKED, with nothing done, when another runner holds it.
 */
export const inLockedTransaction = async <T>(
  dataSource: DataSource,
  tryLock: (manager: EntityManager) => Promise<boolean>,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T | typeof LOCKED> => dataSource.transaction(async (manager) => ((await tryLock(manager)) ? work(manager) : LOCKED));

/**
 * A transaction begun and ended by scripts: BEGIN goes out with the lock and the first read in one
 * round trip, COMMIT with the plan in another. The code that sends them says so (begin, committed);
 * any other way out of `inScriptedTransaction` rolls it back.
 */
export class ScriptedTransaction {
  private open = false;

  constructor(private readonly manager: EntityManager) {}

  /** The statement that begins the transaction, to send first in a script. */
  begin(): string {
    this.open = true;
    return 'BEGIN';
  }

  /** The statement that commits it, to send last in a script; call `committed` once that script succeeded. */
  commit(): string {
    return 'COMMIT';
  }

  committed(): void {
    this.open = false;
  }

  /** Ends a transaction that is open (a failed script leaves it aborted) by rolling it back. */
  async rollback(): Promise<void> {
    if (!this.open) return;
    this.open = false;
    await this.manager.query('ROLLBACK');
  }
}

/** Runs `work` with a ScriptedTransaction on the manager's connection; one left open is rolled back. */
export const inScriptedTransaction = async <T>(
  manager: EntityManager,
  work: (transaction: ScriptedTransaction) => Promise<T>,
): Promise<T> => {
  const transaction = new ScriptedTransaction(manager);
  try {
    const result = await work(transaction);
    await transaction.rollback();
    return result;
  } catch (error) {
    await transaction.rollback().catch(() => undefined);
    throw error;
  }
};
