import { createHash } from 'node:crypto';

import type { Job, Queue, QueueEvents, Worker } from 'bullmq';

import { describeRedis, isRedisConnectionError, RedisWatch } from './redis-watch';
import { FleetStatus } from './workspace-fleet.runner';
import { WorkspaceMeasures } from './workspace-outcome.log';

/** Prefix of every Redis key of the service's queues. */
export const QUEUE_PREFIX = 'wms';
/** A job that throws is tried this many times in all, with exponential backoff from BACKOFF_MS. */
export const JOB_ATTEMPTS = 3;
const BACKOFF_MS = 1_000;
/** Times a job whose worker stopped answering is taken again by another worker. */
const MAX_STALLED_COUNT = 2;
/** Jobs a producer never collected (it was killed) expire after a day. */
const ABANDONED_JOB_AGE_SECONDS = 24 * 3600;
/** One-minute data points of completed and failed jobs a worker keeps (a day). */
const METRICS_DATA_POINTS = 24 * 60;
/** How often a producer asks for the state of its jobs, in case an event was missed. */
const RECONCILE_INTERVAL_MS = 2_000;
/** How often a producer looks whether Redis has been gone for longer than it waits. */
const WATCH_INTERVAL_MS = 100;

export class QueueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueueError';
  }
}

/** One workspace of one run of a walk command, as a queued job (job name: the command). */
export interface WorkspaceJobData {
  runId: string;
  workspaceId: string;
  /** The command's options, as the producer parsed them. */
  options: Record<string, unknown>;
}

/** What a worker sends back: the outcome, and the report lines the in-process run would print. */
export interface WorkspaceJobResult {
  workspaceId: string;
  status: FleetStatus;
  message: string | null;
  lines: string[];
  json: Record<string, unknown>;
  /** What the work amounted to, for the producer's log line. */
  measures?: WorkspaceMeasures | null;
}

/** What a queued run hears from its queue about Redis. */
export interface QueueListener {
  /** A line about Redis (lost, back). */
  note: (line: string) => void;
  /** The run gave up on Redis: take no new workspace. */
  onLost: () => void;
}

const formatSeconds = (ms: number): string => `${Number((ms / 1_000).toFixed(1))} s`;

/** How a queued workspace ended: its result, or the job failed for good (every attempt threw). */
export type QueuedOutcome = { kind: 'done'; result: WorkspaceJobResult } | { kind: 'failed'; message: string };

/**
 * The queue of one database: producers and workers connected to the same database (host, port,
 * database name) share it, and a worker never takes a job meant for another database.
 */
