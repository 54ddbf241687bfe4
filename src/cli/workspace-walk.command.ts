import { randomUUID } from 'node:crypto';

import { Inject } from '@nestjs/common';
import { InvalidArgumentError } from 'commander';
import { Option } from 'nest-commander';
import { CommandMeta } from 'nest-commander/src/constants';
import { DataSource } from 'typeorm';

import { AppConfig } from '../config/app-config';
import { FAULT_INJECTION, FaultInjection } from '../config/fault-injection';
import { DatabaseService } from '../database/database.service';
import { UUID_PATTERN } from '../declarations/identifier.rules';
import { FleetItemResult, FleetStatus, FleetWork, WorkspaceFleetRunner } from '../workspace/workspace-fleet.runner';
import { queueNameFor, RetryLaterError, WorkspaceJobContext, WorkspaceJobData, WorkspaceJobQueue, WorkspaceJobResult } from '../workspace/workspace-queue';
import { WorkspaceRepository, WorkspaceRow } from '../metadata/workspace.repository';
import { BaseCommand, BaseCommandOptions } from './base.command';
import { EXIT_FAILURE, UsageError } from './cli.error';
import { PlainProgress } from './plain-progress';
import { TerminalProgress } from './terminal-progress';
import { WalkProgress } from './walk-progress';

export interface WorkspaceWalkOptions extends BaseCommandOptions {
  workspaceId?: string[];
  dryRun?: boolean;
  json?: boolean;
  concurrency?: number;
  startFromWorkspaceId?: string;
  workspaceCountLimit?: number;
  continueOnError?: boolean;
  queue?: boolean;
}

export interface WorkspaceWork<T> {
  status: FleetStatus;
  detail: T;
  message: string | null;
}

/** One workspace's report: the lines a person reads, or its entry of the JSON report. */
interface Rendered {
  lines: string[];
  json: Record<string, unknown> | null;
}

export const MAX_CONCURRENCY = 64;
/** Jobs a queued run keeps in the queue at once, unless --concurrency says otherwise. */
const DEFAULT_QUEUE_WINDOW = MAX_CONCURRENCY;

const parseUuid = (value: string, option: string): string => {
  if (!UUID_PATTERN.test(value)) {
    throw new InvalidArgumentError(`${option} takes a workspace id (a UUID); got "${value.slice(0, 80)}".`);
  }
  return value.toLowerCase();
};

export const parsePositiveInteger = (value: string, option: string, max: number): number => {
  const number = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(number) || number < 1 || number > max) {
    throw new InvalidArgumentError(`${option} takes a whole number from 1 to ${max}; got "${value.slice(0, 80)}".`);
  }
  return number;
};

/** The options a worker needs to do a queued workspace exactly as this run would (no selection). */
const jobOptionsOf = (options: WorkspaceWalkOptions): Record<string, unknown> => {
  const { workspaceId: _ids, startFromWorkspaceId: _from, workspaceCountLimit: _limit, concurrency: _concurrency, queue: _queue, ...rest } = options;
  return rest as Record<string, unknown>;
};

/**
 * The one base of every command that walks workspaces: the shared options of the CLI contract,
 * the fleet walk with bounded concurrency (in this process, or as one queued job per workspace
 * done by `worker` processes), a progress bar on a terminal, a clean stop on SIGINT/SIGTERM, the
 * summary line and the exit status (0 all succeeded, 1 any failed or skipped, or interrupted).
 */
export abstract class WorkspaceWalkCommand<TDetail, TOptions extends WorkspaceWalkOptions = WorkspaceWalkOptions> extends BaseCommand<TOptions> {
  @Inject(AppConfig)
  protected readonly config: AppConfig;

  @Inject(FAULT_INJECTION)
  protected readonly faults: FaultInjection;

  constructor(protected readonly database: DatabaseService) {
    super();
  }

  /** Read-only commands report on every workspace; commands that write stop at the first failure. */
  protected readonly continuesByDefault: boolean = false;

  /** Runs the command's work on one workspace. */
  protected abstract processWorkspace(workspace: WorkspaceRow, options: TOptions, dataSource: DataSource): Promise<WorkspaceWork<TDetail>>;

  /** Human-readable lines for one workspace's result. */
  protected abstract describe(result: FleetItemResult<TDetail>, options: TOptions): string[];

  /** The JSON of one workspace's result (inside `{ "workspaces": [...] }`). */
  protected abstract toJson(result: FleetItemResult<TDetail>): Record<string, unknown>;

