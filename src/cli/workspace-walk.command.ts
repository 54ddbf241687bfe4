import { Inject, Type } from '@nestjs/common';
import { InvalidArgumentError } from 'commander';
import { Option } from 'nest-commander';
import { Logger } from 'pino';

import { AppConfig, MAIN_SERVER } from '../config/app-config';
import { LOGGER, LogSink } from '../observability/logger';
import { StepProgressEvents } from '../observability/step-progress';
import { UUID_PATTERN } from '../declarations/identifier.rules';
import { isStaged, RolloutAmount } from '../workspace/rollout';
import { FleetStatus, FleetSummary } from '../workspace/workspace-fleet.runner';
import { runAcrossServers } from '../workspace/walk-across-servers';
import { UpgradeJobHandler, upgradeJobHandlerToken } from '../workspace/upgrade-job.handler';
import { WorkspaceJobHandler } from '../workspace/workspace-job.handler';
import { DEFAULT_QUEUE_WINDOW, MAX_CONCURRENCY, WorkspaceJobDispatcher } from '../workspace/workspace-job.dispatcher';
import { RenderedResult, rolloutOf, WalkOptions, WalkRun, WorkspaceWalk } from '../workspace/workspace-walk';
import { DatabaseService } from '../database/database.service';
import { WorkspaceRepository } from '../metadata/workspace.repository';
import { BaseCommand, BaseCommandOptions } from './base.command';
import { EXIT_FAILURE, UsageError } from './cli.error';
import { PlainProgress } from './plain-progress';
import { ServerDirectory, ServerScope } from '../server-directory';
import { TerminalProgress } from './terminal-progress';
import { WalkProgress } from './walk-progress';
import { describeStage, renderResult, WalkReport, WorkspaceReport } from './walk-report';

export interface WorkspaceWalkOptions extends BaseCommandOptions, WalkOptions {
  dryRun?: boolean;
  continueOnError?: boolean;
}

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

const PERCENT = /^(\d{1,3}(\.\d+)?)%$/;

/** A stage's end: a number of workspaces (1 or more) or a percentage (above 0, up to 100). */
const parseStageEnd = (item: string): RolloutAmount | null => {
  if (/^\d+$/.test(item) && Number.isSafeInteger(Number(item)) && Number(item) >= 1) return { count: Number(item) };
  const percent = PERCENT.exec(item);
  return percent && Number(percent[1]) > 0 && Number(percent[1]) <= 100 ? { percent: Number(percent[1]) } : null;
};

export const parseStages = (value: string): RolloutAmount[] => {
  const usage = `--stages takes where each stage ends, comma-separated and growing, each a number of workspaces (1 or more) or a percentage (above 0% up to 100%), e.g. 1,10%,100%; got "${value.slice(0, 80)}".`;
  const stages = value.split(',').map((item) => parseStageEnd(item.trim()));
  if (stages.some((stage) => stage === null)) throw new InvalidArgumentError(usage);
  const amounts = stages as RolloutAmount[];
  const grows = (ends: number[]) => ends.every((end, index) => index === 0 || end > ends[index - 1]);
  const counts = amounts.flatMap((amount) => ('count' in amount ? [amount.count] : []));
  const percents = amounts.flatMap((amount) => ('percent' in amount ? [amount.percent] : []));
  if (!grows(counts) || !grows(percents)) throw new InvalidArgumentError(usage);
  return amounts;
};

export const parseMaxFailures = (value: string): RolloutAmount => {
  if (/^\d+$/.test(value) && Number.isSafeInteger(Number(value))) return { count: Number(value) };
  const percent = PERCENT.exec(value);
  if (percent && Number(percent[1]) <= 100) return { percent: Number(percent[1]) };
  throw new InvalidArgumentError(
    `--max-failures takes the failures a stage tolerates: a number of workspaces (0 or more) or a percentage of the stage (0% to 100%); got "${value.slice(0, 80)}".`,
  );
};

/**
 * The one base of every command that walks workspaces: the shared options of the CLI contract,
 * the walk of its job handler over the fleet (in this process, or queued for `worker`
 * processes), progress on stderr, a clean stop on SIGINT/SIGTERM, the report and the exit status
 * (0 all succeeded, 1 any failed or skipped, or interrupted).
 */