export const queueNameFor = (databaseUrl: string): string => {
  const parsed = new URL(databaseUrl);
  const identity = `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  return `workspaces-${createHash('sha1').update(identity).digest('hex').slice(0, 12)}`;
};

/** Fails fast, with one line, when Redis cannot be reached (BullMQ itself would retry forever). */
export const ensureRedisReachable = async (url: string): Promise<void> => {
  const { default: Redis } = await import('ioredis');
  const probe = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 5_000,
    enableOfflineQueue: false,
  });
  // The connection's own error (ECONNREFUSED, ENOTFOUND...) says more than the failed command's.
  let cause: Error | undefined;
  probe.on('error', (error: Error) => (cause ??= error));
  try {
    await probe.connect();
    await probe.ping();
  } catch (error) {
    const reason = (cause ?? (error as Error)).message.replace(/\.$/, '');
    throw new QueueError(`Could not connect to ${describeRedis(url)}: ${reason}. Check REDIS_URL and that the server is running.`);
  } finally {
    probe.disconnect();
  }
};

const connection = (url: string) => ({ url, maxRetriesPerRequest: null });

// BullMQ and ioredis are loaded on first use: most commands never queue, and start faster without them.
const loadBullmq = () => import('bullmq');

interface Pending {
  resolve: (outcome: QueuedOutcome | null) => void;
  /** The job is in the queue: until then, not finding it means nothing. */
  added: boolean;
}

/**
 * The producer side of a queued run: one job per workspace, results collected from the queue's
 * events (and by asking for the jobs' state now and then, so that a missed event cannot hang the
 * run). Each run has its own id; a run only ever sees its own jobs, and removes them once read.
 */
export class WorkspaceJobQueue {
  private readonly pending = new Map<string, Pending>();
  private reconcileTimer: NodeJS.Timeout | undefined;
  /** Not unref'd: while Redis is gone it may be all that keeps the run alive until it gives up. */
  private watchTimer: NodeJS.Timeout | undefined;
  private reconciling = false;
  /** Why the run gave up on Redis; null while it has not. */
  private lostReason: string | null = null;
  private readonly lost: Promise<void>;
  private markLost: () => void = () => undefined;

  private constructor(
    private readonly queue: Queue<WorkspaceJobData, WorkspaceJobResult>,
    private readonly events: QueueEvents,
    private readonly watch: RedisWatch,
    /** Filled in by `listen`; the watch's callbacks read it. */
    private readonly listener: QueueListener,
    private readonly redisUrl: string,
    private readonly lostAfterMs: number,
    readonly runId: string,
  ) {
    this.lost = new Promise<void>((resolve) => (this.markLost = resolve));
    // The watch reports a lost connection once; without a listener BullMQ would print each failed reconnection.
    const onError = (error: Error) => {
      if (!isRedisConnectionError(error)) this.listener.note(`queue error: ${error.message}`);
    };
    queue.on('error', onError);
    events.on('error', onError);
    this.watchTimer = setInterval(() => {
      if (this.watch.downForMs >= this.lostAfterMs) this.giveUp();
    }, WATCH_INTERVAL_MS);
    events.on('completed', ({ jobId, returnvalue }) => {
      if (this.pending.has(jobId)) void this.settle(jobId, { kind: 'done', result: returnvalue as unknown as WorkspaceJobResult });
    });
    events.on('failed', ({ jobId }) => {
      // Redis unreachable for a moment: the next reconcile round reads the job again.
      if (this.pending.has(jobId)) this.collect(jobId).catch(() => undefined);
    });
    this.reconcileTimer = setInterval(() => void this.reconcile(), RECONCILE_INTERVAL_MS);
    this.reconcileTimer.unref();
  }

  /** `lostAfterMs`: how long the run waits for a Redis that stopped answering before it gives up. */
  static async open(redisUrl: string, queueName: string, runId: string, lostAfterMs: number): Promise<WorkspaceJobQueue> {
    await ensureRedisReachable(redisUrl);
    const { Queue, QueueEvents } = await loadBullmq();
    const listener: QueueListener = { note: () => undefined, onLost: () => undefined };
    const seconds = formatSeconds(lostAfterMs);
    const watch = await RedisWatch.open(redisUrl, {
      onLost: (reason) => listener.note(`lost ${describeRedis(redisUrl)} (${reason}); waiting up to ${seconds} for it to come back`),
      onBack: () => listener.note(`${describeRedis(redisUrl)} is back`),
    });
    const queue = new Queue<WorkspaceJobData, WorkspaceJobResult>(queueName, { connection: connection(redisUrl), prefix: QUEUE_PREFIX });
    // Stream ids start with a time in ms: read every event from a second before this run began,
    // so that none of this run's events is missed between start-up and the first read.
    const events = new QueueEvents(queueName, {
      connection: connection(redisUrl),
      prefix: QUEUE_PREFIX,
      lastEventId: `${Date.now() - 1_000}-0`,
    });
    await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
    return new WorkspaceJobQueue(queue, events, watch, listener, redisUrl, lostAfterMs, runId);
  }

  /** Where lines about Redis go, and what to do when the run gives up on it (stop taking workspaces). */
  listen(listener: QueueListener): void {
    Object.assign(this.listener, listener);
  }

  /** The error that ends a run which gave up on Redis, `notConfirmed` workspaces without a result; null when it did not. */
  lostError(notConfirmed: number): QueueError | null {
    if (this.lostReason === null) return null;
    return new QueueError(
      `lost ${describeRedis(this.redisUrl)}: ${this.lostReason}; ${notConfirmed} workspace(s) not confirmed. ` +
        'Once Redis is back, run the command again to resume: workspaces already done are recognised and not done twice.',
    );
  }

  /**
   * Redis has not answered for lostAfterMs: every workspace waiting for its job is given up
   * (counted as not reached: its job may yet run, and a rerun finds it done), and the run stops.
   */
  private giveUp(): void {
    if (this.lostReason !== null) return;
    this.lostReason = `no answer for ${formatSeconds(this.lostAfterMs)} (${this.watch.reason})`;
    clearInterval(this.watchTimer);
    clearInterval(this.reconcileTimer);
    this.markLost();
    for (const jobId of [...this.pending.keys()]) void this.settle(jobId, null);
    this.listener.onLost();
  }

  private jobId(workspaceId: string): string {
    return `${this.runId}.${workspaceId}`;
  }

  /** Enqueues one workspace and resolves when it is done; null when it was withdrawn before it ran. */
  async submit(command: string, workspaceId: string, options: Record<string, unknown>): Promise<QueuedOutcome | null> {
    if (this.lostReason !== null) return null;
    const jobId = this.jobId(workspaceId);
    const pending: Pending = { resolve: () => undefined, added: false };
    const done = new Promise<QueuedOutcome | null>((resolve) => (pending.resolve = resolve));
    this.pending.set(jobId, pending);
    try {
      const added = this.queue.add(
        command,
        { runId: this.runId, workspaceId, options },
        {
          jobId,
          attempts: JOB_ATTEMPTS,
          backoff: { type: 'exponential', delay: BACKOFF_MS },
          removeOnComplete: { age: ABANDONED_JOB_AGE_SECONDS },
          removeOnFail: { age: ABANDONED_JOB_AGE_SECONDS },
        },
      );
      // While Redis is gone the add waits for it; giving up on Redis ends the wait.
      if ((await Promise.race([added.then(() => true), this.lost.then(() => false)])) === false) return null;
    } catch (error) {
      this.pending.delete(jobId);
      throw new QueueError(`could not enqueue workspace ${workspaceId}: ${(error as Error).message}`);
    }
    pending.added = true;
    return done;
  }

  /** Withdraws every job of this run that no worker has started; started ones finish. */
  async withdrawWaiting(): Promise<void> {
    if (this.lostReason !== null) return;
    for (const jobId of [...this.pending.keys()]) {
      const state = await this.queue.getJobState(jobId);
      if (state === 'waiting' || state === 'delayed' || state === 'prioritized') {
        if ((await this.queue.remove(jobId)) === 1) await this.settle(jobId, null);
      }
    }
  }

  async close(): Promise<void> {
    clearInterval(this.reconcileTimer);
    clearInterval(this.watchTimer);
    this.watch.close();
    if (this.lostReason !== null) {
      // Nothing to withdraw from a Redis that is gone, and a graceful close would wait for it; the
      // disconnections are not awaited either, as they wait for clients that never connect again.
      for (const client of [this.events, this.queue]) void client.disconnect().catch(() => undefined);
      return;
    }
    await this.withdrawWaiting();
    await this.events.close();
    await this.queue.close();
  }

  private async settle(jobId: string, outcome: QueuedOutcome | null): Promise<void> {
    const pending = this.pending.get(jobId);
    if (!pending) return;
    this.pending.delete(jobId);
    // Read, so no longer needed; should the removal fail, the job expires with the abandoned ones.
    if (outcome) await this.queue.remove(jobId).catch(() => undefined);
    pending.resolve(outcome);
  }

  /**
   * Reads a finished job from the queue (a job that failed for good, or one whose event was missed).
   * Its state is read first: a job read while it still runs has no result, and may have completed
   * by the time its state is asked for; read after a final state, the job holds what it ended with.
   */
  private async collect(jobId: string): Promise<void> {
    const state = await this.queue.getJobState(jobId);
    if (state !== 'completed' && state !== 'failed' && state !== 'unknown') return;
    const job = await this.queue.getJob(jobId);
    if (!job) {
      await this.settle(jobId, { kind: 'failed', message: 'its job disappeared from the queue' });
      return;
    }
    if (state === 'completed') {
      await this.settle(jobId, { kind: 'done', result: job.returnvalue as WorkspaceJobResult });
    } else if (state === 'failed') {
      await this.settle(jobId, { kind: 'failed', message: `failed after ${job.attemptsMade} attempt(s): ${job.failedReason}` });
    }
  }

  private async reconcile(): Promise<void> {
    if (this.reconciling) return;
    this.reconciling = true;
    try {
      for (const [jobId, pending] of [...this.pending.entries()]) {
        if (pending.added) await this.collect(jobId);
      }
    } catch {
      // Redis unreachable for a moment: the next round asks again.
    } finally {
      this.reconciling = false;
    }
  }
}

/** Thrown by a job that should be tried again later (the workspace was locked by another runner). */
export class RetryLaterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RetryLaterError';
  }
}

export interface WorkspaceWorkerOptions {
  concurrency: number;
  /** How long a job stays claimed by a worker that stopped answering before another takes it. */
  lockDurationMs: number;
}

export interface WorkspaceJobContext {
  /** 1 for the first attempt. */
  attempt: number;
  isLastAttempt: boolean;
}

/**
 * The consumer side: takes jobs of the queue with bounded concurrency. A job that throws is
 * retried with backoff up to JOB_ATTEMPTS times; a job whose worker died is taken again once its
 * lock expires. `process` returns the result, or throws RetryLaterError to be tried again.
 */
export class WorkspaceJobWorker {
  private constructor(
    private readonly worker: Worker<WorkspaceJobData, WorkspaceJobResult>,
    private readonly watch: RedisWatch,
    private readonly inProgress: Set<Promise<unknown>>,
    /** The queue's handle for its counts (BullMQ's Prometheus export). */
    private readonly queue: Queue,
  ) {}

  /** BullMQ's Prometheus series of the queue: jobs by state (its depth), and jobs completed and failed. */
  prometheusMetrics(): Promise<string> {
    return this.queue.exportPrometheusMetrics();
  }

  static async start(
    redisUrl: string,
    queueName: string,
    options: WorkspaceWorkerOptions,
    process: (command: string, data: WorkspaceJobData, context: WorkspaceJobContext) => Promise<WorkspaceJobResult>,
    log: (line: string) => void,
  ): Promise<WorkspaceJobWorker> {
    await ensureRedisReachable(redisUrl);
    const { Queue, UnrecoverableError, Worker } = await loadBullmq();
    // A worker waits for Redis as long as it takes, and says so once (the clients reconnect on their own).
    const watch = await RedisWatch.open(redisUrl, {
      onLost: (reason) => log(`lost ${describeRedis(redisUrl)} (${reason}); waiting for it to come back`),
      onBack: () => log(`${describeRedis(redisUrl)} is back`),
    });
    const inProgress = new Set<Promise<unknown>>();
    const worker = new Worker<WorkspaceJobData, WorkspaceJobResult>(
      queueName,
      async (job: Job<WorkspaceJobData, WorkspaceJobResult>) => {
        const attempts = job.opts.attempts ?? 1;
        const done = process(job.name, job.data, { attempt: job.attemptsMade + 1, isLastAttempt: job.attemptsMade + 1 >= attempts });
        inProgress.add(done);
        try {
          return await done;
        } catch (error) {
          if (error instanceof QueueError) throw new UnrecoverableError(error.message);
          throw error;
        } finally {
          inProgress.delete(done);
        }
      },
      {
        connection: connection(redisUrl),
        prefix: QUEUE_PREFIX,
        concurrency: options.concurrency,
        lockDuration: options.lockDurationMs,
        stalledInterval: options.lockDurationMs,
        // A job whose worker stopped answering (died, or starved of CPU past its lock) is taken again
        // twice before it is reported as failed: the workspace's advisory lock keeps two workers
        // from applying it at once, so taking it again is safe.
        maxStalledCount: MAX_STALLED_COUNT,
        // Counts of completed and failed jobs per minute, kept a day: BullMQ's export reports their totals.
        metrics: { maxDataPoints: METRICS_DATA_POINTS },
      },
    );
    worker.on('failed', (job, error) => {
      if (!job) return;
      const willRetry = !(error instanceof UnrecoverableError) && job.attemptsMade < (job.opts.attempts ?? 1);
      log(
        `workspace ${job.data.workspaceId} (run ${job.data.runId}), attempt ${job.attemptsMade}: ${error.message}${willRetry ? '; will retry' : ''}`,
      );
    });
    worker.on('error', (error) => {
      if (!isRedisConnectionError(error)) log(`queue error: ${error.message}`);
    });
    await worker.waitUntilReady();
    const queue = new Queue(queueName, { connection: connection(redisUrl), prefix: QUEUE_PREFIX });
    queue.on('error', (error) => {
      if (!isRedisConnectionError(error)) log(`queue error: ${error.message}`);
    });
    return new WorkspaceJobWorker(worker, watch, inProgress, queue);
  }

  /**
   * Takes no new job and lets the jobs in progress finish, their results stored, for at most
   * `graceMs` (or until `forceNow` resolves); then closes without waiting for BullMQ's own loop
   * (after a Redis outage it may sit in its retry delay, or wait for a Redis still gone). A job
   * still running then is abandoned: its lock expires and a worker takes it again.
   */
  async close(
    graceMs: number,
    forceNow: Promise<void> = new Promise<void>(() => undefined),
  ): Promise<{ inTime: boolean; abandoned: number }> {
    let timer: NodeJS.Timeout | undefined;
    const finished = this.worker.pause(false).then(
      () => true,
      () => true,
    );
    const graceOver = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), graceMs);
      void forceNow.then(() => resolve(false));
    });
    const inTime = await Promise.race([finished, graceOver]);
    clearTimeout(timer);
    const abandoned = this.inProgress.size;
    await this.worker.close(true).catch(() => undefined);
    await this.queue.close().catch(() => undefined);
    this.watch.close();
    return { inTime, abandoned };
  }
}
