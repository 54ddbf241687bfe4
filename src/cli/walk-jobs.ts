import { Provider } from '@nestjs/common';

import { SyncJobHandler } from '../workspace/sync-job.handler';
import { UPGRADE_JOBS, UpgradeJobHandler, upgradeJobHandlerToken } from '../workspace/upgrade-job.handler';
import { UpgradeStatusJobHandler } from '../workspace/upgrade-status-job.handler';
import { WorkspaceHealthJobHandler } from '../workspace/workspace-health-job.handler';
import { WorkspaceJobHandler } from '../workspace/workspace-job.handler';
import { SYNC_METADATA_REPORT } from './sync-metadata.command';
import { upgradeReport } from './upgrade.command';
import { UPGRADE_STATUS_REPORT } from './upgrade-status.command';
import { WorkspaceReport } from './walk-report';
import { WORKSPACE_HEALTH_REPORT } from './workspace-health.command';

/** A kind of walk as a worker does its jobs: the handler that does the work, and the report its command prints. */
export interface WalkJob {
  handler: WorkspaceJobHandler<unknown>;
  report: WorkspaceReport<unknown>;
}

/** The kinds of walk whose runs can be queued. */
export const WALK_JOBS = Symbol('WALK_JOBS');

export const WALK_JOBS_PROVIDER: Provider = {
  provide: WALK_JOBS,
  inject: [SyncJobHandler, UpgradeStatusJobHandler, WorkspaceHealthJobHandler, ...UPGRADE_JOBS.map(upgradeJobHandlerToken)],
  useFactory: (
    sync: SyncJobHandler,
    status: UpgradeStatusJobHandler,
    health: WorkspaceHealthJobHandler,
    ...upgrades: UpgradeJobHandler[]
  ): WalkJob[] => [
    { handler: sync, report: SYNC_METADATA_REPORT },
    ...upgrades.map((handler) => ({ handler, report: upgradeReport(handler.job) })),
    { handler: status, report: UPGRADE_STATUS_REPORT },
    { handler: health, report: WORKSPACE_HEALTH_REPORT },
  ],
};
