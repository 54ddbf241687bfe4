import { Inject, Module, OnModuleInit } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';

import { ConfigModule } from '../config/config.module';
import { DatabaseModule } from '../database/database.module';
import { DatabaseService } from '../database/database.service';
import { ServicesModule } from '../services.module';
import { StandardDeclarationsModule } from '../standard-objects/standard-declarations.module';
import { AuthGuard } from './auth.guard';
import { HttpExceptionFilter } from './http-exception.filter';
import { MetadataController } from './metadata.controller';
import { RecordsController } from './records.controller';
import { RequestValidationPipe } from './request-validation.pipe';
import { WorkspacesController } from './workspaces.controller';

/** Connections the HTTP service keeps in its pool. */
const HTTP_POOL_SIZE = 10;

@Module({
  imports: [ConfigModule, DatabaseModule, StandardDeclarationsModule, ServicesModule],
  controllers: [WorkspacesController, MetadataController, RecordsController],
  providers: [
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_FILTER, useClass: HttpExceptionFilter },
    { provide: APP_PIPE, useClass: RequestValidationPipe },
  ],
})
export class HttpModule implements OnModuleInit {
  constructor(@Inject(DatabaseService) private readonly database: DatabaseService) {}

  /** Connects before the app serves: a server that cannot reach the database, or whose core migrations are pending, does not start. */
  async onModuleInit(): Promise<void> {
    await this.database.connect({ poolSize: HTTP_POOL_SIZE });
  }
}
