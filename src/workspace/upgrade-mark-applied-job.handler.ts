import { Inject, Injectable } from '@nestjs/common';

import { WorkspaceRow } from '../metadata/workspace.repository';
import { BaselineResult, UpgradeBaselineService } from '../upgrade/upgrade-baseline.service';
import { FleetWork } from './workspace-fleet.runner';
import { WorkspaceJobHandler } from './workspace-job.handler';

/** The name of the baseline's command. */
export const UPGRADE_MARK_APPLIED_JOB = 'upgrade:mark-applied';

export interface MarkAppliedJobOptions {
  version?: string;
  dryRun?: boolean;
}

/** Records a version for one workspace brought there by other means, once its schema is checked to match it. */
@Injectable()
export class UpgradeMarkAppliedJobHandler implements WorkspaceJobHandler<BaselineResult, MarkAppliedJobOptions> {
  readonly name = UPGRADE_MARK_APPLIED_JOB;

  constructor(@Inject(UpgradeBaselineService) private readonly baseline: UpgradeBaselineService) {}

  async process(workspace: WorkspaceRow, options: MarkAppliedJobOptions): Promise<FleetWork<BaselineResult>> {
    const result = await this.baseline.markApplied(workspace, options.version!, { dryRun: options.dryRun });
    return {
      status: result.status === 'refused' ? 'failed' : 'succeeded',
      detail: result,
      message: result.status === 'refused' ? `its schema is not ${options.version}: ${result.differences.length} difference(s)` : null,
    };
  }
}
