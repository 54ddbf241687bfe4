import { Global, Module } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

import { AppConfig } from '../config/app-config';
import { FAULT_INJECTION, FaultInjection } from '../config/fault-injection';
import { createDataSource, DatabaseService } from './database.service';

/**
 * The data source and its entity manager under TypeORM's own classes as tokens (those
 * @nestjs/typeorm registers), created unconnected; DatabaseService connects it. Not through
 * @nestjs/typeorm itself: its version 12 is an ES module only, which Jest's CommonJS runtime
 * cannot load, and the HTTP specs build this module in Jest.
 */
@Global()
@Module({
  providers: [
    {
      provide: DataSource,
      inject: [AppConfig, FAULT_INJECTION],
      useFactory: (config: AppConfig, faults: FaultInjection) => createDataSource(config, faults.databaseClient),
    },
    { provide: EntityManager, inject: [DataSource], useFactory: (dataSource: DataSource) => dataSource.manager },
    DatabaseService,
  ],
  exports: [DataSource, EntityManager, DatabaseService],
})
export class DatabaseModule {}
