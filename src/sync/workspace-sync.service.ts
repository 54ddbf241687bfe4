import { DataSource, EntityManager, QueryRunner } from 'typeorm';

import { connectionLostMessage, isConnectionLoss } from '../database/connection-loss';
import { DeclaredSchema } from '../declarations/declared-schema';
import { WorkspaceRepository, WorkspaceRow } from '../workspace/workspace.repository';
import { ActualStateRepository } from './actual-state.repository';
import { buildDesiredState, DesiredState } from './desired-state';
import { Hazard, Plan } from './plan';
import { PlanApplier, PreflightFailure } from './plan.applier';
import { SyncError } from './sync.error';
import { WorkspaceComparator } from './workspace.comparator';
import { checkWorkspaceHealth, HealthIssueKind } from './workspace-health';

export interface SyncOptions {
  dryRun?: boolean;
  /** Compare against the live schema even when the fingerprint says the workspace is in sync. */
  check?: boolean;
  allowHazards?: ReadonlySet<Hazard>;
  /** Apply even when metadata and tables have drifted apart (-f). */
  skipHealthCheck?: boolean;
  /** Upgrade command that migrates this workspace's type changes, named in refusals. */
  upgradeCommand?: string | null;
  lockTimeoutMs?: number;
  statementTimeoutMs?: number;
  /**
   * Run on this connection instead of a pooled one: an upgrade holds the workspace's session lock
   * on its connection, and the transaction-level lock taken here is re-entrant on the same session.
   */
  connection?: QueryRunner;
  /** Called after each executed statement (progress, fault injection in tests). */
  onStatement?: (executed: number) => Promise<void> | void;
}

export type WorkspaceOutcomeStatus = 'applied' | 'up-to-date' | 'planned' | 'failed' | 'skipped';

export interface WorkspaceOutcome {
  workspaceId: string;
  schemaName: string;
  status: WorkspaceOutcomeStatus;
  message: string | null;
  plan: Plan | null;
  statementsExecuted: number;
}

/** Drift the plan cannot be trusted over: it would run against tables that are not what metadata says. */
const BLOCKING_DRIFT = new Set<HealthIssueKind>(['MISSING_TABLE', 'MISSING_COLUMN', 'WRONG_TYPE', 'WRONG_NULLABILITY', 'EXTRA_COLUMN']);

const describePreflight = (failure: PreflightFailure): string => {
  const { check } = failure;
  const what =
    check.kind === 'NO_NULLS'
      ? `${failure.count} row(s) of ${check.table} have no value in ${check.columns.join(', ')} (e.g. ids ${failure.examples.join(', ')})`
      : check.kind === 'NO_DUPLICATES'
        ? `${check.table} holds duplicate values of ${check.columns.join(', ')}: ${failure.examples.map((row) => JSON.stringify(row)).join('; ')}`
        : `${check.table}.${check.columns[0]} holds values that are no longer options: ${failure.examples.join(', ')}`;
  return `${what}; to resolve: ${check.remedy}`;
};

/**
 * Syncs one workspace: fingerprint fast path, then under the workspace's advisory lock and in one
 * transaction: read actual state, plan, refuse hazards, pre-flight reads, metadata rows and DDL,
 * fingerprint. A failure anywhere rolls everything back. A workspace that needs one action costs
 * five round trips: BEGIN, lock (with the timeouts), the state read, the plan with the fingerprint
 * as one script, COMMIT; the view rows pointing at missing fields take one more.
 */
