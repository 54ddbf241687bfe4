import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';

import { connectionLostMessage, isConnectionLoss } from '../database/connection-loss';
import { inScriptedTransaction, ScriptedTransaction, Timeouts } from '../database/transaction';
import { DeclaredSchema } from '../declarations/declared-schema';
import { STANDARD_DECLARATIONS } from '../standard-objects/standard-declarations.module';
import { ActualState } from '../metadata/actual-state';
import { ActualStateRepository } from '../metadata/actual-state.repository';
import { WorkspaceRepository, WorkspaceRow } from '../metadata/workspace.repository';
import { DesiredState, sharedDesiredState } from './desired-state';
import { Hazard } from './plan';
import { PlanApplier, PreflightFailure } from './plan.applier';
import { SyncError } from './sync.error';
import { SyncFastPaths } from './sync-fast-paths';
import { LockedResult, outcomeOf, SKIPPED_LOCKED, WorkspaceOutcome } from './sync-result';
import { SyncScope } from './sync-scope';
import { WorkspaceComparator } from './workspace.comparator';
import { checkWorkspaceHealth, HealthIssueKind } from './workspace-health';
import { WorkspaceStateWriter } from './workspace-state.writer';

export interface SyncOptions {
  dryRun?: boolean;
  /**
   * Compare the whole workspace against the live schema, even when the fingerprint says it is in
   * sync, instead of only what changed in the declarations since its recorded fingerprint.
   */
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

const UP_TO_DATE: LockedResult = { status: 'up-to-date', plan: { actions: [], refusals: [] } };

/** Drift the plan cannot be trusted over: it would run against tables that are not what metadata says. */
export const BLOCKING_DRIFT: ReadonlySet<HealthIssueKind> = new Set<HealthIssueKind>([
  'MISSING_TABLE',
  'MISSING_COLUMN',
  'WRONG_TYPE',
  'WRONG_NULLABILITY',
  'EXTRA_COLUMN',
]);

const describePreflight = (failure: PreflightFailure): string => {
  const { check } = failure;
  const what =
    check.kind === 'NO_NULLS'
      ? `${failure.count} row(s) of ${check.table} have no value in ${check.columns.join(', ')} (e.g. ids ${failure.examples.join(', ')})`
      : check.kind === 'NO_DUPLICATES'
        ? `${check.table} holds duplicate values of ${check.columns.join(', ')}: ${failure.examples.map((row) => JSON.stringify(row)).join('; ')}`
        : check.kind === 'NO_ROWS'
          ? `${failure.count} row(s) of ${check.table} would have no value in the new ${check.columns.join(', ')} (e.g. ids ${failure.examples.join(', ')})`
          : `${check.table}.${check.columns[0]} holds values that are no longer options: ${failure.examples.join(', ')}`;
  return `${what}; to resolve: ${check.remedy}`;
};

/**
 * Syncs one workspace: under the workspace's advisory lock and in one transaction, read its state,
 * plan, refuse hazards, run the pre-flight reads, apply metadata rows and DDL and record the
 * declared state; a failure anywhere rolls everything back. The fast paths (SyncFastPaths) spare
 * most of that to a workspace whose recorded fingerprint says what it is. A workspace that needs
 * one action costs two round trips: BEGIN, the lock (with the timeouts) and the state read as one
 * script; the plan, the record and COMMIT as another.
 */
@Injectable()
export class WorkspaceSyncService {
  private readonly writer: WorkspaceStateWriter;
  private readonly fastPaths: SyncFastPaths;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(STANDARD_DECLARATIONS) private readonly declared: DeclaredSchema,
  ) {
    this.writer = new WorkspaceStateWriter(dataSource);
    this.fastPaths = new SyncFastPaths(dataSource, this.writer);
  }

  desiredStateFor(workspace: Pick<WorkspaceRow, 'featureFlags'>): DesiredState {
    return sharedDesiredState(this.declared, workspace.featureFlags ?? []);
  }

