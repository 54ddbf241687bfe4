import { Module } from '@nestjs/common';

import { ApiKeyRepository } from './auth/api-key.repository';
import { ApiKeyService } from './auth/api-key.service';
import { ObservabilityModule } from './observability/observability.module';
import { CustomMetadataService } from './custom-metadata/custom-metadata.service';
import { ActualStateRepository } from './metadata/actual-state.repository';
import { DeclaredStateRepository } from './metadata/declared-state.repository';
import { WorkspaceRepository } from './metadata/workspace.repository';
import { ContactCreationService } from './records/contact-creation.service';
import { RecordCsvService } from './records/record-csv.service';
import { RecordService } from './records/record.service';
import { TableViewService } from './records/table-view.service';
import { WorkspaceSyncService } from './sync/workspace-sync.service';
import { LedgerRepository } from './upgrade/ledger.repository';
import { UpgradeBaselineService } from './upgrade/upgrade-baseline.service';
import { UpgradeRunner } from './upgrade/upgrade.runner';
import { DemoRunService } from './workspace/demo-run.service';
import { FleetOverviewRepository } from './workspace/fleet-overview.repository';
import { FleetOverviewService } from './workspace/fleet-overview.service';
import { SyncJobHandler } from './workspace/sync-job.handler';
import { UPGRADE_JOB_HANDLER_PROVIDERS } from './workspace/upgrade-job.handler';
import { UpgradeMarkAppliedJobHandler } from './workspace/upgrade-mark-applied-job.handler';
import { UpgradeStatusJobHandler } from './workspace/upgrade-status-job.handler';
import { WalkRunRepository } from './workspace/walk-run.repository';
import { ReadinessService } from './workspace/readiness.service';
import { WorkspaceOutcomeLog } from './workspace/workspace-outcome.log';
import { WorkspaceCreationService } from './workspace/workspace-creation.service';
import { WorkspaceFleetRunner } from './workspace/workspace-fleet.runner';
import { WorkspaceHealthJobHandler } from './workspace/workspace-health-job.handler';
import { WorkspaceJobDispatcher } from './workspace/workspace-job.dispatcher';
import { WorkspaceOverviewService } from './workspace/workspace-overview.service';

const PROVIDERS = [
  ActualStateRepository,
  ApiKeyRepository,
  ApiKeyService,
  ContactCreationService,
  CustomMetadataService,
  DeclaredStateRepository,
  DemoRunService,
  FleetOverviewRepository,
  FleetOverviewService,
  LedgerRepository,
  ReadinessService,
  RecordCsvService,
  RecordService,
  SyncJobHandler,
  TableViewService,
  ...UPGRADE_JOB_HANDLER_PROVIDERS,
  UpgradeBaselineService,
  UpgradeMarkAppliedJobHandler,
  UpgradeRunner,
  UpgradeStatusJobHandler,
  WalkRunRepository,
  WorkspaceCreationService,
  WorkspaceFleetRunner,
  WorkspaceHealthJobHandler,
  WorkspaceJobDispatcher,
  WorkspaceOutcomeLog,
  WorkspaceOverviewService,
  WorkspaceRepository,
  WorkspaceSyncService,
];

/**
 * Every service and repository, and the walks' job handlers with their dispatcher, for the CLI and
 * the HTTP app alike. They take the data source of DatabaseModule, the configuration of
 * ConfigModule and the declarations of whichever module the app provides STANDARD_DECLARATIONS
 * with (the standard ones, or a test's), so the app imports those beside this one.
 */
@Module({
  // Every composition of the services logs and counts through the same observability.
  imports: [ObservabilityModule],
  providers: PROVIDERS,
  exports: PROVIDERS,
})
export class ServicesModule {}
