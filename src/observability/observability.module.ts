import { Global, Module } from '@nestjs/common';

import { AppConfig } from '../config/app-config';
import { createLogger, LOGGER, LogSink } from './logger';
import { ServiceMetrics } from './service-metrics';
import { StepProgressEvents } from './step-progress';

/** The process's logger (LOG_LEVEL; readable on a terminal, JSON lines otherwise), its metrics and the steps' progress. */
@Global()
@Module({
  providers: [
    LogSink,
    {
      provide: LOGGER,
      inject: [AppConfig, LogSink],
      useFactory: (config: AppConfig, sink: LogSink) =>
        createLogger({ level: config.LOG_LEVEL, pretty: Boolean(process.stderr.isTTY), sink }),
    },
    ServiceMetrics,
    StepProgressEvents,
  ],
  exports: [LogSink, LOGGER, ServiceMetrics, StepProgressEvents],
})
export class ObservabilityModule {}
