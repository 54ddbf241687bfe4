import { EntityManager } from 'typeorm';

import { isConnectionLoss } from '../database/connection-loss';
import { qualified, quoteIdentifier } from '../database/sql';
import { Plan, PlanAction, PreflightCheck } from './plan';
import { SyncError } from './sync.error';
import { renderStatement, SqlStatement } from '../database/sql-statement';

const abbreviate = (text: string, max = 400): string =>
  text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;

export interface ApplyOptions {
  /** Called after each statement (progress, fault injection in tests): the statements then go one at a time. */
  onStatement?: (executed: number) => Promise<void> | void;
  /** Statements that follow the plan's in the same round trip (the fingerprint); not counted. */
  finish?: SqlStatement[];
  /** End the transaction with a COMMIT after `finish` (in the same round trip). */
  commit?: boolean;
  /** The connection is in a transaction the manager does not know of (opened by a plain BEGIN). */
  inTransaction?: boolean;
}

const SCRIPT_SAVEPOINT = 'wms_plan';

/** Errors of waiting (lock timeout, statement timeout, deadlock): running the plan again only waits again. */
const WAITED_OUT: ReadonlySet<string> = new Set(['55P03', '57014', '40P01']);

/**
 * When a plan's `statements` statement(s), sent as one script, failed by waiting (a lock or
 * statement timeout, a deadlock): the failure to report, as it is (running them again, one by one
 * or after a read, would only wait again). Otherwise null.
 */
export const waitedOutFailure = (error: unknown, statements: number): string | null => {
  const code = (error as { code?: string }).code;
  return code && WAITED_OUT.has(code) ? `the plan's ${statements} statement(s) failed: ${(error as Error).message}` : null;
};

export interface PreflightFailure {
  check: PreflightCheck;
  /** Rows (or groups) found, and a few examples. */
  count: number;
  examples: unknown[];
}

/** Runs a plan's reads and writes. With the metadata tables, the only code of sync that issues SQL. */
export class PlanApplier {
  constructor(
    private readonly manager: EntityManager,
    private readonly schemaName: string,
  ) {}

  /** Runs every pre-flight read of the plan; returns what they found (empty: safe to write). */
  async preflight(plan: Plan): Promise<PreflightFailure[]> {
    const failures: PreflightFailure[] = [];
    for (const check of plan.actions.flatMap((action) => action.preflight)) {
      const table = qualified(this.schemaName, check.table);
      const columns = check.columns.map(quoteIdentifier);
      let rows: Array<Record<string, unknown>>;
      if (check.kind === 'NO_NULLS') {
        rows = await this.manager.query(`SELECT "id" FROM ${table} WHERE ${columns.map((c) => `${c} IS NULL`).join(' OR ')} LIMIT 5`);
        if (rows.length > 0) {
          const [{ count }] = await this.manager.query(
            `SELECT count(*)::int AS count FROM ${table} WHERE ${columns.map((c) => `${c} IS NULL`).join(' OR ')}`,
          );
          failures.push({ check, count, examples: rows.map((row) => row.id) });
        }
      } else if (check.kind === 'NO_ROWS') {
        rows = await this.manager.query(`SELECT "id" FROM ${table} LIMIT 5`);
        if (rows.length > 0) {
          const [{ count }] = await this.manager.query(`SELECT count(*)::int AS count FROM ${table}`);
          failures.push({ check, count, examples: rows.map((row) => row.id) });
        }
      } else if (check.kind === 'NO_DUPLICATES') {
        rows = await this.manager.query(
          `SELECT ${columns.join(', ')}, count(*)::int AS count FROM ${table} ${check.where ? `WHERE ${check.where}` : ''}
            GROUP BY ${columns.join(', ')} HAVING count(*) > 1 ORDER BY count(*) DESC LIMIT 5`,
        );
        if (rows.length > 0) {
          failures.push({ check, count: rows.length, examples: rows });
        }
      } else {
        const values = check.isArray ? `unnest(${columns[0]}::text[])` : `${columns[0]}::text`;
        rows = await this.manager.query(
          `SELECT DISTINCT v FROM (SELECT ${values} AS v FROM ${table}) s WHERE v IS NOT NULL AND NOT (v = ANY($1::text[])) LIMIT 5`,
          [check.values ?? []],
        );
        if (rows.length > 0) {
          failures.push({ check, count: rows.length, examples: rows.map((row) => row.v) });
        }
      }
    }
    return failures;
  }

  /**
   * Executes the plan's statements in order, then `finish` (the fingerprint), and, with `commit`,
   * commits the transaction; returns how many of the plan's statements ran. Inside a transaction,
   * with no hook to call between statements, they go to the server as one script in one round
   * trip, after a savepoint: when the script fails, the savepoint is restored and the statements
   * are run one by one, so that the failure names its action and statement as it does when they
   * are sent one at a time. A failure leaves the transaction open, for the caller to roll back.
   */
  async apply(plan: Plan, options: ApplyOptions = {}): Promise<number> {
    const steps = plan.actions.flatMap((action) => action.statements.map((statement) => ({ action, statement })));
    const finish = options.finish ?? [];
    const inTransaction = options.inTransaction ?? this.manager.queryRunner?.isTransactionActive ?? false;
    const oneByOne = async (): Promise<number> => {
      await this.applyEach(steps, options.onStatement);
      for (const statement of finish) await this.manager.query(statement.sql, statement.params);
      if (options.commit) await this.manager.query('COMMIT');
      return steps.length;
    };
    if (options.onStatement || !inTransaction) return oneByOne();
    const script = [
      `SAVEPOINT ${SCRIPT_SAVEPOINT}`,
      ...steps.map(({ statement }) => renderStatement(statement)),
      ...finish.map(renderStatement),
      ...(options.commit ? ['COMMIT'] : []),
    ].join(';\n');
    try {
      await this.manager.query(script);
      return steps.length;
    } catch (error) {
      if (isConnectionLoss(error)) throw error;
      const waitedOut = waitedOutFailure(error, steps.length);
      if (waitedOut) throw new SyncError('STATEMENT_FAILED', waitedOut);
      // Find the failing statement: it fails again, this time on its own. (Were it the COMMIT that
      // failed, there is no transaction left, nor savepoint: the failure is what it said.)
      try {
        await this.manager.query(`ROLLBACK TO SAVEPOINT ${SCRIPT_SAVEPOINT}`);
      } catch {
        throw new SyncError('STATEMENT_FAILED', `the plan failed: ${(error as Error).message}`);
      }
    }
    return oneByOne();
  }

  private async applyEach(
    steps: Array<{ action: PlanAction; statement: SqlStatement }>,
    onStatement?: (index: number) => Promise<void> | void,
  ): Promise<void> {
    let executed = 0;
    for (const { action, statement } of steps) {
      try {
        await this.manager.query(statement.sql, statement.params);
      } catch (error) {
        // A lost connection is no fault of the statement: it is reported as what it is.
        if (isConnectionLoss(error)) throw error;
        throw new SyncError(
          'STATEMENT_FAILED',
          `${action.summary} failed: ${(error as Error).message} (statement: ${abbreviate(renderStatement(statement))})`,
        );
      }
      executed += 1;
      await onStatement?.(executed);
    }
  }
}
