import { ServerScope } from '../server-directory';
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

/** The kinds of walk whose runs can be queued, with the handlers of one database server's services. */
export const walkJobsOn = (server: ServerScope): WalkJob[] => [
  { handler: server.get(SyncJobHandler), report: SYNC_METADATA_REPORT },
  ...UPGRADE_JOBS.map((job) => ({ handler: server.get<UpgradeJobHandler>(upgradeJobHandlerToken(job)), report: upgradeReport(job) })),
  { handler: server.get(UpgradeStatusJobHandler), report: UPGRADE_STATUS_REPORT },
  { handler: server.get(WorkspaceHealthJobHandler), report: WORKSPACE_HEALTH_REPORT },
];
