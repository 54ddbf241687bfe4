import { performance } from 'node:perf_hooks';

import { FaultInjection } from '../config/fault-injection';
import { WorkspaceRow } from '../metadata/workspace.repository';
import { DatabaseOutage, retryOnConnectionLoss, retryWorkOnConnectionLoss } from './connection-retry';
import { Rollout, RolloutAmount } from './rollout';
import {
  FleetItemResult,
  FleetRunOptions,
  FleetSelection,
  FleetSource,
  FleetStageSummary,
  FleetStatus,
  FleetSummary,
  FleetWork,
  runFleet,
  WorkspaceFleetRunner,
} from './workspace-fleet.runner';
import { WalkRunRecorder } from './walk-run.recorder';
import { WalkRunRepository } from './walk-run.repository';
import { WorkspaceJobHandler } from './workspace-job.handler';
import { WorkspaceMeasures, WorkspaceOutcomeEntry, WorkspaceOutcomeLog } from './workspace-outcome.log';
import { WorkspaceJobQueue } from './workspace-queue';

/** The options every walk takes, as its command parsed them. */
export interface WalkOptions {
  workspaceId?: string[];
  startFromWorkspaceId?: string;
  workspaceCountLimit?: number;
  concurrency?: number;
  queue?: boolean;
  json?: boolean;
  canary?: number;
  canaryWorkspaceId?: string[];
  stages?: RolloutAmount[];
  maxFailures?: RolloutAmount;
}

/** The canary and stages the options ask for. */
export const rolloutOf = (options: WalkOptions): Rollout => ({
  canary: options.canary,
  canaryWorkspaceIds: options.canaryWorkspaceId,
  stages: options.stages,
  maxFailures: options.maxFailures,
});

/** One workspace's report as its command prints it: lines for a person, or its entry of the JSON document. */
export interface RenderedResult {
  lines: string[];
  json: Record<string, unknown> | null;
}

export interface WalkRun<T> {
  continueOnError: boolean;
  /** Aborted: take no new workspace, and withdraw the queued jobs no worker has started. */
  signal: AbortSignal;
  /** Reports one workspace's result, as a worker reports a queued one. */
  render: (result: FleetItemResult<T>) => RenderedResult;
  onStart: (total: number) => void;
  onResult: (rendered: RenderedResult, status: FleetStatus) => void;
  /** A stage ended. */
  onStage?: (stage: FleetStageSummary) => void;
  /** A line about the run, not about a workspace. */
  note: (line: string) => void;
  /** Aborted: take no new workspace, as after a failure (the walk of another server stopped at one). */
  stop?: AbortSignal;
  /** The walk stopped taking workspaces after a failure. */
  onStopped?: () => void;
}

/**
 * A walk begun but not run: its workspaces, the work of one of them and the run's callbacks, for a
 * run that takes the workspaces of several servers in one order (`runAcrossServers`).
 */
export interface WalkPart {
  /** The selection's count and its workspaces, in order, a page at a time. */
  source(): Promise<FleetSource>;
  work(workspace: WorkspaceRow): Promise<FleetWork<RenderedResult> | null>;
  /** What the fleet runner is to call (onStart, onResult, onStopped) and heed (signal, stop), and the walk's bounds. */
  options: FleetRunOptions<RenderedResult>;
  /** Ends the walk with how its run ended: the run's record, and the error of a queue that gave up on Redis. */
  settle(outcome: Promise<FleetSummary<RenderedResult>>): Promise<FleetSummary<RenderedResult>>;
}

/** The options a worker needs to do a queued workspace exactly as this run would (no selection). */
const jobOptionsOf = (options: WalkOptions): Record<string, unknown> => {
  const {
    workspaceId: _ids,
    startFromWorkspaceId: _from,
    workspaceCountLimit: _limit,
    concurrency: _concurrency,
    queue: _queue,
    canary: _canary,
    canaryWorkspaceId: _canaryIds,
    stages: _stages,
    maxFailures: _maxFailures,
    ...rest
  } = options;
  return rest as Record<string, unknown>;
};

/**
 * One run of a walk over the fleet, opened by WorkspaceJobDispatcher: each workspace done by the
 * handler in this process, or, with a queue, one job per workspace done by `worker` processes
 * (a workspace its row settles is done here, without a job).
 */
export class WorkspaceWalk<T, O extends WalkOptions> {
  constructor(
    private readonly fleet: WorkspaceFleetRunner,
    private readonly faults: FaultInjection,
    private readonly handler: WorkspaceJobHandler<T, O>,
    private readonly options: O,
    private readonly queue: WorkspaceJobQueue | null,
    private readonly concurrency: number,
    /** How long one workspace's work is retried after a lost database connection (DATABASE_RETRY_MS). */
    private readonly retryMs: number,
    private readonly outcomes: WorkspaceOutcomeLog,
    /** Where the run and its workspaces' outcomes are recorded for the console; null: nowhere. */
    private readonly runs: WalkRunRepository | null = null,
    /** Whether the pool has a connection no one uses now (the record's writes wait for one). */
    private readonly hasIdleConnection: () => boolean = () => true,
  ) {}

