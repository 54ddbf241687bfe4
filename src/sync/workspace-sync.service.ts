import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';

import { connectionLostMessage, isConnectionLoss } from '../database/connection-loss';
import { scriptWithPrepared } from '../database/prepared-query';
import { renderStatement } from '../database/sql';
import { DeclaredSchema } from '../declarations/declared-schema';
import { STANDARD_DECLARATIONS } from '../standard-objects/standard-declarations.module';
import { WorkspaceRepository, WorkspaceRow } from '../metadata/workspace.repository';
import { ActualState } from '../metadata/actual-state';
import { ActualStateRepository } from '../metadata/actual-state.repository';
import { AdditionsExpectation, additionsExpectation, LOCKED_ELSEWHERE } from './additions-expectation';
import { DeclaredStateRegistry } from '../metadata/declared-state.registry';
import { standardObjectId } from './deterministic-id';
import { buildDesiredState, DesiredState, desiredStateOfGated } from './desired-state';
import { Hazard, Plan } from './plan';
import { PlanApplier, PreflightFailure, waitedOutFailure } from './plan.applier';
import { SyncError } from './sync.error';
import { Addition, scopeOfChange, SyncScope } from './sync-scope';
import { WorkspaceComparator } from './workspace.comparator';
import { checkWorkspaceHealth, HealthIssueKind } from './workspace-health';

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

/** What the locked part did; `committed`: the transaction ended with the plan, else it is rolled back. */
type LockedResult = Omit<WorkspaceOutcome, 'workspaceId' | 'schemaName' | 'plannedWithoutReading'> & { recorded?: boolean; committed?: boolean };

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
 * fingerprint. A failure anywhere rolls everything back.
 *
 * A workspace whose fingerprint is recorded (core."declaredState") and is of the same version is
 * known to be in that declared state, as the fast path trusts it to be: only the objects whose
 * declarations changed since are read and compared (see scopeOfChange). Otherwise, and always with
 * `check`, the whole workspace is. A workspace that needs one action then costs two round trips:
 * BEGIN, the lock (with the timeouts) and the state read as one script; the plan, the fingerprint
 * and COMMIT as another. When all that changed is new fields, it costs one: the plan is made from
 * the declarations, and one script takes the lock, checks that the workspace is as its fingerprint
 * records where the fields go, applies the plan and commits (see applyAdditions); a workspace that
 * is not so is rolled back and planned from a read.
 */
