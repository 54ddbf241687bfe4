import { Command } from 'nest-commander';
import { DataSource } from 'typeorm';

import { DatabaseService } from '../database/database.service';
import { CURRENT_VERSION } from '../standard-objects/version.constant';
import { LedgerEntry, LedgerRepository } from '../upgrade/ledger.repository';
import { nextUpgradeFor } from '../upgrade/upgrade.runner';
import { upgradeCommandName } from '../upgrade/upgrade-versions';
import { FleetItemResult } from '../workspace/workspace-fleet.runner';
import { WorkspaceRow } from '../metadata/workspace.repository';
import { WorkspaceWalkCommand, WorkspaceWork } from './workspace-walk.command';

interface StatusDetail {
  workspace: WorkspaceRow;
  pending: string | null;
  ledger: LedgerEntry[];
}

@Command({ name: 'upgrade:status', description: 'Show the version of workspaces, the next upgrade, and their upgrade ledger' })
export class UpgradeStatusCommand extends WorkspaceWalkCommand<StatusDetail> {
  protected override readonly continuesByDefault = true;

  constructor(database: DatabaseService) {
    super(database);
  }

  protected async processWorkspace(workspace: WorkspaceRow, _options: unknown, dataSource: DataSource): Promise<WorkspaceWork<StatusDetail>> {
    const ledger = await new LedgerRepository(dataSource.manager).list(workspace.id);
    const next = workspace.version === CURRENT_VERSION ? null : nextUpgradeFor(workspace.version);
    const failed = ledger.filter((entry) => entry.status === 'FAILED');
    return {
      status: failed.length > 0 ? 'failed' : 'succeeded',
      detail: { workspace, pending: next ? upgradeCommandName(next) : null, ledger },
      message: failed.length > 0 ? `${failed.length} failed step(s)` : null,
    };
  }

  protected describe(result: FleetItemResult<StatusDetail>): string[] {
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
  }

  protected toJson(result: FleetItemResult<StatusDetail>): Record<string, unknown> {
    return {
      id: result.workspaceId,
      version: result.detail?.workspace.version ?? null,
      pending: result.detail?.pending ?? null,
      ledger: result.detail?.ledger ?? [],
    };
  }
}