  async run(run: WalkRun<T>): Promise<FleetSummary<RenderedResult>> {
    const part = await this.begin(run);
    return part.settle(part.source().then((source) => runFleet(source, (workspace) => part.work(workspace), part.options)));
  }

  /** Starts the run's record and listens to the queue; the run itself is the caller's, ended by `settle`. */
  async begin(run: WalkRun<T>): Promise<WalkPart> {
    const { handler, options, queue } = this;
    const recorder = this.runs
      ? await WalkRunRecorder.start(
          this.runs,
          { command: handler.name, queued: queue !== null, dryRun: (options as { dryRun?: unknown }).dryRun === true },
          run.note,
          { hasIdleConnection: this.hasIdleConnection },
        )
      : null;
    const recordOutcome = (entry: WorkspaceOutcomeEntry) => {
      this.outcomes.record(entry);
      recorder?.add(entry);
    };
    const jobOptions = jobOptionsOf(options);
    // One line when the database is lost and one when it is back, not one per workspace or attempt.
    const outage = new DatabaseOutage(run.note);
    const work = async (workspace: WorkspaceRow): Promise<FleetWork<RenderedResult> | null> => {
      const started = performance.now();
      if (queue && !handler.isSettledByRow?.(workspace, options)) {
        const outcome = await queue.submit(handler.name, workspace.id, jobOptions);
        if (!outcome) return null;
        const record = (status: FleetStatus, message: string | null, measures: WorkspaceMeasures | null) =>
          recordOutcome({
            command: handler.name,
            workspaceId: workspace.id,
            outcome: status,
            message,
            durationMs: performance.now() - started,
            measures,
            queued: true,
          });
        if (outcome.kind === 'failed') {
          record('failed', outcome.message, null);
          return {
            status: 'failed',
            message: outcome.message,
            detail: run.render({ workspaceId: workspace.id, status: 'failed', detail: null, message: outcome.message }),
          };
        }
        const { result } = outcome;
        record(result.status, result.message, result.measures ?? null);
        return { status: result.status, message: result.message, detail: { lines: result.lines, json: options.json ? result.json : null } };
      }
      if (!queue) await this.faults.onWorkspaceStart?.();
      const done = await retryWorkOnConnectionLoss(() => handler.process(workspace, options), this.retryMs, outage).catch(
        (error: Error) => {
          recordOutcome({
            command: handler.name,
            workspaceId: workspace.id,
            outcome: 'failed',
            message: error.message,
            durationMs: performance.now() - started,
            measures: null,
          });
          throw error;
        },
      );
      recordOutcome({
        command: handler.name,
        workspaceId: workspace.id,
        outcome: done.status,
        message: done.message,
        durationMs: performance.now() - started,
        measures: handler.measure?.(done.detail) ?? null,
      });
      return { status: done.status, message: done.message, detail: run.render({ workspaceId: workspace.id, ...done }) };
    };
    const withdraw = () => {
      queue?.withdrawWaiting().catch((error: Error) => run.note(`could not withdraw the queued jobs: ${error.message}`));
    };
    run.signal.addEventListener('abort', withdraw);
    // Redis gone for longer than the run waits: no new workspace, and the run ends with how to resume.
    const redisLost = new AbortController();
    queue?.listen({ note: run.note, onLost: () => redisLost.abort() });
    const selection: FleetSelection = {
      workspaceIds: options.workspaceId,
      startFromWorkspaceId: options.startFromWorkspaceId,
      countLimit: options.workspaceCountLimit,
      firstIds: options.canaryWorkspaceId,
    };
    // The walk's own reads (pages of workspaces) wait out a restart as a workspace's work does.
    const read = <R>(query: () => Promise<R>) => retryOnConnectionLoss(query, () => false, this.retryMs, outage);
    return {
      source: () => this.fleet.source(selection, read),
      work,
      options: {
        concurrency: this.concurrency,
        continueOnError: run.continueOnError,
        rollout: rolloutOf(options),
        onStage: run.onStage,
        signal: AbortSignal.any([run.signal, redisLost.signal]),
        stop: run.stop,
        onStart: (total) => {
          recorder?.begin(total);
          run.onStart(total);
        },
        onStopped: () => {
          withdraw();
          run.onStopped?.();
        },
        // A result without its report: the workspace does not exist, or its work threw.
        onResult: (result) => run.onResult(result.detail ?? run.render({ ...result, detail: null }), result.status),
      },
      settle: async (outcome) => {
        try {
          const summary = await outcome;
          const lost = queue?.lostError(summary.total - summary.succeeded - summary.failed - summary.skipped);
          if (lost) throw lost;
          await recorder?.finish(summary.interrupted ? 'INTERRUPTED' : 'DONE');
          return summary;
        } catch (error) {
          await recorder?.finish('FAILED', (error as Error).message);
          throw error;
        } finally {
          run.signal.removeEventListener('abort', withdraw);
        }
      },
    };
  }

  /** Withdraws the jobs no worker has started, and lets go of the queue. */
  async close(): Promise<void> {
    await this.queue?.close();
  }
}
