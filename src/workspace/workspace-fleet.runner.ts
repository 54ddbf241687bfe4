import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

import { describeFailure } from '../database/connection-loss';
import { WorkspaceRepository, WorkspaceRow } from '../metadata/workspace.repository';
import { FleetStage, planStages, Rollout } from './rollout';

export interface FleetSelection {
  /** Exactly these workspaces (any status); otherwise every active workspace in id order. */
  workspaceIds?: string[];
  startFromWorkspaceId?: string;
  countLimit?: number;
  /** Taken before the rest of the selection (a canary); not taken again in it. */
  firstIds?: string[];
}

export type FleetStatus = 'succeeded' | 'failed' | 'skipped';

export interface FleetItemResult<T> {
  workspaceId: string;
  status: FleetStatus;
  detail: T | null;
  message: string | null;
}

export interface FleetWork<T> {
  status: FleetStatus;
  detail: T;
  message: string | null;
}

export interface FleetRunOptions<T> {
  /** Workspaces done at once (across servers: the sum over them; each server's bound is kept by `work`). */
  concurrency: number;
  /** Without a rollout: go on past failures. With one: the stages' bound when it names none. */
  continueOnError: boolean;
  /** A canary and stages; the run halts after the stage whose failures pass its bound. */
  rollout?: Rollout;
  /** Called as each stage ends (the one that halted the run too). */
  onStage?: (stage: FleetStageSummary) => void;
  /** Keep every result in the summary (for a JSON report); otherwise only the counts are kept. */
  keepResults?: boolean;
  /** Aborted: take no new workspace, let those in flight finish (SIGINT, SIGTERM). */
  signal?: AbortSignal;
  onStart?: (total: number) => void;
  /** `part`: the source part the workspace came from (the server, in a run across servers). */
  onResult?: (result: FleetItemResult<T>, part?: number) => void;
  /** Called once when the run stops taking workspaces after a failure. */
  onStopped?: () => void;
  /** Aborted: stop taking workspaces as at a failure (another server's walk stopped at one). */
  stop?: AbortSignal;
  /** Runs each of the walk's own reads (count, pages); e.g. to retry them on a lost connection. */
  read?: <R>(query: () => Promise<R>) => Promise<R>;
}

export interface FleetStageSummary extends FleetStage {
  succeeded: number;
  failed: number;
  skipped: number;
  /** Its failures passed its bound: the run took no workspace after. */
  halted: boolean;
}

export interface FleetSummary<T> {
  /** Every result when `keepResults`, else empty. */
  results: Array<FleetItemResult<T>>;
  succeeded: number;
  failed: number;
  skipped: number;
  /** Workspaces selected when the run started. */
  total: number;
  /** True when the run stopped taking workspaces at a failure (no --continue-on-error), or a stage halted it. */
  stoppedEarly: boolean;
  /** The stages reached, in order (one, `all`, without a rollout). */
  stages: FleetStageSummary[];
  /** True when the run was interrupted (signal) before it took every workspace. */
  interrupted: boolean;
}

export const FLEET_PAGE_SIZE = 100;

/**
 * One item of a run's source: a workspace; an id that names none; or workspaces that can no longer
 * be reached (their server stopped answering), failed in the stage the run is in. `listed`: they
 * are in the source's total (a server lost mid-walk); otherwise one for a server never listed.
 * `part` says which part of a merged source (which server) the item came from.
 */
export type FleetItem =
  { row: WorkspaceRow; part?: number } | { missingId: string; part?: number } | { lost: number; listed: boolean; part?: number };

/** What a run walks: how many workspaces it selected, and them, in order. */
export interface FleetSource {
  total: number;
  items: AsyncIterator<FleetItem>;
}

type Read = <R>(query: () => Promise<R>) => Promise<R>;

/**
 * Walks the selected workspaces of one database in id order (`runFleet`), reading them a page at
 * a time; `source` gives them to a run that walks several databases at once.
 */
@Injectable()
export class WorkspaceFleetRunner {
  constructor(@Inject(EntityManager) private readonly manager: EntityManager) {}

  async run<T>(
    selection: FleetSelection,
    work: (workspace: WorkspaceRow) => Promise<FleetWork<T> | null>,
    options: FleetRunOptions<T>,
  ): Promise<FleetSummary<T>> {
    return runFleet(await this.source(selection, options.read), work, options);
  }

  /** The selection's count, and its workspaces in order, a page at a time (never the whole fleet in memory). */
  async source(selection: FleetSelection, read: Read = (query) => query()): Promise<FleetSource> {
    const repository = new WorkspaceRepository(this.manager);
    const total = selection.workspaceIds
      ? new Set([...(selection.firstIds ?? []), ...selection.workspaceIds]).size
      : Math.min(
          await read(() => repository.count(selection.startFromWorkspaceId ?? null, { activeOnly: true })),
          selection.countLimit ?? Infinity,
        );
    return { total, items: this.workspaces(repository, read, selection) };
  }

