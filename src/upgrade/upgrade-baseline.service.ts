import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { inLockedTransaction, LOCKED } from '../database/transaction';
import { getVersionSnapshot } from '../standard-objects/version-snapshots';
import { ActualStateRepository } from '../metadata/actual-state.repository';
import { sharedDesiredState } from '../sync/desired-state';
import { WorkspaceComparator } from '../sync/workspace.comparator';
import { StateWrite, WorkspaceStateWriter } from '../sync/workspace-state.writer';
import { checkWorkspaceHealth } from '../sync/workspace-health';
import { WorkspaceRepository, WorkspaceRow } from '../metadata/workspace.repository';
import { LedgerRepository } from './ledger.repository';
import { stepChecksum } from './upgrade-step';
import { findUpgradeVersion } from './upgrade-versions';

export interface BaselineResult {
  status: 'baselined' | 'refused' | 'up-to-date';
  differences: string[];
}

/**
 * `upgrade:mark-applied`: records a version (and its steps, as BASELINED) for a workspace brought
 * there by other means, only when its metadata and tables really are that version's: the plan to
 * that version's snapshot is empty and metadata and tables agree.
 */
@Injectable()
export class UpgradeBaselineService {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async markApplied(workspace: WorkspaceRow, version: string, options: { dryRun?: boolean } = {}): Promise<BaselineResult> {
    const upgrade = findUpgradeVersion(version);
    const snapshot = getVersionSnapshot(version);
    if (workspace.version === version) {
      return { status: 'up-to-date', differences: [] };
    }
    const writer = new WorkspaceStateWriter(this.dataSource);
    const result = await inLockedTransaction(
      this.dataSource,
      (manager) => new WorkspaceRepository(manager).tryLock(workspace.id),
      async (manager): Promise<BaselineResult & { write?: StateWrite }> => {
        const actual = await new ActualStateRepository(manager).read(workspace.id, workspace.schemaName);
        const desired = sharedDesiredState(snapshot, workspace.featureFlags ?? []);
        const plan = WorkspaceComparator.compare(desired, actual);
        const differences = [
          ...plan.refusals.map((refusal) => refusal.message),
          ...plan.actions.map((action) => action.summary),
          ...checkWorkspaceHealth(actual).map((issue) => `${issue.kind}: ${issue.message}`),
        ];
        if (differences.length > 0) {
          return { status: 'refused', differences };
        }
        if (!options.dryRun) {
          const ledger = new LedgerRepository(manager);
          for (const step of upgrade?.steps ?? []) {
            await ledger.baseline(workspace.id, version, step.name, stepChecksum(step));
          }
          await new WorkspaceRepository(manager).setVersion(workspace.id, version);
          return { status: 'baselined', differences: [], write: await writer.record(manager, workspace.id, desired) };
        }
        return { status: 'baselined', differences: [] };
      },
    );
    if (result === LOCKED) return { status: 'refused', differences: ['locked by another runner'] };
    if (result.write) writer.committed(result.write);
    return { status: result.status, differences: result.differences };
  }
}
