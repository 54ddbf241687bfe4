import { Inject } from '@nestjs/common';
import { InvalidArgumentError } from 'commander';
import { Command, Option } from 'nest-commander';
import { Logger } from 'pino';

import { AppConfig } from '../config/app-config';
import { DatabaseService } from '../database/database.service';
import { LOGGER } from '../observability/logger';
import { serveOperations } from '../observability/operations-server';
import { ServiceMetrics } from '../observability/service-metrics';
import { StepProgressEvents } from '../observability/step-progress';
import { ReadinessService } from '../workspace/readiness.service';
import { MAX_CONCURRENCY, WorkspaceJobDispatcher } from '../workspace/workspace-job.dispatcher';
import { queueNameFor, QueueError, WorkspaceJobResult, WorkspaceJobWorker } from '../workspace/workspace-queue';
import { BaseCommand, BaseCommandOptions } from './base.command';
import { UsageError } from './cli.error';
import { WALK_JOBS, WalkJob } from './walk-jobs';
import { renderResult } from './walk-report';
import { PlainProgress } from './plain-progress';
import { parsePositiveInteger } from './workspace-walk.command';

interface WorkerOptions extends BaseCommandOptions {
  concurrency?: number;
  lockDuration?: number;
  port?: number;
}

const DEFAULT_LOCK_DURATION_MS = 30_000;

@Command({
  name: 'worker',
  description: 'Do the queued jobs of walk commands run with --queue (Redis at REDIS_URL), until SIGINT or SIGTERM',
})
export class WorkerCommand extends BaseCommand<WorkerOptions> {
  constructor(
    @Inject(DatabaseService) private readonly database: DatabaseService,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(WorkspaceJobDispatcher) private readonly dispatcher: WorkspaceJobDispatcher,
    @Inject(WALK_JOBS) private readonly jobs: WalkJob[],
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(ServiceMetrics) private readonly metrics: ServiceMetrics,
    @Inject(ReadinessService) private readonly readiness: ReadinessService,
    @Inject(StepProgressEvents) private readonly stepProgress: StepProgressEvents,
  ) {
    super();
  }

  @Option({
    flags: '--port <port>',
    description: 'port of /healthz, /readyz and /metrics (default WORKER_PORT, 9464; 0: any free port, logged)',
  })
  parsePort(value: string): number {
    if (!/^\d+$/.test(value) || Number(value) > 65535) {
      throw new InvalidArgumentError(`--port takes a port from 0 to 65535; got "${value.slice(0, 80)}".`);
    }
    return Number(value);
  }

  @Option({ flags: '--concurrency <n>', description: 'jobs done at once by this process (default 1)' })
  parseConcurrency(value: string): number {
    return parsePositiveInteger(value, '--concurrency', MAX_CONCURRENCY);
  }

  @Option({
    flags: '--lock-duration <ms>',
    description: `how long a job stays claimed by a worker that stopped answering before another worker takes it again (default ${DEFAULT_LOCK_DURATION_MS})`,
  })
  parseLockDuration(value: string): number {
    return parsePositiveInteger(value, '--lock-duration', 3_600_000);
  }

  async run(_params: string[], options: WorkerOptions): Promise<void> {
    if (!this.config.REDIS_URL) {
      throw new UsageError('worker needs Redis: set REDIS_URL (e.g. redis://127.0.0.1:6379) in the environment or .env.');
    }
    if (this.database.isEmbedded) {
      throw new UsageError('worker needs a PostgreSQL server (DATABASE_URL): the embedded database belongs to one process.');
    }
    const concurrency = options.concurrency ?? 1;
    const log = this.logger;
    await this.database.connect({ poolSize: concurrency + 1, announce: (line) => log.info(line) });
    const byName = new Map(this.jobs.map((job) => [job.handler.name, job]));
    const worker = await WorkspaceJobWorker.start(
      this.config.REDIS_URL,
      queueNameFor(this.config.DATABASE_URL!),
      { concurrency, lockDurationMs: options.lockDuration ?? DEFAULT_LOCK_DURATION_MS },
      async (name, data, context) => {
        const job = byName.get(name);
        if (!job) throw new QueueError(`no command ${name} to run this job`);
        const done = await this.dispatcher.runJob(job.handler, data, context).catch((error: Error) => {
          this.metrics.queueJobs.inc({ command: name, outcome: 'error' });
          throw error;
        });
        this.metrics.queueJobs.inc({ command: name, outcome: 'completed' });
        // The lines the producer prints, rendered with its options as its in-process run would.
        const rendered = renderResult(job.report, done, data.options as never);
        const result: WorkspaceJobResult = {
          workspaceId: done.workspaceId,
          status: done.status,
          message: done.message,
          lines: rendered.lines,
          json: rendered.json ?? {},
          measures: done.detail === null ? null : (job.handler.measure?.(done.detail as never) ?? null),
        };
        const logged = result.lines.length > 0 ? result.lines : job.report.describe({ ...done, detail: null }, data.options as never);
        logged.forEach((line) => this.print(line));
        return result;
      },
      (line) => log.warn(line),
    );
    // Rows of long steps, logged every PROGRESS_INTERVAL_MS.
    const progress = new PlainProgress(log, { everyMs: this.config.PROGRESS_INTERVAL_MS });
    const unsubscribe = this.stepProgress.subscribe((step) => progress.step(step));
    this.metrics.collectProcessMetrics();
    const removeQueueMetrics = this.metrics.addSource(() => worker.prometheusMetrics());
    let operations;
    try {
      operations = await serveOperations(options.port ?? this.config.WORKER_PORT, this.metrics, () => this.readiness.check());
    } catch (error) {
      await worker.close();
      throw new UsageError(
        `worker cannot serve /healthz and /metrics on port ${options.port ?? this.config.WORKER_PORT}: ${(error as Error).message}. ` +
          'Choose another with --port or WORKER_PORT (0: any free port).',
      );
    }
    log.info(
      { concurrency, port: operations.port },
      `Worker ready (concurrency ${concurrency}; /healthz, /readyz and /metrics on port ${operations.port}); SIGINT or SIGTERM stops it after the jobs in progress.`,
    );
    await new Promise<void>((resolve) => {
      const stop = (signal: NodeJS.Signals) => {
        log.info(`${signal}: finishing the jobs in progress.`);
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await worker.close();
    unsubscribe();
    removeQueueMetrics();
    await new Promise<void>((resolve) => operations.server.close(() => resolve()));
  }
}
