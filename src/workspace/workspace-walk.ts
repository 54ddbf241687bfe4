import { performance } from 'node:perf_hooks';

import { FaultInjection } from '../config/fault-injection';
import { WorkspaceRow } from '../metadata/workspace.repository';
import { DatabaseOutage, retryOnConnectionLoss, retryWorkOnConnectionLoss } from './connection-retry';
import { Rollout, RolloutAmount } from './rollout';
import { FleetItemResult, FleetStageSummary, FleetStatus, FleetSummary, FleetWork, WorkspaceFleetRunner } from './workspace-fleet.runner';
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
  onResult: (rendered: RenderedResult) => void;
  /** A stage ended. */
  onStage?: (stage: FleetStageSummary) => void;
  /** A line about the run, not about a workspace. */
  note: (line: string) => void;
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
    const { handler, options, queue } = this;
    const recorder = this.runs
      ? await WalkRunRecorder.start(
          this.runs,
          { command: handler.name, queued: queue !== null, dryRun: (options as { dryRun?: unknown }).dryRun === true },
          run.note,
          { hasIdleConnection: this.hasIdleConnection },
        )
      : null;
    try {
      const summary = await this.walk(run, recorder);
      await recorder?.finish(summary.interrupted ? 'INTERRUPTED' : 'DONE');
      return summary;
    } catch (error) {
      await recorder?.finish('FAILED', (error as Error).message);
      throw error;
    }
  }

  private async walk(run: WalkRun<T>, recorder: WalkRunRecorder | null): Promise<FleetSummary<RenderedResult>> {
    const { handler, options, queue } = this;
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
    const summary = await this.fleet.run<RenderedResult>(
      {
        workspaceIds: options.workspaceId,
        startFromWorkspaceId: options.startFromWorkspaceId,
        countLimit: options.workspaceCountLimit,
        firstIds: options.canaryWorkspaceId,
      },
      work,
      {
        concurrency: this.concurrency,
        // The walk's own reads (pages of workspaces) wait out a restart as a workspace's work does.
        read: (query) => retryOnConnectionLoss(query, () => false, this.retryMs, outage),
        continueOnError: run.continueOnError,
        rollout: rolloutOf(options),
        onStage: run.onStage,
        signal: AbortSignal.any([run.signal, redisLost.signal]),
        onStart: (total) => {
          recorder?.begin(total);
          run.onStart(total);
        },
        onStopped: withdraw,
        // A result without its report: the workspace does not exist, or its work threw.
        onResult: (result) => run.onResult(result.detail ?? run.render({ ...result, detail: null })),
      },
    );
    const lost = queue?.lostError(summary.total - summary.succeeded - summary.failed - summary.skipped);
    if (lost) throw lost;
    return summary;
  }

  /** Withdraws the jobs no worker has started, and lets go of the queue. */
  async close(): Promise<void> {
    await this.queue?.close();
  }
}
