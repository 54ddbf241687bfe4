import { Plan } from './plan';

export type WorkspaceOutcomeStatus = 'applied' | 'up-to-date' | 'planned' | 'failed' | 'skipped';

export interface WorkspaceOutcome {
  workspaceId: string;
  schemaName: string;
  status: WorkspaceOutcomeStatus;
  message: string | null;
  plan: Plan | null;
  statementsExecuted: number;
  /**
   * The standard objects compared when the plan was made from what changed in the declarations
   * since the workspace's recorded fingerprint; null when the whole workspace was compared.
   */
  scope: string[] | null;
  /**
   * The plan was made from the declarations alone (only new fields), the workspace checked under
   * its lock to be as its fingerprint records where they go, instead of from a read of it.
   */
  plannedWithoutReading: boolean;
}

/** What one way of syncing a workspace ended with; what it leaves out is null, 0 or false. */
export type LockedResult = Pick<WorkspaceOutcome, 'status'> & Partial<Omit<WorkspaceOutcome, 'workspaceId' | 'schemaName' | 'status'>>;

export const SKIPPED_LOCKED: LockedResult = { status: 'skipped', message: 'skipped: locked by another runner' };

/** The outcome of `workspace` from what the sync ended with. */
export const outcomeOf = (workspace: { id: string; schemaName: string }, result: LockedResult): WorkspaceOutcome => ({
  workspaceId: workspace.id,
  schemaName: workspace.schemaName,
  status: result.status,
  message: result.message ?? null,
  plan: result.plan ?? null,
  statementsExecuted: result.statementsExecuted ?? 0,
  scope: result.scope ?? null,
  plannedWithoutReading: result.plannedWithoutReading ?? false,
});