@Injectable()
export class WorkspaceSyncService {
  private readonly desiredCache = new Map<string, DesiredState>();
  /** Scopes by previous and next fingerprint (null: compare in full). */
  private readonly scopeCache = new Map<string, SyncScope | null>();
  /** The checks of scopes' additions (see applyAdditions). */
  private readonly expectations = new WeakMap<SyncScope, AdditionsExpectation>();
  private readonly registry: DeclaredStateRegistry;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(STANDARD_DECLARATIONS) private readonly declared: DeclaredSchema,
  ) {
    this.registry = new DeclaredStateRegistry(dataSource);
  }

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
    const outcome = (
      status: WorkspaceOutcomeStatus,
      message: string | null,
      plan: Plan | null = null,
      statementsExecuted = 0,
      scope: string[] | null = null,
      plannedWithoutReading = false,
    ): WorkspaceOutcome => ({
      workspaceId: workspace.id,
      schemaName: workspace.schemaName,
      status,
      message,
      plan,
      statementsExecuted,
      scope,
      plannedWithoutReading,
    });
    if (!options.check && workspace.fingerprint === desired.fingerprint) {
      return outcome('up-to-date', null, { actions: [], refusals: [] });
    }
    const queryRunner = options.connection ?? this.dataSource.createQueryRunner();
    if (!options.connection) await queryRunner.connect();
    const manager = queryRunner.manager;
    // The transaction is opened with the lock (one round trip) and committed with the plan (another).
    let open = false;
    try {
      const scope = options.check ? null : await this.scopeFor(manager, workspace, desired);
      const timeouts = { lockTimeoutMs: options.lockTimeoutMs ?? 10_000, statementTimeoutMs: options.statementTimeoutMs ?? 600_000 };
      if (scope?.additions && !options.dryRun && !options.onStatement) {
        open = true;
        const added = await this.applyAdditions(manager, workspace, desired, scope, scope.additions, timeouts);
        open = false;
        if (added?.recorded) this.registry.committed(desired.fingerprint);
        if (added) return outcome(added.status, added.message, added.plan, added.statementsExecuted, added.scope, added.status === 'applied');
      }
      open = true;
      const lock = new WorkspaceRepository(manager).lockStatement(workspace.id, timeouts);
      const { locked, state } = await new ActualStateRepository(manager).beginAndReadLocked(lock, workspace.id, workspace.schemaName, scope);
      const result: LockedResult = locked
        ? await this.syncLocked(manager, workspace, desired, scope, state, options)
        : { status: 'skipped', message: 'skipped: locked by another runner', plan: null, statementsExecuted: 0, scope: null };
      if (!result.committed) await manager.query('ROLLBACK');
      open = false;
      if (result.recorded) this.registry.committed(desired.fingerprint);
      return outcome(result.status, result.message, result.plan, result.statementsExecuted, result.scope);
    } catch (error) {
      if (open) await manager.query('ROLLBACK').catch(() => undefined);
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

  /** What changed since the workspace's recorded fingerprint, or null: compare the whole workspace. */
  private async scopeFor(manager: EntityManager, workspace: WorkspaceRow, desired: DesiredState): Promise<SyncScope | null> {
    const previousFingerprint = workspace.fingerprint;
    if (previousFingerprint === null || workspace.version !== desired.version) return null;
    const key = `${previousFingerprint}:${desired.fingerprint}`;
    if (!this.scopeCache.has(key)) {
      const previous = await this.registry.find(manager, previousFingerprint);
      this.scopeCache.set(key, previous ? scopeOfChange(desiredStateOfGated(previous), desired) : null);
    }
    return this.scopeCache.get(key)!;
  }

  /**
   * Syncs a workspace whose change is only new fields (scope.additions) in one round trip: BEGIN,
   * the lock, the check that the workspace is as its fingerprint records where the fields go, the
   * plan made from the declarations, the fingerprint and COMMIT, as one script. Anything but a
   * commit rolls the whole script back: a lock held elsewhere skips the workspace; a lock or
   * statement timeout fails it at once; any other failure (of the check or of a statement) gives
   * null, and the caller plans from a read of the workspace instead, which names what is in the way.
   */
  private async applyAdditions(
    manager: EntityManager,
    workspace: WorkspaceRow,
    desired: DesiredState,
    scope: SyncScope,
    additions: readonly Addition[],
    timeouts: { lockTimeoutMs: number; statementTimeoutMs: number },
  ): Promise<LockedResult | null> {
    // The ids the workspace's creation gave the objects: the plan refers to them, the check checks them.
    const objectIds = additions.map(({ object }) => standardObjectId(workspace.id, object.declared.standardId));
    const plan = WorkspaceComparator.planAdditions(scope.desired, workspace.id, workspace.schemaName, additions, objectIds);
    if (plan.refusals.length > 0) return null;
    let expectation = this.expectations.get(scope);
    if (!expectation) {
      expectation = additionsExpectation(additions);
      this.expectations.set(scope, expectation);
    }
    const workspaces = new WorkspaceRepository(manager);
    const statements = plan.actions.flatMap((action) => action.statements);
    const record = this.registry.recordStatement(desired);
    try {
      await scriptWithPrepared(
        manager,
        ['BEGIN', workspaces.lockStatement(workspace.id, timeouts, LOCKED_ELSEWHERE)],
        expectation.statement,
        expectation.args(workspace, workspace.fingerprint!, objectIds),
        [
          ...statements.map(renderStatement),
          ...(record ? [renderStatement(record)] : []),
          renderStatement(workspaces.setFingerprintStatement(workspace.id, desired.fingerprint)),
          'COMMIT',
        ],
      );
    } catch (error) {
      if (isConnectionLoss(error)) throw error;
      await manager.query('ROLLBACK');
      if ((error as { code?: string }).code === LOCKED_ELSEWHERE) {
        return { status: 'skipped', message: 'skipped: locked by another runner', plan: null, statementsExecuted: 0, scope: null };
      }
      // A lock or statement timeout, a deadlock: planning from a read would only wait again.
      const waitedOut = waitedOutFailure(error, statements.length);
      return waitedOut ? { status: 'failed', message: waitedOut, plan, statementsExecuted: 0, scope: scope.objectNames } : null;
    }
    return { status: 'applied', message: null, plan, statementsExecuted: statements.length, scope: scope.objectNames, recorded: record !== null, committed: true };
  }

  private async syncLocked(
    manager: EntityManager,
    workspace: WorkspaceRow,
    desired: DesiredState,
    scope: SyncScope | null,
    state: ActualState,
    options: SyncOptions,
  ): Promise<LockedResult> {
    const workspaces = new WorkspaceRepository(manager);
    let actual = state;
    // Another runner may have finished this workspace while we waited for the lock.
    if (!options.check && actual.fingerprint === desired.fingerprint) {
      return { status: 'up-to-date', message: null, plan: { actions: [], refusals: [] }, statementsExecuted: 0, scope: null };
    }
    // Or changed it since the scope was worked out: then the scope says nothing of it.
    if (scope && actual.fingerprint !== workspace.fingerprint) {
      scope = null;
      actual = await new ActualStateRepository(manager).read(workspace.id, workspace.schemaName);
    }
    // Of a scope, only the compared objects' tables were read.
    const checked = scope ? { ...actual, objects: actual.objects.filter((object) => scope!.compared.has(object.standardId ?? '')) } : actual;
    const drift = checkWorkspaceHealth(checked).filter((issue) => BLOCKING_DRIFT.has(issue.kind));
    if (!options.skipHealthCheck) {
      if (drift.length > 0) {
        throw new SyncError(
          'DRIFT',
          `metadata and tables have drifted apart (${drift.map((issue) => issue.message).join('; ')}); run workspace:health to see it all, repair it, or pass -f to sync anyway`,
        );
      }
    }
    const scopeNames = scope ? scope.objectNames : null;
    const plan = WorkspaceComparator.compare(scope ? scope.desired : desired, actual, {
      allowHazards: options.allowHazards,
      upgradeCommand: options.upgradeCommand,
      compareOnly: scope?.compared,
    });
    if (plan.refusals.length > 0) {
      return { status: 'failed', message: plan.refusals.map((refusal) => refusal.message).join('; '), plan, statementsExecuted: 0, scope: scopeNames };
    }
    const applier = new PlanApplier(manager, workspace.schemaName);
    const failures = await applier.preflight(plan);
    if (failures.length > 0) {
      return {
        status: 'failed',
        message: `pre-flight checks failed, nothing was written: ${failures.map(describePreflight).join('; ')}`,
        plan,
        statementsExecuted: 0,
        scope: scopeNames,
      };
    }
    if (options.dryRun) {
      return { status: plan.actions.length > 0 ? 'planned' : 'up-to-date', message: null, plan, statementsExecuted: 0, scope: scopeNames };
    }
    // A workspace synced past drift (-f) is not known to be in sync: no fingerprint, so the next
    // run compares it in full again instead of taking the fast path. A fingerprint set is recorded.
    const fingerprint = drift.length > 0 ? null : desired.fingerprint;
    const record = fingerprint ? this.registry.recordStatement(desired) : null;
    const statementsExecuted = await applier.apply(plan, {
      onStatement: options.onStatement,
      finish: [...(record ? [record] : []), workspaces.setFingerprintStatement(workspace.id, fingerprint)],
      inTransaction: true,
      commit: true,
    });
    return {
      status: plan.actions.length > 0 ? 'applied' : 'up-to-date',
      message: null,
      plan,
      statementsExecuted,
      scope: scopeNames,
      recorded: record !== null,
      committed: true,
    };
  }
}
