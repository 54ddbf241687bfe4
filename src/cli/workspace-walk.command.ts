import { InvalidArgumentError } from 'commander';
import { Option } from 'nest-commander';
import { MultiBar, Presets, SingleBar } from 'cli-progress';
import { DataSource } from 'typeorm';

import { DatabaseService } from '../database/database.service';
import { UUID_PATTERN } from '../declarations/identifier.rules';
import { FleetItemResult, FleetStatus, FleetSummary, WorkspaceFleetRunner } from '../workspace/workspace-fleet.runner';
import { WorkspaceRow } from '../workspace/workspace.repository';
import { BaseCommand, BaseCommandOptions } from './base.command';
import { EXIT_FAILURE, UsageError } from './cli.error';

export interface WorkspaceWalkOptions extends BaseCommandOptions {
  workspaceId?: string[];
  dryRun?: boolean;
  json?: boolean;
  concurrency?: number;
  startFromWorkspaceId?: string;
  workspaceCountLimit?: number;
  continueOnError?: boolean;
}

export interface WorkspaceWork<T> {
  status: FleetStatus;
  detail: T;
  message: string | null;
}

const parseUuid = (value: string, option: string): string => {
  if (!UUID_PATTERN.test(value)) {
    throw new InvalidArgumentError(`${option} takes a workspace id (a UUID); got "${value.slice(0, 80)}".`);
  }
  return value.toLowerCase();
};

const parsePositiveInteger = (value: string, option: string, max: number): number => {
  const number = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(number) || number < 1 || number > max) {
    throw new InvalidArgumentError(`${option} takes a whole number from 1 to ${max}; got "${value.slice(0, 80)}".`);
  }
  return number;
};

/**
 * The one base of every command that walks workspaces: the shared options of the CLI contract,
 * the fleet walk with bounded concurrency, a progress bar on a terminal, the summary line and
 * the exit status (0 all succeeded, 1 any failed or skipped).
 */
export abstract class WorkspaceWalkCommand<TDetail, TOptions extends WorkspaceWalkOptions = WorkspaceWalkOptions> extends BaseCommand<TOptions> {
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

  @Option({ flags: '--concurrency <n>', description: 'workspaces processed at once (default 1; 1 on the embedded database)' })
  parseConcurrency(value: string): number {
    return parsePositiveInteger(value, '--concurrency', 64);
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

  async run(_params: string[], options: TOptions): Promise<void> {
    if (options.workspaceId?.length && (options.startFromWorkspaceId || options.workspaceCountLimit)) {
      throw new UsageError('-w selects workspaces by id; it cannot be combined with --start-from-workspace-id or --workspace-count-limit.');
    }
    const concurrency = this.database.isEmbedded ? 1 : (options.concurrency ?? 1);
    const dataSource = await this.database.connect({ poolSize: concurrency + 1 });
    const progress = process.stderr.isTTY && !options.json ? new FleetProgress() : null;
    let total = 0;
    const summary: FleetSummary<TDetail> = await new WorkspaceFleetRunner(dataSource.manager).run(
      {
        workspaceIds: options.workspaceId,
        startFromWorkspaceId: options.startFromWorkspaceId,
        countLimit: options.workspaceCountLimit,
      },
      (workspace) => this.processWorkspace(workspace, options, dataSource),
      {
        concurrency,
        continueOnError: options.continueOnError ?? this.continuesByDefault,
        onStart: (count) => {
          total = count;
          progress?.start(count);
        },
        onResult: (result) => {
          const lines = options.json ? [] : this.describe(result, options);
          if (progress) progress.advance(lines);
          else lines.forEach((line) => this.print(line));
        },
      },
    );
    progress?.stop();
    const notReached = summary.stoppedEarly ? Math.max(0, total - summary.results.length) : 0;
    const line = `${summary.succeeded} succeeded, ${summary.failed} failed, ${summary.skipped} skipped`;
    if (options.json) {
      this.print(
        JSON.stringify({
          workspaces: summary.results.map((result) => this.toJson(result)),
          summary: { succeeded: summary.succeeded, failed: summary.failed, skipped: summary.skipped },
          stoppedEarly: summary.stoppedEarly,
          notReached,
        }),
      );
      process.stderr.write(`${line}\n`);
    } else {
      if (summary.stoppedEarly) {
        this.print(
          `Stopped at the first failure${notReached > 0 ? `, ${notReached} workspace(s) not reached` : ''}; pass --continue-on-error to go on past failures.`,
        );
      }
      this.print(line);
    }
    // 0 only when every selected workspace succeeded: a skipped one (locked by another runner) was not processed.
    if (summary.failed > 0 || summary.skipped > 0) {
      process.exitCode = EXIT_FAILURE;
    }
  }
}

/** A progress bar with rate and time left on stderr, with result lines printed above it. */
class FleetProgress {
  private readonly bars = new MultiBar(
    { stream: process.stderr, format: ' {bar} {value}/{total} workspaces | {rate}/s | {eta_formatted} left', hideCursor: true, clearOnComplete: true },
    Presets.shades_classic,
  );
  private bar: SingleBar | undefined;
  private started = Date.now();
  private done = 0;

  start(total: number): void {
    this.started = Date.now();
    this.bar = this.bars.create(total, 0, { rate: '0.0' });
  }

  advance(lines: string[]): void {
    for (const line of lines) this.bars.log(`${line}\n`);
    this.done += 1;
    const seconds = Math.max(0.001, (Date.now() - this.started) / 1000);
    this.bar?.increment(1, { rate: (this.done / seconds).toFixed(1) });
  }

  stop(): void {
    // Lines logged since the last redraw are written on the next one: flush them before stopping.
    this.bars.update();
    this.bars.stop();
  }
}
