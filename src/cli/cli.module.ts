import { Module } from '@nestjs/common';

import { ConfigModule } from '../config/config.module';
import { DatabaseModule } from '../database/database.module';
import { ObservabilityModule } from '../observability/observability.module';
import { ServicesModule } from '../services.module';
import { StandardDeclarationsModule } from '../standard-objects/standard-declarations.module';
import { FieldCreateCommand, ObjectCreateCommand, ObjectDeleteCommand } from './custom-metadata.commands';
import { DatabaseMigrateCommand } from './database-migrate.command';
import { DatabaseResetCommand } from './database-reset.command';
import { DeclarationsCheckCommand } from './declarations-check.command';
import { DemoCommand } from './demo.command';
import { ContactsImportFromEmailsCommand, RecordsExportCommand, RecordsImportCommand } from './records.commands';
import { ServerDirectory } from '../server-directory';
import { SnapshotGenerateCommand } from './snapshot-generate.command';
import { SyncMetadataCommand } from './sync-metadata.command';
import { UPGRADE_COMMANDS } from './upgrade.command';
import { UpgradeMarkAppliedCommand } from './upgrade-mark-applied.command';
import { UpgradeStatusCommand } from './upgrade-status.command';
import { WorkspaceCreateCommand } from './workspace-create.command';
import { WorkspaceSeedDemoCommand } from './workspace-seed-demo.command';
import { WorkspaceHealthCommand } from './workspace-health.command';
import { WorkspaceListCommand } from './workspace-list.command';
import { WorkspaceUpdateCommand } from './workspace-update.command';
import { WorkerCommand } from './worker.command';

@Module({
  imports: [ConfigModule, ObservabilityModule, DatabaseModule, StandardDeclarationsModule, ServicesModule],
  providers: [
    ContactsImportFromEmailsCommand,
    DatabaseMigrateCommand,
    DatabaseResetCommand,
    DeclarationsCheckCommand,
    DemoCommand,
    FieldCreateCommand,
    ObjectCreateCommand,
    ObjectDeleteCommand,
    RecordsExportCommand,
    RecordsImportCommand,
    ServerDirectory,
    SnapshotGenerateCommand,
    SyncMetadataCommand,
    ...UPGRADE_COMMANDS,
    UpgradeMarkAppliedCommand,
    UpgradeStatusCommand,
    WorkspaceCreateCommand,
    WorkspaceSeedDemoCommand,
    WorkspaceHealthCommand,
    WorkspaceListCommand,
    WorkspaceUpdateCommand,
    WorkerCommand,
  ],
})
export class CliModule {}
