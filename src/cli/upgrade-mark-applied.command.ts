import { Command, Option } from 'nest-commander';
import { DataSource } from 'typeorm';

import { DatabaseService } from '../database/database.service';
import { snapshotVersions } from '../standard-objects/version-snapshots';
import { BaselineResult, UpgradeBaselineService } from '../upgrade/upgrade-baseline.service';
import { FleetItemResult } from '../workspace/workspace-fleet.runner';
import { WorkspaceRow } from '../metadata/workspace.repository';
import { UsageError } from './cli.error';
import { WorkspaceWalkCommand, WorkspaceWalkOptions, WorkspaceWork } from './workspace-walk.command';

interface MarkAppliedOptions extends WorkspaceWalkOptions {
  version?: string;
}

@Command({
  name: 'upgrade:mark-applied',
  description: 'Record a version for workspaces brought there by other means, after checking their schema matches it',
})
export class UpgradeMarkAppliedCommand extends WorkspaceWalkCommand<BaselineResult, MarkAppliedOptions> {
  constructor(database: DatabaseService) {
    super(database);
  }

  @Option({ flags: '--version <version>', description: `the version the workspaces are at (${snapshotVersions().join(', ')})`, required: true })
  parseVersion(value: string): string {
    return value;
  }

  override async run(params: string[], options: MarkAppliedOptions): Promise<void> {
    if (!options.version || !snapshotVersions().includes(options.version)) {
      throw new UsageError(`--version must be one of ${snapshotVersions().join(', ')}; got "${String(options.version).slice(0, 40)}".`);
    }
    if (!options.workspaceId?.length) {
      throw new UsageError('upgrade:mark-applied needs the workspaces named with -w <id>: a baseline is never applied to a whole fleet by default.');
    }
    await super.run(params, options);
  }

  protected async processWorkspace(workspace: WorkspaceRow, options: MarkAppliedOptions, dataSource: DataSource): Promise<WorkspaceWork<BaselineResult>> {
    const result = await new UpgradeBaselineService(dataSource).markApplied(workspace, options.version!, { dryRun: options.dryRun });
    return {
      status: result.status === 'refused' ? 'failed' : 'succeeded',
      detail: result,
      message: result.status === 'refused' ? `its schema is not ${options.version}: ${result.differences.length} difference(s)` : null,
    };
  }

  protected describe(result: FleetItemResult<BaselineResult>, options: MarkAppliedOptions): string[] {
    if (!result.detail) return [`✖ ${result.workspaceId}: ${result.message}`];
    if (result.detail.status === 'refused') {
      return [`✖ ${result.workspaceId}: refused, ${result.message}`, ...result.detail.differences.map((line) => `  ${line}`)];
    }
    return [
      result.detail.status === 'up-to-date'
        ? `= ${result.workspaceId}: already at ${options.version}`
        : `✔ ${result.workspaceId}: ${options.dryRun ? 'matches' : 'marked at'} ${options.version}`,
    ];
  }

  protected toJson(result: FleetItemResult<BaselineResult>): Record<string, unknown> {
    return { id: result.workspaceId, status: result.detail?.status ?? 'failed', message: result.message, differences: result.detail?.differences ?? [] };
  }
}
