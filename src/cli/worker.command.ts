import { Inject } from '@nestjs/common';
import { InvalidArgumentError } from 'commander';
import { Command, Option } from 'nest-commander';
import { Logger } from 'pino';

import { AppConfig, MAIN_SERVER } from '../config/app-config';
import { DatabaseService } from '../database/database.service';
import { LOGGER } from '../observability/logger';
import { CheckResults, serveOperations } from '../observability/operations-server';
import { ServiceMetrics } from '../observability/service-metrics';
import { StepProgressEvents } from '../observability/step-progress';
import { ServerDirectory, ServerScope } from '../server-directory';
import { ReadinessService } from '../workspace/readiness.service';
import { DatabaseOutage } from '../workspace/connection-retry';
import { MAX_CONCURRENCY, WorkspaceJobDispatcher } from '../workspace/workspace-job.dispatcher';
import { queueNameFor, QueueError, WorkspaceJobResult, WorkspaceJobWorker } from '../workspace/workspace-queue';
import { BaseCommand, BaseCommandOptions } from './base.command';
import { walkJobsOn } from './walk-jobs';
import { renderResult } from './walk-report';
import { PlainProgress } from './plain-progress';
import { parsePositiveInteger } from './workspace-walk.command';

interface WorkerOptions extends BaseCommandOptions {
  concurrency?: number;
  lockDuration?: number;
  port?: number;
  gracePeriod?: number;
  server?: string;
}

const DEFAULT_LOCK_DURATION_MS = 30_000;
const DEFAULT_GRACE_PERIOD_MS = 60_000;

@Command({
  name: 'worker',
  description:
    'Do the queued jobs of walk commands run with --queue (Redis at REDIS_URL), until SIGINT or SIGTERM: the queue of every database server (DATABASE_URL and DATABASE_SERVERS), or of the one named by --server',
})
export class WorkerCommand extends BaseCommand<WorkerOptions> {
  constructor(
    @Inject(DatabaseService) private readonly database: DatabaseService,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(ServerDirectory) private readonly servers: ServerDirectory,
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

  @Option({
    flags: '--concurrency <n>',
    description: 'jobs done at once on each database server served (default 1): a worker serving 2 servers does up to 2n',
  })
  parseConcurrency(value: string): number {
    return parsePositiveInteger(value, '--concurrency', MAX_CONCURRENCY);
  }

  @Option({
    flags: '--server <name>',
    description: 'serve the queue of this database server only (main, or a name of DATABASE_SERVERS); default: every server',
  })
  parseServer(value: string): string {
    return value;
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
    if (options.server !== undefined) this.servers.assertKnown(options.server, '--server');
    const concurrency = options.concurrency ?? 1;
    const log = this.logger;
    const several = this.servers.several;
    const named = (server: ServerScope, line: string) => (several ? `${server.name}: ${line}` : line);
    const workers: WorkspaceJobWorker[] = [];
    const served: ServerScope[] = [];
    for (const server of await this.servers.all()) {
      if (options.server !== undefined && server.name !== options.server) continue;
      try {
        await server.get(DatabaseService).connect({ poolSize: concurrency + 1, announce: (line) => log.info(line) });
      } catch (error) {
        // One server down leaves the others served; its jobs wait in its queue for a worker that reaches it.
        if (!several || options.server !== undefined) throw error;
        log.error(
          `${server.name} (${server.address}): ${(error as Error).message} Its queue is not served by this worker: restart it once the server answers.`,
        );
        continue;
      }
      workers.push(
        await this.serve(server, concurrency, options.lockDuration ?? DEFAULT_LOCK_DURATION_MS, (line) => log.warn(named(server, line))),
      );
      served.push(server);
    }
    if (served.length === 0) throw new Error('worker: no database server answers; nothing to serve.');
    // Rows of long steps, logged every PROGRESS_INTERVAL_MS (another server's steps are forwarded to the app's events).
    const progress = new PlainProgress(log, { everyMs: this.config.PROGRESS_INTERVAL_MS });
    const unsubscribe = this.stepProgress.subscribe((step) => progress.step(step));
    this.metrics.collectProcessMetrics();
    const removeQueueMetrics = workers.map((worker) => this.metrics.addSource(() => worker.prometheusMetrics()));
    const closeAll = (graceMs: number, forceNow?: Promise<void>) => Promise.all(workers.map((worker) => worker.close(graceMs, forceNow)));
    let operations;
    try {
      operations = await serveOperations(options.port ?? this.config.WORKER_PORT, this.metrics, () => this.readinessOf(served));
    } catch (error) {
      await closeAll(0);
      throw new Error(
        `worker cannot serve /healthz and /metrics on port ${options.port ?? this.config.WORKER_PORT}: ${(error as Error).message}. ` +
          'Choose another with --port or WORKER_PORT (0: any free port).',
        { cause: error },
      );
    }
    const graceMs = options.gracePeriod ?? DEFAULT_GRACE_PERIOD_MS;
    const queues = several ? `; the queues of ${served.map((server) => server.name).join(', ')}, concurrency ${concurrency} each` : '';
    log.info(
      { concurrency, port: operations.port, ...(several ? { servers: served.map((server) => server.name) } : {}) },
      `Worker ready (concurrency ${concurrency}; /healthz, /readyz and /metrics on port ${operations.port}${queues}); SIGINT or SIGTERM stops it after the jobs in progress (at most ${graceMs / 1000} s; a second signal at once).`,
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
    const closed = await closeAll(graceMs, forceNow);
    const abandoned = closed.reduce((sum, { abandoned: count }) => sum + count, 0);
    if (closed.some(({ inTime }) => !inTime)) {
      log.warn(
        `Stopped before the jobs in progress finished: ${abandoned} job(s) abandoned; their transactions are rolled back, and a worker takes them again once their lock expires (--lock-duration).`,
      );
    }
    unsubscribe();
    removeQueueMetrics.forEach((remove) => remove());
    await new Promise<void>((resolve) => operations.server.close(() => resolve()));
  }

  /**
   * Takes the jobs of one server's queue (named after its database) and runs each with that
   * server's own handlers and dispatcher, on its connections.
   */
  private async serve(
    server: ServerScope,
    concurrency: number,
    lockDurationMs: number,
    warn: (line: string) => void,
  ): Promise<WorkspaceJobWorker> {
    const byName = new Map(walkJobsOn(server).map((job) => [job.handler.name, job]));
    const dispatcher = server.get(WorkspaceJobDispatcher);
    const outage = new DatabaseOutage(warn);
    return WorkspaceJobWorker.start(
      this.config.REDIS_URL!,
      queueNameFor(this.servers.urlOf(server.name)!),
      { concurrency, lockDurationMs },
      async (name, data, context) => {
        const job = byName.get(name);
        if (!job) throw new QueueError(`no command ${name} to run this job`);
        const done = await dispatcher.runJob(job.handler, data, context, outage).catch((error: Error) => {
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
      warn,
    );
  }

  /** /readyz: as on one server; serving several (or another than main), each server's database and migrations by name. */
  private async readinessOf(served: ServerScope[]): Promise<CheckResults> {
    if (served.length === 1 && served[0].name === MAIN_SERVER) return this.readiness.check();
    const results: CheckResults = {};
    for (const server of served) {
      for (const [key, check] of Object.entries(await server.get(ReadinessService).checkDatabase()))
        results[`${key}:${server.name}`] = check;
    }
    return { ...results, ...(await this.readiness.checkRedis()) };
  }
}
