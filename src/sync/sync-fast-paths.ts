import { DataSource, EntityManager } from 'typeorm';

import { isConnectionLoss } from '../database/connection-loss';
import { scriptWithPrepared } from '../database/prepared-query';
import { ScriptedTransaction, Timeouts } from '../database/transaction';
import { AdditionsExpectation, additionsExpectation, LOCKED_ELSEWHERE } from '../metadata/additions-expectation.repository';
import { DeclaredStateRepository } from '../metadata/declared-state.repository';
import { WorkspaceRepository, WorkspaceRow } from '../metadata/workspace.repository';
import { standardObjectId } from './deterministic-id';
import { DesiredState, desiredStateOfGated } from './desired-state';
import { waitedOutFailure } from './plan.applier';
import { scopeOfChange, SyncScope } from './sync-scope';
import { LockedResult, SKIPPED_LOCKED } from './sync-result';
import { WorkspaceComparator } from './workspace.comparator';
import { WorkspaceStateWriter } from './workspace-state.writer';
import { renderStatement } from '../database/sql-statement';

/**
 * The ways a sync spares itself reading and comparing a whole workspace, each resting on the
 * workspace's recorded fingerprint (core."declaredState" says which declared state it stands for):
 * - in sync: the stored fingerprint is the declared state's; nothing to do, no query;
 * - scope: only the standard objects whose declarations changed since that state are read and
 *   compared (scopeOfChange);
 * - additions: when all that changed is new fields, the plan is made from the declarations and
 *   applied in one script that first checks, under the lock, that the workspace is as its
 *   fingerprint records where they go.
 * `--check` and `--dry-run` take none of them but the first (and `--check` not even that).
 */
export class SyncFastPaths {
  /** Scopes by previous and next fingerprint (null: compare in full). */
  private readonly scopes = new Map<string, SyncScope | null>();
  /** The checks of scopes' additions. */
  private readonly expectations = new WeakMap<SyncScope, AdditionsExpectation>();
  private readonly declaredStates: DeclaredStateRepository;

  constructor(
    dataSource: DataSource,
    private readonly writer: WorkspaceStateWriter,
  ) {
    this.declaredStates = new DeclaredStateRepository(dataSource);
  }

  isInSync(workspace: { fingerprint?: string | null }, desired: DesiredState, check: boolean): boolean {
    return !check && workspace.fingerprint === desired.fingerprint;
  }

  /** What changed since the workspace's recorded fingerprint, or null: compare the whole workspace. */
  async scopeFor(manager: EntityManager, workspace: WorkspaceRow, desired: DesiredState): Promise<SyncScope | null> {
    const previousFingerprint = workspace.fingerprint;
    if (previousFingerprint === null || workspace.version !== desired.version) return null;
    const key = `${previousFingerprint}:${desired.fingerprint}`;
    if (!this.scopes.has(key)) {
      const previous = await this.declaredStates.find(manager, previousFingerprint);
      this.scopes.set(key, previous ? scopeOfChange(desiredStateOfGated(previous), desired) : null);
    }
    return this.scopes.get(key)!;
  }

  /**
   * Syncs a workspace whose change is only new fields (scope.additions) in one round trip: BEGIN,
   * the lock, the check that the workspace is as its fingerprint records where the fields go, the
   * plan made from the declarations, the record of the state and COMMIT, as one script. Anything
   * but a commit rolls the whole script back: a lock held elsewhere skips the workspace; a lock or
   * statement timeout fails it at once; any other failure (of the check or of a statement) gives
   * null, and the caller plans from a read of the workspace instead, which names what is in the way.
   */
  async applyAdditions(
    manager: EntityManager,
    transaction: ScriptedTransaction,
    workspace: WorkspaceRow,
    desired: DesiredState,
    scope: SyncScope,
    timeouts: Timeouts,
  ): Promise<LockedResult | null> {
    const additions = scope.additions!;
    // The ids the workspace's creation gave the objects: the plan refers to them, the check checks them.
    const objectIds = additions.map(({ object }) => standardObjectId(workspace.id, object.declared.standardId));
    const plan = WorkspaceComparator.planAdditions(scope.desired, workspace.id, workspace.schemaName, additions, objectIds);
    if (plan.refusals.length > 0) return null;
    let expectation = this.expectations.get(scope);
    if (!expectation) {
      expectation = additionsExpectation(additions);
      this.expectations.set(scope, expectation);
    }
    const statements = plan.actions.flatMap((action) => action.statements);
    const { statements: record, write } = this.writer.recordStatements(workspace.id, desired);
    try {
      await scriptWithPrepared(
        manager,
        [transaction.begin(), WorkspaceRepository.lockStatement(workspace.id, timeouts, LOCKED_ELSEWHERE)],
        expectation.statement,
        expectation.args(workspace, workspace.fingerprint!, objectIds),
        [...[...statements, ...record].map(renderStatement), transaction.commit()],
      );
    } catch (error) {
      if (isConnectionLoss(error)) throw error;
      await transaction.rollback();
      if ((error as { code?: string }).code === LOCKED_ELSEWHERE) return SKIPPED_LOCKED;
      // A lock or statement timeout, a deadlock: planning from a read would only wait again.
      const waitedOut = waitedOutFailure(error, statements.length);
      return waitedOut ? { status: 'failed', message: waitedOut, plan, scope: scope.objectNames } : null;
    }
    transaction.committed();
    this.writer.committed(write);
    return { status: 'applied', plan, statementsExecuted: statements.length, scope: scope.objectNames, plannedWithoutReading: true };
  }
}
