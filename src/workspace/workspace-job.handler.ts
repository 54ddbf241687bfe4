import { WorkspaceRow } from '../metadata/workspace.repository';
import { FleetStatus, FleetWork } from './workspace-fleet.runner';
import { WorkspaceMeasures } from './workspace-outcome.log';

/**
 * The work of one kind of walk (a sync, an upgrade, a report on status or health) on one
 * workspace: what its command runs in this process, and what a worker runs for a queued job.
 */
export interface WorkspaceJobHandler<TDetail = unknown, TOptions = never> {
  /** The kind's name: its command's, and its queued jobs'. */
  readonly name: string;
  /**
   * True when the workspace row alone shows there is nothing to do (a fingerprint or version that
   * matches): `process` then issues no query, and a queued run does it without a job. Absent: never.
   */
  isSettledByRow?(workspace: WorkspaceRow, options: TOptions): boolean;
  process(workspace: WorkspaceRow, options: TOptions): Promise<FleetWork<TDetail>>;
  /** What the work amounted to, for its log line and metrics. Absent: reports only, no actions. */
  measure?(detail: TDetail): WorkspaceMeasures;
}

/** A sync's or an upgrade's status as the fleet counts it. */
export const fleetStatusOf = (status: string): FleetStatus =>
  status === 'failed' ? 'failed' : status === 'skipped' ? 'skipped' : 'succeeded';
