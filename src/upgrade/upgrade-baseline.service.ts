import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { getVersionSnapshot } from '../standard-objects/version-snapshots';
import { ActualStateRepository } from '../metadata/actual-state.repository';
import { DeclaredStateRegistry } from '../metadata/declared-state.registry';
import { buildDesiredState } from '../sync/desired-state';
import { WorkspaceComparator } from '../sync/workspace.comparator';
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
    return this.dataSource.transaction(async (manager) => {
      const workspaces = new WorkspaceRepository(manager);
      if (!(await workspaces.tryLock(workspace.id))) {
        return { status: 'refused', differences: ['locked by another runner'] };
      }
      const actual = await new ActualStateRepository(manager).read(workspace.id, workspace.schemaName);
      const desired = buildDesiredState(snapshot, new Set(workspace.featureFlags));
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
        await manager.query(`UPDATE core.workspace SET "version" = $1, "updatedAt" = now() WHERE "id" = $2`, [version, workspace.id]);
        await new DeclaredStateRegistry(this.dataSource).record(manager, desired);
        await workspaces.setFingerprint(workspace.id, desired.fingerprint);
      }
      return { status: 'baselined', differences: [] };
    });
  }
}