  /**
   * True when the workspace row alone shows there is nothing to do (a fingerprint or version that
   * matches): processWorkspace then issues no query, and a queued run does it without a job.
   */
  protected isSettledByRow(_workspace: WorkspaceRow, _options: TOptions, _dataSource: DataSource): boolean {
    return false;
  }

  /** The command's name, which is also the name of its queued jobs. */
  get commandName(): string {
    return (Reflect.getMetadata(CommandMeta, this.constructor) as { name: string }).name;
  }

  @Option({ flags: '-w, --workspace-id <id>', description: 'only this workspace (repeatable)' })
  parseWorkspaceId(value: string, previous: string[] = []): string[] {
    return [...previous, parseUuid(value, '--workspace-id')];
  }

  @Option({ flags: '--dry-run', description: 'print what would be done; write nothing' })
  parseDryRun(): boolean {
    return true;
  }

  @Option({ flags: '--json', description: 'print one JSON document' })
  parseJson(): boolean {
    return true;
  }

  @Option({
    flags: '--concurrency <n>',
    description: `workspaces processed at once (default 1; 1 on the embedded database; with --queue: jobs queued at once, default ${DEFAULT_QUEUE_WINDOW})`,
  })
  parseConcurrency(value: string): number {
    return parsePositiveInteger(value, '--concurrency', MAX_CONCURRENCY);
  }

  @Option({ flags: '--start-from-workspace-id <id>', description: 'start at this workspace id (in id order)' })
  parseStartFrom(value: string): string {
    return parseUuid(value, '--start-from-workspace-id');
  }

  @Option({ flags: '--workspace-count-limit <n>', description: 'process at most this many workspaces' })
  parseCountLimit(value: string): number {
    return parsePositiveInteger(value, '--workspace-count-limit', Number.MAX_SAFE_INTEGER);
  }

  @Option({ flags: '--continue-on-error', description: 'go on after a workspace fails (default: stop at the first failure)' })
  parseContinueOnError(): boolean {
    return true;
  }

  @Option({ flags: '--queue', description: 'enqueue one job per workspace (Redis at REDIS_URL) for `worker` processes, and wait for them' })
  parseQueue(): boolean {
    return true;
  }

  async run(_params: string[], options: TOptions): Promise<void> {
    if (options.workspaceId?.length && (options.startFromWorkspaceId || options.workspaceCountLimit)) {
      throw new UsageError('-w selects workspaces by id; it cannot be combined with --start-from-workspace-id or --workspace-count-limit.');
    }
    if (options.queue && !this.config.REDIS_URL) {
      throw new UsageError('--queue needs Redis: set REDIS_URL (e.g. redis://127.0.0.1:6379) in the environment or .env.');
    }
    if (options.queue && this.database.isEmbedded) {
      throw new UsageError('--queue needs a PostgreSQL server (DATABASE_URL): workers cannot reach the embedded database of this process.');
    }
    const queue = options.queue ? await WorkspaceJobQueue.open(this.config.REDIS_URL!, queueNameFor(this.config.DATABASE_URL!), randomUUID()) : null;
    const concurrency = queue ? (options.concurrency ?? DEFAULT_QUEUE_WINDOW) : this.database.isEmbedded ? 1 : (options.concurrency ?? 1);
    try {
      const dataSource = await this.database.connect({ poolSize: queue ? 2 : concurrency + 1 });
      await this.walk(options, dataSource, concurrency, queue);
    } finally {
      await queue?.close();
    }
  }

  /** The worker's side of a queued run: one workspace, the same work and the same report as in-process. */
  async processJob(data: WorkspaceJobData, context: WorkspaceJobContext, dataSource: DataSource): Promise<WorkspaceJobResult> {
    const options = data.options as TOptions;
    const [workspace] = await new WorkspaceRepository(dataSource.manager).findByIds([data.workspaceId]);
    await this.faults.onWorkspaceStart?.();
    const result: FleetItemResult<TDetail> = workspace
      ? { workspaceId: workspace.id, ...(await this.processWorkspace(workspace, options, dataSource)) }
      : { workspaceId: data.workspaceId, status: 'failed', detail: null, message: `workspace ${data.workspaceId} does not exist` };
    // Locked by another runner: another worker (or a run in-process) has it; try again later.
    if (result.status === 'skipped' && !context.isLastAttempt) {
      throw new RetryLaterError(result.message ?? 'skipped');
    }
    const rendered = this.render(result, options);
    return { workspaceId: result.workspaceId, status: result.status, message: result.message, lines: rendered.lines, json: rendered.json ?? {} };
  }

  /** The lines of one result, as the worker prints them in its log. */
  describeForLog(result: WorkspaceJobResult, options: Record<string, unknown>): string[] {
    return result.lines.length > 0 ? result.lines : this.describe({ workspaceId: result.workspaceId, status: result.status, detail: null, message: result.message }, options as TOptions);
  }

