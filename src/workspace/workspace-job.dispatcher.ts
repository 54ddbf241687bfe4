import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';

import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { AppConfig } from '../config/app-config';
import { FAULT_INJECTION, FaultInjection } from '../config/fault-injection';
import { DatabaseService } from '../database/database.service';
import { WorkspaceRepository } from '../metadata/workspace.repository';
import { DatabaseOutage, retryOnConnectionLoss, retryWorkOnConnectionLoss } from './connection-retry';
import { WalkRunRepository } from './walk-run.repository';
import { FleetItemResult, WorkspaceFleetRunner } from './workspace-fleet.runner';
import { WorkspaceJobHandler } from './workspace-job.handler';
import { queueNameFor, RetryLaterError, WorkspaceJobContext, WorkspaceJobData, WorkspaceJobQueue } from './workspace-queue';
import { WalkOptions, WorkspaceWalk } from './workspace-walk';
import { WorkspaceMeasures, WorkspaceOutcomeLog } from './workspace-outcome.log';

/** Workspaces a walk does at once, at most. */
export const MAX_CONCURRENCY = 64;
/** Jobs a queued run keeps in the queue at once, unless --concurrency says otherwise. */
export const DEFAULT_QUEUE_WINDOW = MAX_CONCURRENCY;

/** What keeps this process from queueing: workers need Redis, and a database server they can reach. */
export type QueueUnavailable = 'NO_REDIS' | 'EMBEDDED_DATABASE';

/**
 * Hands the workspaces of a walk to their job handler: in this process, or through the queue to
 * workers, where it runs the handler of each job.
 */
@Injectable()
export class WorkspaceJobDispatcher {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(DatabaseService) private readonly database: DatabaseService,
    @Inject(WorkspaceFleetRunner) private readonly fleet: WorkspaceFleetRunner,
    @Inject(WorkspaceRepository) private readonly workspaces: WorkspaceRepository,
    @Inject(FAULT_INJECTION) private readonly faults: FaultInjection,
    @Inject(WorkspaceOutcomeLog) private readonly outcomes: WorkspaceOutcomeLog,
    @Inject(WalkRunRepository) private readonly runs: WalkRunRepository,
  ) {}

  get queueUnavailable(): QueueUnavailable | null {
    if (!this.config.REDIS_URL) return 'NO_REDIS';
    return this.database.isEmbedded ? 'EMBEDDED_DATABASE' : null;
  }

  /**
   * Opens a walk: the queue of this run when `options.queue`, and the connections it needs (one
   * per workspace in flight, and one for the walk's own reads and the record of the run, which the
   * console reads). Close it once run.
   */
  async open<T, O extends WalkOptions>(handler: WorkspaceJobHandler<T, O>, options: O): Promise<WorkspaceWalk<T, O>> {
    const queue = options.queue
      ? await WorkspaceJobQueue.open(
          this.config.REDIS_URL!,
          queueNameFor(this.config.DATABASE_URL!),
          randomUUID(),
          this.config.REDIS_RETRY_MS,
        )
      : null;
    const concurrency = queue ? (options.concurrency ?? DEFAULT_QUEUE_WINDOW) : this.database.isEmbedded ? 1 : (options.concurrency ?? 1);
    let dataSource: DataSource;
    try {
      dataSource = await this.database.connect({ poolSize: queue ? 2 : concurrency + 1 });
    } catch (error) {
      await queue?.close();
      throw error;
    }
    // pg's pool, under TypeORM's driver: how many of its connections are idle now.
    const pool = (dataSource.driver as unknown as { master?: { idleCount?: number } }).master;
    return new WorkspaceWalk(
      this.fleet,
      this.faults,
      handler,
      options,
      queue,
      concurrency,
      this.config.DATABASE_RETRY_MS,
      this.outcomes,
      this.runs,
      () => typeof pool?.idleCount !== 'number' || pool.idleCount > 0,
    );
  }

  /**
   * A worker's side of a queued job: the handler's work on the workspace the job names, as the
   * run in process would do it. A workspace locked by another runner throws RetryLaterError, to
   * be tried again later, but on the job's last attempt. `outage` says when the database is lost
   * and back, once for all the jobs of the process.
   */
  async runJob<T, O>(
    handler: WorkspaceJobHandler<T, O>,
    data: WorkspaceJobData,
    context: WorkspaceJobContext,
    outage?: DatabaseOutage,
  ): Promise<FleetItemResult<T>> {
    const retryMs = this.config.DATABASE_RETRY_MS;
    const [workspace] = await retryOnConnectionLoss(
      () => this.workspaces.findByIds([data.workspaceId]),
      () => false,
      retryMs,
      outage,
    );
    await this.faults.onWorkspaceStart?.();
    const started = performance.now();
    const record = (result: FleetItemResult<T>, measures: WorkspaceMeasures | null) =>
      this.outcomes.record({
        command: handler.name,
        workspaceId: data.workspaceId,
        outcome: result.status,
        message: result.message,
        durationMs: performance.now() - started,
        measures,
      });
    let result: FleetItemResult<T>;
    try {
      result = workspace
        ? {
            workspaceId: workspace.id,
            ...(await retryWorkOnConnectionLoss(() => handler.process(workspace, data.options as O), retryMs, outage)),
          }
        : { workspaceId: data.workspaceId, status: 'failed', detail: null, message: `workspace ${data.workspaceId} does not exist` };
    } catch (error) {
      record({ workspaceId: data.workspaceId, status: 'failed', detail: null, message: (error as Error).message }, null);
      throw error;
    }
    if (result.status === 'skipped' && !context.isLastAttempt) {
      throw new RetryLaterError(result.message ?? 'skipped');
    }
    record(result, result.detail === null ? null : (handler.measure?.(result.detail) ?? null));
    return result;
  }
}
