import { EntityManager } from 'typeorm';

import { isConnectionLoss } from '../database/connection-loss';
import { qualified, quoteIdentifier, renderStatement } from '../database/sql';
import { Plan, PreflightCheck } from './plan';
import { SyncError } from './sync.error';

const abbreviate = (text: string, max = 400): string => (text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`);

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
          const [{ count }] = await this.manager.query(`SELECT count(*)::int AS count FROM ${table} WHERE ${columns.map((c) => `${c} IS NULL`).join(' OR ')}`);
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

  /** Executes every statement in order; a failure names the action and the statement. */
  async apply(plan: Plan, onStatement?: (index: number) => Promise<void> | void): Promise<number> {
    let executed = 0;
    for (const action of plan.actions) {
      for (const statement of action.statements) {
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
    return executed;
  }
}