export class WorkspaceSyncService {
  private readonly desiredCache = new Map<string, DesiredState>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly declared: DeclaredSchema,
  ) {}

  desiredStateFor(workspace: Pick<WorkspaceRow, 'featureFlags'>): DesiredState {
    const flags = [...(workspace.featureFlags ?? [])].sort();
    const key = flags.join(',');
    let desired = this.desiredCache.get(key);
    if (!desired) {
      desired = buildDesiredState(this.declared, new Set(flags));
      this.desiredCache.set(key, desired);
    }
    return desired;
  }

  async sync(workspace: WorkspaceRow, options: SyncOptions = {}): Promise<WorkspaceOutcome> {
    const desired = this.desiredStateFor(workspace);
    const outcome = (status: WorkspaceOutcomeStatus, message: string | null, plan: Plan | null = null, statementsExecuted = 0): WorkspaceOutcome => ({
      workspaceId: workspace.id,
      schemaName: workspace.schemaName,
      status,
      message,
      plan,
      statementsExecuted,
    });
    if (!options.check && workspace.fingerprint === desired.fingerprint) {
      return outcome('up-to-date', null, { actions: [], refusals: [] });
    }
    const queryRunner = options.connection ?? this.dataSource.createQueryRunner();
    if (!options.connection) await queryRunner.connect();
    try {
      await queryRunner.startTransaction();
      const result = await this.syncLocked(queryRunner.manager, workspace, desired, options);
      if (result.status === 'applied' || result.status === 'up-to-date') {
        await queryRunner.commitTransaction();
      } else {
        await queryRunner.rollbackTransaction();
      }
      return outcome(result.status, result.message, result.plan, result.statementsExecuted);
    } catch (error) {
      if (queryRunner.isTransactionActive) {
        await queryRunner.rollbackTransaction().catch(() => undefined);
      }
      const message = isConnectionLoss(error)
        ? connectionLostMessage(error)
        : error instanceof SyncError
          ? error.message
          : `unexpected error: ${(error as Error).message}`;
      return outcome('failed', message);
    } finally {
      if (!options.connection) await queryRunner.release();
    }
  }

  private async syncLocked(
    manager: EntityManager,
    workspace: WorkspaceRow,
    desired: DesiredState,
    options: SyncOptions,
  ): Promise<Omit<WorkspaceOutcome, 'workspaceId' | 'schemaName'>> {
    const workspaces = new WorkspaceRepository(manager);
    const locked = await workspaces.tryLock(workspace.id, {
      lockTimeoutMs: options.lockTimeoutMs ?? 10_000,
      statementTimeoutMs: options.statementTimeoutMs ?? 600_000,
    });
    if (!locked) {
      return { status: 'skipped', message: 'skipped: locked by another runner', plan: null, statementsExecuted: 0 };
    }
    const actual = await new ActualStateRepository(manager).read(workspace.id, workspace.schemaName);
    // Another runner may have finished this workspace while we waited for the lock.
    if (!options.check && actual.fingerprint === desired.fingerprint) {
      return { status: 'up-to-date', message: null, plan: { actions: [], refusals: [] }, statementsExecuted: 0 };
    }
    const drift = checkWorkspaceHealth(actual).filter((issue) => BLOCKING_DRIFT.has(issue.kind));
    if (!options.skipHealthCheck) {
      if (drift.length > 0) {
        throw new SyncError(
          'DRIFT',
          `metadata and tables have drifted apart (${drift.map((issue) => issue.message).join('; ')}); run workspace:health to see it all, repair it, or pass -f to sync anyway`,
        );
      }
    }
    const plan = WorkspaceComparator.compare(desired, actual, { allowHazards: options.allowHazards, upgradeCommand: options.upgradeCommand });
    if (plan.refusals.length > 0) {
      return { status: 'failed', message: plan.refusals.map((refusal) => refusal.message).join('; '), plan, statementsExecuted: 0 };
    }
    const applier = new PlanApplier(manager, workspace.schemaName);
    const failures = await applier.preflight(plan);
    if (failures.length > 0) {
      return { status: 'failed', message: `pre-flight checks failed, nothing was written: ${failures.map(describePreflight).join('; ')}`, plan, statementsExecuted: 0 };
    }
    if (options.dryRun) {
      return { status: plan.actions.length > 0 ? 'planned' : 'up-to-date', message: null, plan, statementsExecuted: 0 };
    }
    // A workspace synced past drift (-f) is not known to be in sync: no fingerprint, so the next
    // run compares it in full again instead of taking the fast path.
    const statementsExecuted = await applier.apply(plan, {
      onStatement: options.onStatement,
      finish: [workspaces.setFingerprintStatement(workspace.id, drift.length > 0 ? null : desired.fingerprint)],
    });
    return { status: plan.actions.length > 0 ? 'applied' : 'up-to-date', message: null, plan, statementsExecuted };
  }
}
