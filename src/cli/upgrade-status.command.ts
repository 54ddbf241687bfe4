import { Inject } from '@nestjs/common';
import { Command } from 'nest-commander';

import { WorkspaceJobDispatcher } from '../workspace/workspace-job.dispatcher';
import { UPGRADE_STATUS_JOB, UpgradeStatusDetail, UpgradeStatusJobHandler } from '../workspace/upgrade-status-job.handler';
import { WorkspaceReport } from './walk-report';
import { WorkspaceWalkCommand } from './workspace-walk.command';

@Command({ name: UPGRADE_STATUS_JOB, description: 'Show the version of workspaces, the next upgrade, and their upgrade ledger' })
export class UpgradeStatusCommand extends WorkspaceWalkCommand<UpgradeStatusDetail> {
  protected override readonly continuesByDefault = true;

  constructor(
    @Inject(WorkspaceJobDispatcher) dispatcher: WorkspaceJobDispatcher,
    @Inject(UpgradeStatusJobHandler) handler: UpgradeStatusJobHandler,
  ) {
    super(dispatcher, handler, UPGRADE_STATUS_REPORT);
  }
}

/** How upgrade:status reports a workspace: its version and next upgrade, then one line per ledger entry. */
export const UPGRADE_STATUS_REPORT: WorkspaceReport<UpgradeStatusDetail> = {
  describe(result) {
    if (!result.detail) return [`✖ ${result.workspaceId}: ${result.message}`];
    const { workspace, pending, ledger } = result.detail;
    return [
      `${workspace.id} (${workspace.schemaName}) version ${workspace.version ?? '-'}${pending ? `, next: ${pending}` : ', up to date'}`,
      ...ledger.map(
        (entry) =>
          `  ${entry.version} ${entry.step.padEnd(34)} ${entry.status.padEnd(9)} rows ${entry.rowsAffected}` +
          `${entry.durationMs !== null ? `, ${entry.durationMs} ms` : ''}${entry.error ? `, error: ${entry.error}` : ''}`,
      ),
    ];
  },

  toJson(result) {
    return {
      id: result.workspaceId,
      version: result.detail?.workspace.version ?? null,
      pending: result.detail?.pending ?? null,
      ledger: result.detail?.ledger ?? [],
    };
  },
};
