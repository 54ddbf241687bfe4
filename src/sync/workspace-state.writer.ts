import { DataSource, EntityManager } from 'typeorm';

import { DeclaredStateRepository, FingerprintedState } from '../metadata/declared-state.repository';
import { WorkspaceRepository } from '../metadata/workspace.repository';
import { Plan } from './plan';
import { ApplyOptions, PlanApplier } from './plan.applier';
import { SqlStatement } from '../database/sql-statement';

/** What a write left to do once its transaction has committed. */
export interface StateWrite {
  /** The fingerprint whose declared state the write recorded (null: none, or recorded before). */
  recorded: string | null;
}

/**
 * The one way a workspace is brought to a declared state: the plan's statements, then the record
 * of the declared state (core."declaredState") and the workspace's fingerprint, in the transaction
 * they run in. Creation, sync (both of its ways) and baseline all end this way, so a fingerprint is
 * never set without its state recorded. After the commit, `committed` spares later transactions of
 * this process the record.
 */
export class WorkspaceStateWriter {
  private readonly declaredStates: DeclaredStateRepository;

  constructor(dataSource: DataSource) {
    this.declaredStates = new DeclaredStateRepository(dataSource);
  }

  /**
   * The statements that record `desired` as the state of the workspace (`desired` null: a sync
   * forced past drift, which leaves the workspace without a fingerprint, to be compared in full
   * next time), to run after the plan in the same transaction.
   */
  recordStatements(workspaceId: string, desired: FingerprintedState | null): { statements: SqlStatement[]; write: StateWrite } {
    const record = desired ? this.declaredStates.recordStatement(desired) : null;
    return {
      statements: [...(record ? [record] : []), WorkspaceRepository.setFingerprintStatement(workspaceId, desired?.fingerprint ?? null)],
      write: { recorded: record ? desired!.fingerprint : null },
    };
  }

  /**
   * Applies `plan` in the transaction of `manager`, then records `desired` (see recordStatements),
   * in as few round trips as PlanApplier can; with `commit`, ends the transaction. Returns how many
   * of the plan's statements ran.
   */
  async apply(
    manager: EntityManager,
    schemaName: string,
    plan: Plan,
    state: { workspaceId: string; desired: FingerprintedState | null },
    options: Pick<ApplyOptions, 'onStatement' | 'commit' | 'inTransaction'> = {},
  ): Promise<{ executed: number; write: StateWrite }> {
    const { statements, write } = this.recordStatements(state.workspaceId, state.desired);
    const executed = await new PlanApplier(manager, schemaName).apply(plan, { ...options, finish: statements });
    return { executed, write };
  }

  /** Records `desired` as the workspace's state now, in the transaction of `manager`. */
  async record(manager: EntityManager, workspaceId: string, desired: FingerprintedState): Promise<StateWrite> {
    const { statements, write } = this.recordStatements(workspaceId, desired);
    for (const statement of statements) await manager.query(statement.sql, statement.params);
    return write;
  }

  /** After the transaction of `write` committed. */
  committed(write: StateWrite): void {
    if (write.recorded) this.declaredStates.committed(write.recorded);
  }
}
