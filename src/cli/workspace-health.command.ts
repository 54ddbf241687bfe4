import { Command } from 'nest-commander';
import { DataSource } from 'typeorm';

import { DatabaseService } from '../database/database.service';
import { ActualStateRepository } from '../metadata/actual-state.repository';
import { checkWorkspaceHealth, HealthIssue } from '../sync/workspace-health';
import { FleetItemResult } from '../workspace/workspace-fleet.runner';
import { WorkspaceRow } from '../metadata/workspace.repository';
import { WorkspaceWalkCommand, WorkspaceWork } from './workspace-walk.command';

@Command({
  name: 'workspace:health',
  description: 'Report drift between metadata and the live tables of workspaces (repairs nothing)',
})
export class WorkspaceHealthCommand extends WorkspaceWalkCommand<HealthIssue[]> {
  protected override readonly continuesByDefault = true;

  constructor(database: DatabaseService) {
    super(database);
  }

  protected async processWorkspace(workspace: WorkspaceRow, _options: unknown, dataSource: DataSource): Promise<WorkspaceWork<HealthIssue[]>> {
    const actual = await new ActualStateRepository(dataSource.manager).read(workspace.id, workspace.schemaName);
    const issues = checkWorkspaceHealth(actual);
    return {
      status: issues.length > 0 ? 'failed' : 'succeeded',
      detail: issues,
      message: issues.length > 0 ? `${issues.length} drift issue(s)` : null,
    };
  }

  protected describe(result: FleetItemResult<HealthIssue[]>): string[] {
    if (!result.detail) return [`✖ ${result.workspaceId}: ${result.message}`];
    if (result.detail.length === 0) return [`✔ ${result.workspaceId}: healthy`];
    return [`✖ ${result.workspaceId}: ${result.message}`, ...result.detail.map((issue) => `  ${issue.kind}: ${issue.message}`)];
  }

  protected toJson(result: FleetItemResult<HealthIssue[]>): Record<string, unknown> {
    return { id: result.workspaceId, status: result.status, message: result.message, issues: result.detail ?? [] };
  }
}
