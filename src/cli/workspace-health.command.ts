import { Inject } from '@nestjs/common';
import { Command } from 'nest-commander';

import { HealthIssue } from '../sync/workspace-health';
import { WorkspaceJobDispatcher } from '../workspace/workspace-job.dispatcher';
import { WORKSPACE_HEALTH_JOB, WorkspaceHealthJobHandler } from '../workspace/workspace-health-job.handler';
import { WorkspaceReport } from './walk-report';
import { WorkspaceWalkCommand } from './workspace-walk.command';

@Command({
  name: WORKSPACE_HEALTH_JOB,
  description: 'Report drift between metadata and the live tables of workspaces (repairs nothing)',
})
export class WorkspaceHealthCommand extends WorkspaceWalkCommand<HealthIssue[]> {
  protected override readonly continuesByDefault = true;

  constructor(
    @Inject(WorkspaceJobDispatcher) dispatcher: WorkspaceJobDispatcher,
    @Inject(WorkspaceHealthJobHandler) handler: WorkspaceHealthJobHandler,
  ) {
    super(dispatcher, handler, WORKSPACE_HEALTH_REPORT);
  }
}

/** How workspace:health reports a workspace: healthy, or each drift issue. */
export const WORKSPACE_HEALTH_REPORT: WorkspaceReport<HealthIssue[]> = {
  describe(result) {
    if (!result.detail) return [`✖ ${result.workspaceId}: ${result.message}`];
    if (result.detail.length === 0) return [`✔ ${result.workspaceId}: healthy`];
    return [`✖ ${result.workspaceId}: ${result.message}`, ...result.detail.map((issue) => `  ${issue.kind}: ${issue.message}`)];
  },

  toJson(result) {
    return { id: result.workspaceId, status: result.status, message: result.message, issues: result.detail ?? [] };
  },
};
