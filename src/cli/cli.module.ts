import { Module } from '@nestjs/common';

import { ConfigModule } from '../config/config.module';
import { DatabaseModule } from '../database/database.module';
import { ServicesModule } from '../services.module';
import { StandardDeclarationsModule } from '../standard-objects/standard-declarations.module';
import { FieldCreateCommand, ObjectCreateCommand } from './custom-metadata.commands';
import { DatabaseMigrateCommand } from './database-migrate.command';
import { DatabaseResetCommand } from './database-reset.command';
import { ContactsImportFromEmailsCommand, RecordsExportCommand, RecordsImportCommand } from './records.commands';
import { SnapshotGenerateCommand } from './snapshot-generate.command';
import { SyncMetadataCommand } from './sync-metadata.command';
import { UPGRADE_COMMANDS } from './upgrade.command';
import { UpgradeMarkAppliedCommand } from './upgrade-mark-applied.command';
import { UpgradeStatusCommand } from './upgrade-status.command';
import { WorkspaceCreateCommand } from './workspace-create.command';
import { WorkspaceSeedDemoCommand } from './workspace-seed-demo.command';
import { WorkspaceHealthCommand } from './workspace-health.command';
import { WorkspaceListCommand } from './workspace-list.command';
import { WALK_COMMANDS, WorkerCommand } from './worker.command';
import { WorkspaceWalkCommand } from './workspace-walk.command';

const WALK_COMMAND_CLASSES = [SyncMetadataCommand, ...UPGRADE_COMMANDS, UpgradeStatusCommand, WorkspaceHealthCommand];

@Module({
  imports: [ConfigModule, DatabaseModule, StandardDeclarationsModule, ServicesModule],
  providers: [
    ContactsImportFromEmailsCommand,
    DatabaseMigrateCommand,
    DatabaseResetCommand,
    FieldCreateCommand,
    ObjectCreateCommand,
    RecordsExportCommand,
    RecordsImportCommand,
    SnapshotGenerateCommand,
    SyncMetadataCommand,
    ...UPGRADE_COMMANDS,
    UpgradeMarkAppliedCommand,
    UpgradeStatusCommand,
    WorkspaceCreateCommand,
    WorkspaceSeedDemoCommand,
    WorkspaceHealthCommand,
    WorkspaceListCommand,
    WorkerCommand,
    {
      provide: WALK_COMMANDS,
      useFactory: (...commands: Array<WorkspaceWalkCommand<unknown>>) => commands,
      inject: WALK_COMMAND_CLASSES,
    },
  ],
})
export class CliModule {}