  /**
   * One generator shared by the workers (an async generator queues concurrent `next()` calls): the
   * workspaces named first, then the selection without them; an id that names no workspace is
   * yielded as missing.
   */
  private async *workspaces(repository: WorkspaceRepository, read: Read, selection: FleetSelection): AsyncGenerator<FleetItem> {
    const first = [...new Set(selection.firstIds ?? [])];
    const taken = new Set(first);
    const byIds = async function* (ids: string[]) {
      for (let start = 0; start < ids.length; start += FLEET_PAGE_SIZE) {
        const chunk = ids.slice(start, start + FLEET_PAGE_SIZE);
        const rows = await read(() => repository.findByIds(chunk));
        for (const id of chunk) {
          const row = rows.find((candidate) => candidate.id === id);
          yield row ? { row } : { missingId: id };
        }
      }
    };
    yield* byIds(first);
    if (selection.workspaceIds) {
      yield* byIds([...new Set(selection.workspaceIds)].filter((id) => !taken.has(id)));
      return;
    }
    let remaining = (selection.countLimit ?? Infinity) - first.length;
    let cursor: string | null = selection.startFromWorkspaceId ?? null;
    let inclusive = cursor !== null;
    while (remaining > 0) {
      const limit = Math.min(FLEET_PAGE_SIZE, remaining);
      const page = await read(() => repository.page(cursor, limit, { activeOnly: true, inclusive }));
      for (const row of page) {
        if (taken.has(row.id)) continue;
        remaining -= 1;
        yield { row };
      }
      // A short page is the last one: no query to find the end.
      if (page.length < limit) return;
      cursor = page[page.length - 1].id;
      inclusive = false;
    }
  }
}

/**
 * Runs `work` on the source's workspaces, at most `concurrency` at once, stage after stage (a
 * canary, then stages: each waits for the one before to end). Stops taking new workspaces when a
 * stage's failures pass its bound (without a rollout: the first failure unless `continueOnError`),
 * when `stop` is aborted, and when `signal` is; the workspaces in flight always finish, also when
 * reading the source fails (the run then throws that error). `work` resolving to null means the
 * workspace was withdrawn before it ran (a queued job cancelled): it is counted as not reached.
 */
export const runFleet = async <T>(
  source: FleetSource,
  work: (workspace: WorkspaceRow, part?: number) => Promise<FleetWork<T> | null>,
  options: FleetRunOptions<T>,
): Promise<FleetSummary<T>> => {
  const summary: FleetSummary<T> = {
    results: [],
    succeeded: 0,
    failed: 0,
    skipped: 0,
    total: source.total,
    stoppedEarly: false,
    interrupted: false,
    stages: [],
  };
  options.onStart?.(summary.total);

  let stop = false;
  let exhausted = false;
  // Set by a worker whose read of the source failed; thrown once the workspaces in flight have ended.
  const unreadable: { error?: unknown } = {};
  const stopTaking = () => {
    if (stop) return;
    stop = true;
    options.onStopped?.();
  };
  if (options.stop?.aborted) stopTaking();
  options.stop?.addEventListener('abort', stopTaking);
  const stages = planStages(summary.total, options.rollout, options.continueOnError);
  try {
    for (const [index, plan] of stages.entries()) {
      const stage: FleetStageSummary = { ...plan, succeeded: 0, failed: 0, skipped: 0, halted: false };
      // The last stage takes whatever is left, should the fleet have grown since it was counted.
      const size = index === stages.length - 1 ? Infinity : stage.size;
      let taken = 0;
      // A canary runs to its end before it halts the run; a stage halts it as soon as it has failed too often.
      const halt = () => {
        stage.halted = true;
        if (!stage.requiresSuccess) stopTaking();
      };
      /** `missing`: an id that names no workspace, which is reported failed but halts only a canary. */
      const record = (result: FleetItemResult<T>, part: number | undefined, missing = false) => {
        if (options.keepResults) summary.results.push(result);
        summary[result.status] += 1;
        stage[result.status] += 1;
        options.onResult?.(result, part);
        if (stage.requiresSuccess ? result.status !== 'succeeded' : !missing && stage.failed > stage.maxFailures) halt();
      };
      const worker = async () => {
        while (!stop && !options.signal?.aborted && taken < size) {
          taken += 1;
          let next: IteratorResult<FleetItem>;
          try {
            next = await source.items.next();
          } catch (error) {
            if (!('error' in unreadable)) unreadable.error = error;
            stop = true;
            return;
          }
          if (next.done) {
            exhausted = true;
            return;
          }
          if (options.signal?.aborted) return;
          const item = next.value;
          if ('lost' in item) {
            // Not a workspace taken: the stage's size is of the workspaces it runs.
            taken -= 1;
            if (!item.listed) summary.total += item.lost;
            summary.failed += item.lost;
            stage.failed += item.lost;
            if (stage.requiresSuccess || stage.failed > stage.maxFailures) halt();
            continue;
          }
          if ('missingId' in item) {
            record(
              { workspaceId: item.missingId, status: 'failed', detail: null, message: `workspace ${item.missingId} does not exist` },
              item.part,
              true,
            );
            continue;
          }
          const workspace = item.row;
          let result: FleetItemResult<T>;
          try {
            const outcome = await work(workspace, item.part);
            if (outcome === null) continue;
            result = { workspaceId: workspace.id, ...outcome };
          } catch (error) {
            result = { workspaceId: workspace.id, status: 'failed', detail: null, message: describeFailure(error) };
          }
          record(result, item.part);
        }
      };
      await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
      if ('error' in unreadable) throw unreadable.error;
      if (stage.halted) stopTaking();
      summary.stages.push(stage);
      options.onStage?.(stage);
      if (stop || exhausted || options.signal?.aborted) break;
    }
  } finally {
    options.stop?.removeEventListener('abort', stopTaking);
  }
  summary.stoppedEarly = stop;
  summary.interrupted = !stop && Boolean(options.signal?.aborted) && summary.succeeded + summary.failed + summary.skipped < summary.total;
  return summary;
};
