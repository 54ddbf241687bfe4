import { isConnectionLoss, reportsConnectionLoss } from '../database/connection-loss';
import { FleetWork } from './workspace-fleet.runner';

const FIRST_DELAY_MS = 100;
const MAX_DELAY_MS = 2_000;

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * What a process says while its work waits for the database: one line when the first retry of an
 * outage begins, whatever the number of workspaces and attempts waiting, and one when a retry
 * gets through.
 */
export class DatabaseOutage {
  private down = false;

  constructor(private readonly log: (line: string) => void) {}

  lost(reason: string, boundMs: number): void {
    if (this.down) return;
    this.down = true;
    this.log(`database unreachable (${reason}), retrying for up to ${Math.round(boundMs / 100) / 10} s (DATABASE_RETRY_MS)`);
  }

  back(): void {
    if (!this.down) return;
    this.down = false;
    this.log('database reachable again');
  }
}

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
export const retryOnConnectionLoss = async <T>(
  attempt: () => Promise<T>,
  isLost: (result: T) => boolean,
  boundMs: number,
  outage?: DatabaseOutage,
): Promise<T> => {
  const deadline = Date.now() + boundMs;
  let retried = false;
  for (let delay = FIRST_DELAY_MS; ; delay = Math.min(delay * 2, MAX_DELAY_MS)) {
    let reason: string;
    try {
      const result = await attempt();
      if (!isLost(result)) {
        if (retried) outage?.back();
        return result;
      }
      if (Date.now() >= deadline) return result;
      reason = lossReason(result);
    } catch (error) {
      if (!isConnectionLoss(error) || Date.now() >= deadline) throw error;
      reason = error instanceof Error ? error.message : String(error);
    }
    retried = true;
    outage?.lost(reason, boundMs);
    await pause(Math.min(delay, deadline - Date.now()));
  }
};

/** The reason of a lost connection an outcome reports: `database connection lost (reason); ...`. */
const lossReason = (result: unknown): string => {
  const message = (result as { message?: unknown } | null)?.message;
  if (typeof message !== 'string') return 'connection lost';
  return /database connection lost \((.*?)\)(;|$)/.exec(message)?.[1] ?? message;
};

/** A workspace's work, retried on a lost connection (see retryOnConnectionLoss). */
export const retryWorkOnConnectionLoss = <T>(
  work: () => Promise<FleetWork<T>>,
  boundMs: number,
  outage?: DatabaseOutage,
): Promise<FleetWork<T>> =>
  retryOnConnectionLoss(work, (done) => done.status === 'failed' && reportsConnectionLoss(done.message), boundMs, outage);
