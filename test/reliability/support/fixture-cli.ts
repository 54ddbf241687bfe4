import 'reflect-metadata';

import { Global, Module } from '@nestjs/common';

import { SyncMetadataCommand } from '../../../src/cli/sync-metadata.command';
import { runCli } from '../../../src/cli/cli-runner';
import { ServerDirectory } from '../../../src/server-directory';
import { WorkspaceCreateCommand } from '../../../src/cli/workspace-create.command';
import { WorkspaceHealthCommand } from '../../../src/cli/workspace-health.command';
import { ConfigModule } from '../../../src/config/config.module';
import { DatabaseModule } from '../../../src/database/database.module';
import { ServicesModule } from '../../../src/services.module';
import { STANDARD_DECLARATIONS } from '../../../src/standard-objects/standard-declarations.module';
import { fixtureDeclarations } from './fixture-declarations';

/**
 * The product's own commands (workspace:create, workspace:sync-metadata, workspace:health) built
 * on a test declaration set instead of the standard one: WMS_TEST_DECLARATIONS names it (v1, v2,
 * ...). Run as a child process, so that a test can kill it like the real CLI.
 */
@Global()
@Module({
  providers: [{ provide: STANDARD_DECLARATIONS, useFactory: () => fixtureDeclarations(process.env.WMS_TEST_DECLARATIONS ?? '') }],
  exports: [STANDARD_DECLARATIONS],
})
class FixtureDeclarationsModule {}

@Module({
  imports: [ConfigModule, DatabaseModule, FixtureDeclarationsModule, ServicesModule],
  providers: [ServerDirectory, WorkspaceCreateCommand, SyncMetadataCommand, WorkspaceHealthCommand],
})
class FixtureCliModule {}

void runCli(FixtureCliModule);
