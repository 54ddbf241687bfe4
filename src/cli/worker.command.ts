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
import { DatabaseOutage } from '../workspace/connection-retry';
import { MAX_CONCURRENCY, WorkspaceJobDispatcher } from '../workspace/workspace-job.dispatcher';
import { queueNameFor, QueueError, WorkspaceJobResult, WorkspaceJobWorker } from '../workspace/workspace-queue';
import { BaseCommand, BaseCommandOptions } from './base.command';
import { WALK_JOBS, WalkJob } from './walk-jobs';
import { renderResult } from './walk-report';
import { PlainProgress } from './plain-progress';
import { parsePositiveInteger } from './workspace-walk.command';

interface WorkerOptions extends BaseCommandOptions {
  concurrency?: number;
  lockDuration?: number;
  port?: number;
  gracePeriod?: number;
}

const DEFAULT_LOCK_DURATION_MS = 30_000;
const DEFAULT_GRACE_PERIOD_MS = 60_000;

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

  @Option({
    flags: '--grace-period <ms>',
    description: `on SIGINT or SIGTERM, how long the jobs in progress may take to finish before they are abandoned to another worker (default ${DEFAULT_GRACE_PERIOD_MS})`,
  })
  parseGracePeriod(value: string): number {
    return parsePositiveInteger(value, '--grace-period', 3_600_000);
  }

  async run(_params: string[], options: WorkerOptions): Promise<void> {
    if (!this.config.REDIS_URL) {
      throw new Error('worker needs Redis: set REDIS_URL (e.g. redis://127.0.0.1:6379) in the environment or .env.');
    }
    if (this.database.isEmbedded) {
      throw new Error('worker needs a PostgreSQL server (DATABASE_URL): the embedded database belongs to one process.');
    }
    const concurrency = options.concurrency ?? 1;
    const log = this.logger;
    await this.database.connect({ poolSize: concurrency + 1, announce: (line) => log.info(line) });
    const byName = new Map(this.jobs.map((job) => [job.handler.name, job]));
    const outage = new DatabaseOutage((line) => log.warn(line));
    const worker = await WorkspaceJobWorker.start(
      this.config.REDIS_URL,
      queueNameFor(this.config.DATABASE_URL!),
      { concurrency, lockDurationMs: options.lockDuration ?? DEFAULT_LOCK_DURATION_MS },
      async (name, data, context) => {
        const job = byName.get(name);
        if (!job) throw new QueueError(`no command ${name} to run this job`);
        const done = await this.dispatcher.runJob(job.handler, data, context, outage).catch((error: Error) => {
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
      await worker.close(0);
      throw new Error(
        `worker cannot serve /healthz and /metrics on port ${options.port ?? this.config.WORKER_PORT}: ${(error as Error).message}. ` +
          'Choose another with --port or WORKER_PORT (0: any free port).',
        { cause: error },
      );
    }
    const graceMs = options.gracePeriod ?? DEFAULT_GRACE_PERIOD_MS;
    log.info(
      { concurrency, port: operations.port },
      `Worker ready (concurrency ${concurrency}; /healthz, /readyz and /metrics on port ${operations.port}); SIGINT or SIGTERM stops it after the jobs in progress (at most ${graceMs / 1000} s; a second signal at once).`,
    );
    const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
    await new Promise<void>((resolve) => {
      const stop = (signal: NodeJS.Signals) => {
        log.info(`${signal}: taking no new job; finishing the jobs in progress (at most ${graceMs / 1000} s; a second signal at once).`);
        signals.forEach((name) => process.off(name, stop));
        resolve();
      };
      signals.forEach((name) => process.on(name, stop));
    });
    // A second signal ends the wait for the jobs in progress.
    const forceNow = new Promise<void>((resolve) => signals.forEach((name) => process.once(name, () => resolve())));
    const { inTime, abandoned } = await worker.close(graceMs, forceNow);
    if (!inTime) {
      log.warn(
        `Stopped before the jobs in progress finished: ${abandoned} job(s) abandoned; their transactions are rolled back, and a worker takes them again once their lock expires (--lock-duration).`,
      );
    }
    unsubscribe();
    removeQueueMetrics();
    await new Promise<void>((resolve) => operations.server.close(() => resolve()));
  }
}