export abstract class WorkspaceWalkCommand<
  TDetail,
  TOptions extends WorkspaceWalkOptions = WorkspaceWalkOptions,
> extends BaseCommand<TOptions> {
  /** Read-only commands report on every workspace; commands that write stop at the first failure. */
  protected readonly continuesByDefault: boolean = false;

  // Injected as properties: every walk command has them, and none needs them in its constructor.
  @Inject(AppConfig) private readonly config!: AppConfig;
  @Inject(LOGGER) private readonly logger!: Logger;
  @Inject(LogSink) private readonly logSink!: LogSink;
  @Inject(StepProgressEvents) private readonly stepProgress!: StepProgressEvents;
  @Inject(ServerDirectory) private readonly servers!: ServerDirectory;

  constructor(
    private readonly dispatcher: WorkspaceJobDispatcher,
    private readonly handler: WorkspaceJobHandler<TDetail, TOptions>,
    private readonly report: WorkspaceReport<TDetail, TOptions>,
  ) {
    super();
  }

  @Option({ flags: '-w, --workspace-id <id>', description: 'only this workspace (repeatable)' })
  parseWorkspaceId(value: string, previous: string[] = []): string[] {
    return [...previous, parseUuid(value, '--workspace-id')];
  }

  @Option({ flags: '-d, --dry-run', description: 'print what would be done; write nothing' })
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

  @Option({ flags: '--canary <n>', description: 'run the first n workspaces (in id order) first; stop there unless every one succeeded' })
  parseCanary(value: string): number {
    return parsePositiveInteger(value, '--canary', Number.MAX_SAFE_INTEGER);
  }

  @Option({ flags: '--canary-workspace-id <id>', description: 'run this workspace first, as the canary (repeatable)' })
  parseCanaryWorkspaceId(value: string, previous: string[] = []): string[] {
    return [...previous, parseUuid(value, '--canary-workspace-id')];
  }

  @Option({
    flags: '--stages <list>',
    description: 'roll out in stages ending at these numbers or percentages of the workspaces (after the canary), e.g. 1,10%,100%',
  })
  parseStages(value: string): RolloutAmount[] {
    return parseStages(value);
  }

  @Option({
    flags: '--max-failures <n|%>',
    description: 'halt after the stage whose failures pass this number or percentage of it (default 0; no bound with --continue-on-error)',
  })
  parseMaxFailures(value: string): RolloutAmount {
    return parseMaxFailures(value);
  }

  @Option({ flags: '--queue', description: 'enqueue one job per workspace (Redis at REDIS_URL) for `worker` processes, and wait for them' })
  parseQueue(): boolean {
    return true;
  }

  async run(_params: string[], options: TOptions): Promise<void> {
    if (options.workspaceId?.length && (options.startFromWorkspaceId || options.workspaceCountLimit)) {
      throw new UsageError('-w selects workspaces by id; it cannot be combined with --start-from-workspace-id or --workspace-count-limit.');
    }
    if (options.canary && options.canaryWorkspaceId?.length) {
      throw new UsageError('--canary takes the first n workspaces, --canary-workspace-id names them: use one or the other.');
    }
    const outside = options.workspaceId?.length ? options.canaryWorkspaceId?.find((id) => !options.workspaceId!.includes(id)) : undefined;
    if (outside) {
      throw new UsageError(`--canary-workspace-id ${outside} is not one of the workspaces selected with -w.`);
    }
    const unavailable = options.queue ? this.dispatcher.queueUnavailable : null;
    if (unavailable === 'NO_REDIS') {
      throw new Error('--queue needs Redis: set REDIS_URL (e.g. redis://127.0.0.1:6379) in the environment or .env.');
    }
    if (unavailable === 'EMBEDDED_DATABASE') {
      throw new Error('--queue needs a PostgreSQL server (DATABASE_URL): workers cannot reach the embedded database of this process.');
    }
    const summary = this.servers.several
      ? await this.walk((run) => this.acrossServers(run, options), options)
      : await this.onMainServer(options);
    // 0 only when every selected workspace succeeded: a skipped one (locked by another runner) was not processed.
    if (summary.failed > 0 || summary.skipped > 0 || summary.interrupted) {
      process.exitCode = EXIT_FAILURE;
    }
  }

  private async onMainServer(options: TOptions): Promise<FleetSummary<RenderedResult>> {
    const walk = await this.dispatcher.open(this.handler, options);
    try {
      return await this.walk((run) => walk.run(run), options);
    } finally {
      await walk.close();
    }
  }

  /**
   * The walk on every server at once, each with its own connections and --concurrency, as one run:
   * one progress, one report, one summary. With -w, each id is looked up on every server first.
   * A server that does not answer fails its part (its workspaces, or one line when it could not
   * even list them) while the others go on. Without --continue-on-error, the first failure on any
   * server stops every server taking workspaces. With --queue, each server's jobs go to its own
   * queue (named after its database), for the workers of that server. Staged: `stagedAcrossServers`.
   */
  private async acrossServers(run: WalkRun<TDetail>, options: TOptions): Promise<FleetSummary<RenderedResult>> {
    if (isStaged(rolloutOf(options))) return this.stagedAcrossServers(run, options);
    const servers = await this.servers.all();
    const summary: FleetSummary<RenderedResult> = {
      results: [],
      succeeded: 0,
      failed: 0,
      skipped: 0,
      total: 0,
      stoppedEarly: false,
      interrupted: false,
      stages: [],
    };
    // The run starts (progress, total) once every server has counted its workspaces; results that come before wait.
    const early: RenderedResult[] = [];
    let counting = servers.length + 1;
    const counted = (total: number) => {
      summary.total += total;
      counting -= 1;
      if (counting > 0) return;
      run.onStart(summary.total);
      early.splice(0).forEach((rendered) => run.onResult(rendered, 'failed'));
    };
    const report = (rendered: RenderedResult) => (counting > 0 ? early.push(rendered) : run.onResult(rendered, 'failed'));
    const fail = (workspaceId: string, message: string) => {
      summary.failed += 1;
      report(run.render({ workspaceId, status: 'failed', detail: null, message }));
    };
    // The pool the walk's dispatcher would open: the lookup opens it first.
    const poolSize = (options.concurrency ?? 1) + 1;
    const selections = options.workspaceId?.length ? await this.locate(servers, options.workspaceId, poolSize, fail) : null;
    counted(selections ? selections.failures : 0);
    // The first failure of any server stops them all (they run to the end with --continue-on-error).
    const firstFailure = new AbortController();
    await Promise.all(
      servers.map(async (server) => {
        const ids = selections?.byServer.get(server.name);
        if (selections && !ids?.length) return counted(0);
        let started = false;
        let total = 0;
        // Counted as each result is reported, queued or not, so that they add up however the walk ends.
        const counts = { succeeded: 0, failed: 0, skipped: 0 };
        try {
          const walk = await server.get(WorkspaceJobDispatcher).open(this.handlerOf(server), { ...options, workspaceId: ids });
          try {
            const done = await walk.run({
              ...this.serverRun(run, server, (rendered, status) => {
                counts[status] += 1;
                report(rendered);
              }),
              onStart: (count) => {
                started = true;
                total = count;
                counted(count);
              },
              stop: firstFailure.signal,
              onStopped: () => firstFailure.abort(),
            });
            summary.stoppedEarly ||= done.stoppedEarly;
            summary.interrupted ||= done.interrupted;
          } finally {
            await walk.close();
          }
        } catch (error) {
          const message = this.failureOf(server, error);
          if (!started) {
            // Not even listed: its workspaces are unknown, so the run fails with one line for the server.
            counted(0);
            summary.failed += 1;
            report(this.serverFailure(server, message, null, options));
            return;
          }
          const left = Math.max(0, total - counts.succeeded - counts.failed - counts.skipped);
          counts.failed += left;
          report(this.serverFailure(server, message, left, options));
        }
        summary.succeeded += counts.succeeded;
        summary.failed += counts.failed;
        summary.skipped += counts.skipped;
      }),
    );
    return summary;
  }

  /**
   * A canary and stages across servers: each server's walk is begun and counted, then one run takes
   * their workspaces in one order (`runAcrossServers`). A server that does not answer, and an id of
   * -w or --canary-workspace-id found on none, fail in the first stage (a canary then halts).
   */
  private async stagedAcrossServers(run: WalkRun<TDetail>, options: TOptions): Promise<FleetSummary<RenderedResult>> {
    const servers = await this.servers.all();
    const early: RenderedResult[] = [];
    let failedAtStart = 0;
    const poolSize = (options.concurrency ?? 1) + 1;
    const named = [...new Set([...(options.workspaceId ?? []), ...(options.canaryWorkspaceId ?? [])])];
    const selections = named.length
      ? await this.locate(servers, named, poolSize, (workspaceId, message) => {
          failedAtStart += 1;
          early.push(run.render({ workspaceId, status: 'failed', detail: null, message }));
        })
      : null;
    const walks: WorkspaceWalk<TDetail, TOptions>[] = [];
    try {
      const opened = await Promise.all(
        servers.map(async (server) => {
          const ids = selections?.byServer.get(server.name) ?? [];
          const canaries = options.canaryWorkspaceId?.filter((id) => ids.includes(id));
          if (options.workspaceId?.length && ids.length === 0) return null;
          try {
            const walk = await server.get(WorkspaceJobDispatcher).open(this.handlerOf(server), {
              ...options,
              workspaceId: options.workspaceId?.length ? ids : undefined,
              canaryWorkspaceId: canaries,
            });
            walks.push(walk);
            const part = await walk.begin({ ...this.serverRun(run, server, run.onResult), onStart: () => undefined });
            try {
              return { server, part, source: await part.source() };
            } catch (error) {
              await part.settle(Promise.reject(error)).catch(() => undefined);
              throw error;
            }
          } catch (error) {
            failedAtStart += 1;
            early.push(this.serverFailure(server, this.failureOf(server, error), null, options));
            return null;
          }
        }),
      );
      const walking = opened.flatMap((entry) => (entry ? [entry] : []));
      return await runAcrossServers(walking, {
        continueOnError: run.continueOnError,
        rollout: rolloutOf(options),
        limit: options.workspaceCountLimit,
        failedAtStart,
        signal: run.signal,
        onStart: (total) => {
          run.onStart(total);
          early.splice(0).forEach((rendered) => run.onResult(rendered, 'failed'));
        },
        onStage: run.onStage,
        onLost: (index, error, notReached) =>
          run.onResult(
            this.serverFailure(walking[index].server, this.failureOf(walking[index].server, error), notReached, options),
            'failed',
          ),
      });
    } finally {
      await Promise.all(walks.map((walk) => walk.close()));
    }
  }

  /** The run as one server's walk reports to it: a failure's line and every JSON entry say the server. */
  private serverRun(
    run: WalkRun<TDetail>,
    server: ServerScope,
    report: (rendered: RenderedResult, status: FleetStatus) => void,
  ): WalkRun<TDetail> {
    return {
      ...run,
      onResult: ({ lines, json }, status) => {
        const [first, ...rest] = lines;
        report(
          {
            lines: first?.startsWith('✖') ? [`${first} (server ${server.name})`, ...rest] : lines,
            json: json ? { ...json, server: server.name } : null,
          },
          status,
        );
      },
      onStage: undefined,
      note: (line) => run.note(`server ${server.name}: ${line}`),
    };
  }

  /** Why a server failed, saying which setting names it. */
  private failureOf(server: ServerScope, error: unknown): string {
    return (error as Error).message
      .replace(/\.+$/, '')
      .replace('Check DATABASE_URL', server.name === MAIN_SERVER ? 'Check DATABASE_URL' : 'Check its entry in DATABASE_SERVERS');
  }

  /** The one line of a server that does not answer: before its walk listed anything (`notReached` null), or during it. */
  private serverFailure(server: ServerScope, message: string, notReached: number | null, options: TOptions): RenderedResult {
    const line = `✖ server ${server.name} (${server.address}): ${message}. `;
    return notReached === null
      ? {
          lines: [`${line}Its workspaces were not walked; run the command again once it answers.`],
          json: options.json ? { server: server.name, status: 'failed', message } : null,
        }
      : {
          lines: [`${line}${notReached} of its workspace(s) not reached; run the command again once it answers.`],
          json: options.json ? { server: server.name, status: 'failed', message, notReached } : null,
        };
  }

  /** This command's handler on a server (the server's own instance, on its data source). */
  private handlerOf(server: ServerScope): WorkspaceJobHandler<TDetail, TOptions> {
    return server.get<WorkspaceJobHandler<TDetail, TOptions>>(this.handlerToken());
  }

  /**
   * Which server holds each id of -w. An id found nowhere, or on two servers, is failed here.
   */
  private async locate(
    servers: ServerScope[],
    ids: string[],
    poolSize: number,
    fail: (workspaceId: string, message: string) => void,
  ): Promise<{ byServer: Map<string, string[]>; failures: number }> {
    const holders = new Map<string, string[]>();
    const silent: string[] = [];
    for (const server of servers) {
      try {
        await server.get(DatabaseService).connect({ poolSize });
        for (const row of await server.get(WorkspaceRepository).findByIds(ids)) {
          holders.set(row.id, [...(holders.get(row.id) ?? []), server.name]);
        }
      } catch (error) {
        silent.push(`${server.name} (${(error as Error).message})`);
      }
    }
    const byServer = new Map<string, string[]>();
    let failures = 0;
    for (const id of new Set(ids)) {
      const found = holders.get(id) ?? [];
      if (found.length > 1) {
        failures += 1;
        fail(id, `workspace ${id} is on several servers (${found.join(', ')}); keep it on one and run again`);
      } else if (found.length === 0) {
        failures += 1;
        fail(
          id,
          silent.length > 0
            ? `workspace ${id} is on none of the servers that answer; did not answer: ${silent.join('; ')}`
            : `workspace ${id} does not exist on any server (${servers.map((server) => server.name).join(', ')})`,
        );
      } else {
        byServer.set(found[0], [...(byServer.get(found[0]) ?? []), id]);
      }
    }
    return { byServer, failures };
  }

  /** The provider of this command's handler, by which each server's own is found. */
  private handlerToken(): string | Type<WorkspaceJobHandler<TDetail, TOptions>> {
    return this.handler instanceof UpgradeJobHandler
      ? upgradeJobHandlerToken(this.handler.job)
      : (this.handler.constructor as Type<WorkspaceJobHandler<TDetail, TOptions>>);
  }

  /** Runs the walk with its progress and signal handling, and prints its report. */
  private async walk(
    runAll: (run: WalkRun<TDetail>) => Promise<FleetSummary<RenderedResult>>,
    options: TOptions,
  ): Promise<FleetSummary<RenderedResult>> {
    const interrupt = new AbortController();
    const progress: WalkProgress =
      process.stderr.isTTY && !options.json
        ? new TerminalProgress(this.logSink)
        : new PlainProgress(this.logger, { everyMs: this.config.PROGRESS_INTERVAL_MS });
    const unsubscribe = this.stepProgress.subscribe((step) => progress.step(step));
    const staged = isStaged(rolloutOf(options));
    const report = new WalkReport(Boolean(options.json), (line) => this.print(line), staged);
    const onSignal = (signal: NodeJS.Signals) => {
      if (interrupt.signal.aborted) {
        process.stderr.write(`${signal} again: quitting without waiting for the workspaces in flight.\n`);
        process.exit(130);
      }
      interrupt.abort(signal);
      progress.note(`${signal}: stopping after the workspaces in flight (${signal === 'SIGINT' ? 'Ctrl-C' : signal} again quits at once).`);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    let summary;
    try {
      summary = await runAll({
        continueOnError: options.continueOnError ?? this.continuesByDefault,
        signal: interrupt.signal,
        render: (result) => renderResult(this.report, result, options),
        onStart: (total) => progress.start(total),
        onResult: (rendered) => {
          report.add(rendered);
          progress.advance(rendered.lines, (line) => this.print(line));
        },
        onStage: (stage) => {
          if (!staged) return;
          if (options.json) progress.note(describeStage(stage));
          else progress.line(describeStage(stage), (line) => this.print(line));
        },
        note: (line) => progress.note(line),
      });
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      unsubscribe();
      progress.stop();
    }
    report.finish(summary, interrupt.signal.reason);
    return summary;
  }
}
