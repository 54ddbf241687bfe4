import { setTimeout as delay } from 'node:timers/promises';

import { EntityManager, QueryFailedError } from 'typeorm';

import { inTransaction } from '../../database/transaction';
import { UpgradeStepContext } from '../upgrade-step';

/**
 * How long a statement of a brief-lock transaction waits for its table lock. While a strong lock
 * request waits, every writer of the table queues behind it: the wait is kept short and retried.
 */
export const BRIEF_LOCK_TIMEOUT_MS = 50;
export const BRIEF_LOCK_ATTEMPTS = 60;

const isLockTimeout = (error: unknown): boolean =>
  error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '55P03';

/**
 * Runs `work`, DDL that holds a strong table lock for an instant (ADD COLUMN without a default,
 * CREATE TRIGGER), in a transaction whose statements wait at most BRIEF_LOCK_TIMEOUT_MS for a
 * lock; when one times out the transaction is rolled back and tried again after a growing pause,
 * so that writers get the table between attempts. `what` names the work in the error.
 */
export const inBriefLockTransaction = async <T>(
  context: UpgradeStepContext,
  what: string,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> => {
  const timeouts = {
    lockTimeoutMs: Math.min(context.options.lockTimeoutMs, BRIEF_LOCK_TIMEOUT_MS),
    statementTimeoutMs: context.options.statementTimeoutMs,
  };
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await inTransaction(context.connection, timeouts, work);
    } catch (error) {
      if (!isLockTimeout(error)) throw error;
      if (attempt >= BRIEF_LOCK_ATTEMPTS) {
        throw new Error(
          `${what}: the table was not free for ${timeouts.lockTimeoutMs} ms in ${attempt} attempts (a long transaction holds it: see pg_stat_activity); nothing of it was written, run the upgrade again once that transaction has ended`,
          { cause: error },
        );
      }
      // Jittered, so that two upgrades waiting on one table do not retry in step.
      await delay(Math.min(25 * attempt, 500) * (0.5 + Math.random() / 2));
    }
  }
};