  private render(result: FleetItemResult<TDetail>, options: TOptions): Rendered {
    return options.json ? { lines: [], json: this.toJson(result) } : { lines: this.describe(result, options), json: null };
  }

  private async walk(options: TOptions, dataSource: DataSource, concurrency: number, queue: WorkspaceJobQueue | null): Promise<void> {
    const jobOptions = jobOptionsOf(options);
    const work = async (workspace: WorkspaceRow): Promise<FleetWork<Rendered> | null> => {
      if (queue && !this.isSettledByRow(workspace, options, dataSource)) {
        const outcome = await queue.submit(this.commandName, workspace.id, jobOptions);
        if (!outcome) return null;
        if (outcome.kind === 'failed') {
          const failed: FleetItemResult<TDetail> = { workspaceId: workspace.id, status: 'failed', detail: null, message: outcome.message };
          return { status: 'failed', message: outcome.message, detail: this.render(failed, options) };
        }
        const { result } = outcome;
        return { status: result.status, message: result.message, detail: { lines: result.lines, json: options.json ? result.json : null } };
      }
      if (!queue) await this.faults.onWorkspaceStart?.();
      const done = await this.processWorkspace(workspace, options, dataSource);
      return { status: done.status, message: done.message, detail: this.render({ workspaceId: workspace.id, ...done }, options) };
    };

    const interrupt = new AbortController();
    const progress: WalkProgress = process.stderr.isTTY && !options.json ? new TerminalProgress() : new PlainProgress();
    const onSignal = (signal: NodeJS.Signals) => {
      if (interrupt.signal.aborted) {
        process.stderr.write(`${signal} again: quitting without waiting for the workspaces in flight.\n`);
        process.exit(130);
      }
      interrupt.abort(signal);
      progress.note(`${signal}: stopping after the workspaces in flight (${signal === 'SIGINT' ? 'Ctrl-C' : signal} again quits at once).`);
      queue?.withdrawWaiting().catch((error: Error) => progress.note(`could not withdraw the queued jobs: ${error.message}`));
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const jsonReport: Array<Record<string, unknown>> = [];
    let summary;
    try {
      summary = await new WorkspaceFleetRunner(dataSource.manager).run<Rendered>(
        {
          workspaceIds: options.workspaceId,
          startFromWorkspaceId: options.startFromWorkspaceId,
          countLimit: options.workspaceCountLimit,
        },
        work,
        {
          concurrency,
          continueOnError: options.continueOnError ?? this.continuesByDefault,
          signal: interrupt.signal,
          onStart: (count) => progress.start(count),
          onStopped: () => queue?.withdrawWaiting().catch((error: Error) => progress.note(`could not withdraw the queued jobs: ${error.message}`)),
          onResult: (result) => {
            const rendered = result.detail ?? this.render({ ...result, detail: null }, options);
            if (rendered.json) jsonReport.push(rendered.json);
            progress.advance(rendered.lines, (line) => this.print(line));
          },
        },
      );
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      progress.stop();
    }
    const reached = summary.succeeded + summary.failed + summary.skipped;
    const notReached = summary.stoppedEarly || summary.interrupted ? Math.max(0, summary.total - reached) : 0;
    const line = `${summary.succeeded} succeeded, ${summary.failed} failed, ${summary.skipped} skipped`;
    const interruptedLine = summary.interrupted
      ? `Interrupted by ${String(interrupt.signal.reason)} after the workspaces in flight; ${notReached} workspace(s) not reached. Run the command again to do the rest.`
      : null;
    if (options.json) {
      this.print(
        JSON.stringify({
          workspaces: jsonReport,
          summary: { succeeded: summary.succeeded, failed: summary.failed, skipped: summary.skipped },
          stoppedEarly: summary.stoppedEarly,
          interrupted: summary.interrupted,
          notReached,
        }),
      );
      if (interruptedLine) process.stderr.write(`${interruptedLine}\n`);
      process.stderr.write(`${line}\n`);
    } else {
      if (summary.stoppedEarly) {
        this.print(
          `Stopped at the first failure${notReached > 0 ? `, ${notReached} workspace(s) not reached` : ''}; pass --continue-on-error to go on past failures.`,
        );
      }
      if (interruptedLine) this.print(interruptedLine);
      this.print(line);
    }
    // 0 only when every selected workspace succeeded: a skipped one (locked by another runner) was not processed.
    if (summary.failed > 0 || summary.skipped > 0 || summary.interrupted) {
      process.exitCode = EXIT_FAILURE;
    }
  }
}