  async sync(workspace: WorkspaceRow, options: SyncOptions = {}): Promise<WorkspaceOutcome> {
    const desired = this.desiredStateFor(workspace);
    if (this.fastPaths.isInSync(workspace, desired, options.check ?? false)) return outcomeOf(workspace, UP_TO_DATE);
    const queryRunner = options.connection ?? this.dataSource.createQueryRunner();
    if (!options.connection) await queryRunner.connect();
    const manager = queryRunner.manager;
    try {
      return outcomeOf(
        workspace,
        await inScriptedTransaction(manager, async (transaction) => {
          const scope = options.check ? null : await this.fastPaths.scopeFor(manager, workspace, desired);
          const timeouts = { lockTimeoutMs: options.lockTimeoutMs ?? 10_000, statementTimeoutMs: options.statementTimeoutMs ?? 600_000 };
          if (scope?.additions && !options.dryRun && !options.onStatement) {
            const added = await this.fastPaths.applyAdditions(manager, transaction, workspace, desired, scope, timeouts);
            if (added) return added;
          }
          return this.syncFromRead(manager, transaction, workspace, desired, scope, timeouts, options);
        }),
      );
    } catch (error) {
      const message = isConnectionLoss(error)
        ? connectionLostMessage(error)
        : error instanceof SyncError
          ? error.message
          : `unexpected error: ${(error as Error).message}`;
      return outcomeOf(workspace, { status: 'failed', message });
    } finally {
      if (!options.connection) await queryRunner.release();
    }
  }

  /** Begins the transaction, takes the lock and reads the workspace (or the scope of it) in one round trip, then syncs it. */
  private async syncFromRead(
    manager: EntityManager,
    transaction: ScriptedTransaction,
    workspace: WorkspaceRow,
    desired: DesiredState,
    scope: SyncScope | null,
    timeouts: Timeouts,
    options: SyncOptions,
  ): Promise<LockedResult> {
    const { locked, state } = await new ActualStateRepository(manager).beginAndReadLocked(
      transaction.begin(),
      WorkspaceRepository.lockStatement(workspace.id, timeouts),
      workspace.id,
      workspace.schemaName,
      scope,
    );
    return locked ? this.syncLocked(manager, transaction, workspace, desired, scope, state, options) : SKIPPED_LOCKED;
  }

  private async syncLocked(
    manager: EntityManager,
    transaction: ScriptedTransaction,
    workspace: WorkspaceRow,
    desired: DesiredState,
    scope: SyncScope | null,
    state: ActualState,
    options: SyncOptions,
  ): Promise<LockedResult> {
    let actual = state;
    // Another runner may have finished this workspace while we waited for the lock.
    if (this.fastPaths.isInSync(actual, desired, options.check ?? false)) return UP_TO_DATE;
    // Or changed it since the scope was worked out: then the scope says nothing of it.
    if (scope && actual.fingerprint !== workspace.fingerprint) {
      scope = null;
      actual = await new ActualStateRepository(manager).readForPlanning(workspace.id, workspace.schemaName);
    }
    // Of a scope, only the compared objects' tables were read.
    const checked = scope
      ? { ...actual, objects: actual.objects.filter((object) => scope!.compared.has(object.standardId ?? '')) }
      : actual;
    const drift = checkWorkspaceHealth(checked).filter((issue) => BLOCKING_DRIFT.has(issue.kind));
    if (drift.length > 0 && !options.skipHealthCheck) {
      throw new SyncError(
        'DRIFT',
        `metadata and tables have drifted apart (${drift.map((issue) => issue.message).join('; ')}); run workspace:health to see it all, repair it, or pass -f to sync anyway`,
      );
    }
    const scopeNames = scope ? scope.objectNames : null;
    const plan = WorkspaceComparator.compare(scope ? scope.desired : desired, actual, {
      allowHazards: options.allowHazards,
      upgradeCommand: options.upgradeCommand,
      compareOnly: scope?.compared,
    });
    if (plan.refusals.length > 0) {
      return { status: 'failed', message: plan.refusals.map((refusal) => refusal.message).join('; '), plan, scope: scopeNames };
    }
    const failures = await new PlanApplier(manager, workspace.schemaName).preflight(plan);
    if (failures.length > 0) {
      return {
        status: 'failed',
        message: `pre-flight checks failed, nothing was written: ${failures.map(describePreflight).join('; ')}`,
        plan,
        scope: scopeNames,
      };
    }
    if (options.dryRun) {
      return { status: plan.actions.length > 0 ? 'planned' : 'up-to-date', plan, scope: scopeNames };
    }
    // A workspace synced past drift (-f) is not known to be in sync: no fingerprint, so the next
    // run compares it in full again instead of taking the fast path.
    const { executed, write } = await this.writer.apply(
      manager,
      workspace.schemaName,
      plan,
      { workspaceId: workspace.id, desired: drift.length > 0 ? null : desired },
      { onStatement: options.onStatement, inTransaction: true, commit: true },
    );
    transaction.committed();
    this.writer.committed(write);
    return { status: plan.actions.length > 0 ? 'applied' : 'up-to-date', plan, statementsExecuted: executed, scope: scopeNames };
  }
}
