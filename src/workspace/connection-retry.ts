import { isConnectionLoss, reportsConnectionLoss } from '../database/connection-loss';
import { FleetWork } from './workspace-fleet.runner';

const FIRST_DELAY_MS = 100;
const MAX_DELAY_MS = 2_000;

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `attempt` again, with exponential backoff, while it fails because the database connection
 * was lost (thrown, or reported in a failed outcome), for at most `boundMs` in all; then gives
 * its last answer. A server restart of a few seconds thus costs no workspace.
 *
 * Safe because a workspace's work never leaves anything half-done on a lost connection: a sync is
 * one transaction (rolled back by the server), and an upgrade's steps resume from their last
 * committed checkpoint in the ledger; work that committed just before the loss is found done.
 * A pooled connection that died is not handed out again: its error releases it with that error,
 * and the pool drops it.
 */
export const retryOnConnectionLoss = async <T>(attempt: () => Promise<T>, isLost: (result: T) => boolean, boundMs: number): Promise<T> => {
  const deadline = Date.now() + boundMs;
  for (let delay = FIRST_DELAY_MS; ; delay = Math.min(delay * 2, MAX_DELAY_MS)) {
    try {
      const result = await attempt();
      if (!isLost(result) || Date.now() >= deadline) return result;
    } catch (error) {
      if (!isConnectionLoss(error) || Date.now() >= deadline) throw error;
    }
    await pause(Math.min(delay, deadline - Date.now()));
  }
};

/** A workspace's work, retried on a lost connection (see retryOnConnectionLoss). */
export const retryWorkOnConnectionLoss = <T>(work: () => Promise<FleetWork<T>>, boundMs: number): Promise<FleetWork<T>> =>
  retryOnConnectionLoss(work, (done) => done.status === 'failed' && reportsConnectionLoss(done.message), boundMs);
