import { Inject } from '@nestjs/common';
import { Command, Option } from 'nest-commander';

import { AppConfig } from '../config/app-config';
import { DatabaseService } from '../database/database.service';
import { MAX_CONCURRENCY, WorkspaceJobDispatcher } from '../workspace/workspace-job.dispatcher';
import { queueNameFor, QueueError, WorkspaceJobResult, WorkspaceJobWorker } from '../workspace/workspace-queue';
import { BaseCommand, BaseCommandOptions } from './base.command';
import { WALK_JOBS, WalkJob } from './walk-jobs';
import { renderResult } from './walk-report';
import { parsePositiveInteger } from './workspace-walk.command';

interface WorkerOptions extends BaseCommandOptions {
  concurrency?: number;
  lockDuration?: number;
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
  ) {
    super();
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
      throw new Error('worker needs Redis: set REDIS_URL (e.g. redis://127.0.0.1:6379) in the environment or .env.');
    }
    if (this.database.isEmbedded) {
      throw new Error('worker needs a PostgreSQL server (DATABASE_URL): the embedded database belongs to one process.');
    }
    const concurrency = options.concurrency ?? 1;
    await this.database.connect({ poolSize: concurrency + 1 });
    const byName = new Map(this.jobs.map((job) => [job.handler.name, job]));
    const worker = await WorkspaceJobWorker.start(
      this.config.REDIS_URL,
      queueNameFor(this.config.DATABASE_URL!),
      { concurrency, lockDurationMs: options.lockDuration ?? DEFAULT_LOCK_DURATION_MS },
      async (name, data, context) => {
        const job = byName.get(name);
        if (!job) throw new QueueError(`no command ${name} to run this job`);
        const done = await this.dispatcher.runJob(job.handler, data, context);
        // The lines the producer prints, rendered with its options as its in-process run would.
        const rendered = renderResult(job.report, done, data.options as never);
        const result: WorkspaceJobResult = {
          workspaceId: done.workspaceId,
          status: done.status,
          message: done.message,
          lines: rendered.lines,
          json: rendered.json ?? {},
        };
        const logged = result.lines.length > 0 ? result.lines : job.report.describe({ ...done, detail: null }, data.options as never);
        logged.forEach((line) => this.print(line));
        return result;
      },
      (line) => process.stderr.write(`${line}\n`),
    );
    process.stderr.write(`Worker ready (concurrency ${concurrency}); SIGINT or SIGTERM stops it after the jobs in progress.\n`);
    await new Promise<void>((resolve) => {
      const stop = (signal: NodeJS.Signals) => {
        process.stderr.write(`${signal}: finishing the jobs in progress.\n`);
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await worker.close();
  }
}
