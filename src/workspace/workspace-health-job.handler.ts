import { Inject, Injectable } from '@nestjs/common';

import { ActualStateRepository } from '../metadata/actual-state.repository';
import { WorkspaceRow } from '../metadata/workspace.repository';
import { checkWorkspaceHealth, HealthIssue } from '../sync/workspace-health';
import { FleetWork } from './workspace-fleet.runner';
import { WorkspaceJobHandler } from './workspace-job.handler';

/** The name of the health report's command and jobs. */
export const WORKSPACE_HEALTH_JOB = 'workspace:health';

/** Finds the drift between one workspace's metadata and its live tables; repairs nothing. */
@Injectable()
export class WorkspaceHealthJobHandler implements WorkspaceJobHandler<HealthIssue[]> {
  readonly name = WORKSPACE_HEALTH_JOB;

  constructor(@Inject(ActualStateRepository) private readonly actualState: ActualStateRepository) {}

  async process(workspace: WorkspaceRow): Promise<FleetWork<HealthIssue[]>> {
    const issues = checkWorkspaceHealth(await this.actualState.read(workspace.id, workspace.schemaName));
    return {
      status: issues.length > 0 ? 'failed' : 'succeeded',
      detail: issues,
      message: issues.length > 0 ? `${issues.length} drift issue(s)` : null,
    };
  }
}
