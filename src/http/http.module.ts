import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';

import { ConfigModule } from '../config/config.module';
import { DatabaseModule } from '../database/database.module';
import { StandardDeclarationsModule } from '../standard-objects/standard-declarations.module';
import { AuthGuard } from './auth.guard';
import { HttpExceptionFilter } from './http-exception.filter';
import { HTTP_PROVIDERS } from './http.providers';
import { MetadataController } from './metadata.controller';
import { RecordsController } from './records.controller';
import { WorkspacesController } from './workspaces.controller';

@Module({
  imports: [ConfigModule, DatabaseModule, StandardDeclarationsModule],
  controllers: [WorkspacesController, MetadataController, RecordsController],
  providers: [...HTTP_PROVIDERS, { provide: APP_GUARD, useClass: AuthGuard }, { provide: APP_FILTER, useClass: HttpExceptionFilter }],
})
export class HttpModule {}
