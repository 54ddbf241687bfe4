import { Inject, Module, OnModuleInit } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { Logger } from 'pino';

import { ConfigModule } from '../config/config.module';
import { DatabaseModule } from '../database/database.module';
import { DatabaseService } from '../database/database.service';
import { LOGGER } from '../observability/logger';
import { ObservabilityModule } from '../observability/observability.module';
import { ServerDirectory } from '../server-directory';
import { ServicesModule } from '../services.module';
import { StandardDeclarationsModule } from '../standard-objects/standard-declarations.module';
import { AuthGuard } from './auth.guard';
import { ConsoleAuthController } from './console/console-auth.controller';
import { ConsoleFleetController } from './console/console-fleet.controller';
import { ConsoleWorkspaceController } from './console/console-workspace.controller';
import { HealthController } from './health.controller';
import { HttpExceptionFilter } from './http-exception.filter';
import { MetadataController } from './metadata.controller';
import { RecordsController } from './records.controller';
import { RequestValidationPipe } from './request-validation.pipe';
import { WorkspacesController } from './workspaces.controller';

/** Paths polled by orchestrators and Prometheus: not worth a log line each. */
const PROBE_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/** Connections the HTTP service keeps in its pool. */
const HTTP_POOL_SIZE = 10;

@Module({
  imports: [
    ConfigModule,
    ObservabilityModule,
    // Nest's own lines and one line per request, through the process's logger; the probes unlogged.
    LoggerModule.forRootAsync({
      inject: [LOGGER],
      useFactory: (logger: Logger) => ({
        pinoHttp: {
          logger,
          autoLogging: { ignore: (request) => PROBE_PATHS.has((request.url ?? '').split('?')[0]) },
          serializers: {
            req: (request: { id: unknown; method: string; url: string }) => ({ id: request.id, method: request.method, url: request.url }),
            res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
          },
        },
      }),
    }),
    TerminusModule.forRoot({ logger: false }),
    DatabaseModule,
    StandardDeclarationsModule,
    ServicesModule,
  ],
  controllers: [
    WorkspacesController,
    MetadataController,
    RecordsController,
    HealthController,
    ConsoleAuthController,
    ConsoleFleetController,
    ConsoleWorkspaceController,
  ],
  providers: [
    ServerDirectory,
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_FILTER, useClass: HttpExceptionFilter },
    { provide: APP_PIPE, useClass: RequestValidationPipe },
  ],
})
export class HttpModule implements OnModuleInit {
  constructor(
    @Inject(DatabaseService) private readonly database: DatabaseService,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(ServerDirectory) private readonly servers: ServerDirectory,
  ) {}

  /**
   * Connects before the app serves: a server that cannot reach the database, or whose core
   * migrations are pending, does not start. The other database servers are connected when first
   * needed, each with a pool as large: one that does not answer fails only its own workspaces.
   */
  async onModuleInit(): Promise<void> {
    this.servers.poolSize = HTTP_POOL_SIZE;
    this.servers.announce = (line) => this.logger.info(line);
    await this.database.connect({ poolSize: HTTP_POOL_SIZE, announce: (line) => this.logger.info(line) });
  }
}
