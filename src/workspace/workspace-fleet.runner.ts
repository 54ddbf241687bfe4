import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

import { describeFailure } from '../database/connection-loss';
import { WorkspaceRepository, WorkspaceRow } from '../metadata/workspace.repository';

export interface FleetSelection {
  /** Exactly these workspaces (any status); otherwise every active workspace in id order. */
  workspaceIds?: string[];
  startFromWorkspaceId?: string;
  countLimit?: number;
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
  concurrency: number;
  continueOnError: boolean;
  /** Keep every result in the summary (for a JSON report); otherwise only the counts are kept. */
  keepResults?: boolean;
  /** Aborted: take no new workspace, let those in flight finish (SIGINT, SIGTERM). */
  signal?: AbortSignal;
  onStart?: (total: number) => void;
  onResult?: (result: FleetItemResult<T>) => void;
  /** Called once when the run stops taking workspaces after a failure. */
  onStopped?: () => void;
  /** Runs each of the walk's own reads (count, pages); e.g. to retry them on a lost connection. */
  read?: <R>(query: () => Promise<R>) => Promise<R>;
}

export interface FleetSummary<T> {
  /** Every result when `keepResults`, else empty. */
  results: Array<FleetItemResult<T>>;
  succeeded: number;
  failed: number;
  skipped: number;
  /** Workspaces selected when the run started. */
  total: number;
  /** True when the run stopped taking workspaces at a failure (no --continue-on-error). */
  stoppedEarly: boolean;
  /** True when the run was interrupted (signal) before it took every workspace. */
  interrupted: boolean;
}

export const FLEET_PAGE_SIZE = 100;

/**
 * Walks the selected workspaces in id order, a page at a time (never the whole fleet in memory),
 * running `work` on at most `concurrency` of them at once. Stops taking new workspaces after the
 * first failure unless `continueOnError`, and when `signal` is aborted; the workspaces in flight
 * always finish. `work` resolving to null means the workspace was withdrawn before it ran (a
 * queued job cancelled): it is counted as not reached.
 */
@Injectable()
export class WorkspaceFleetRunner {
  constructor(@Inject(EntityManager) private readonly manager: EntityManager) {}

  async run<T>(
    selection: FleetSelection,
    work: (workspace: WorkspaceRow) => Promise<FleetWork<T> | null>,
    options: FleetRunOptions<T>,
  ): Promise<FleetSummary<T>> {
    const repository = new WorkspaceRepository(this.manager);
    const read = options.read ?? (<R>(query: () => Promise<R>) => query());
    const summary: FleetSummary<T> = {
      results: [],
      succeeded: 0,
      failed: 0,
      skipped: 0,
      total: 0,
      stoppedEarly: false,
      interrupted: false,
    };
    const record = (result: FleetItemResult<T>) => {
      if (options.keepResults) summary.results.push(result);
      summary[result.status] += 1;
      options.onResult?.(result);
    };

    summary.total = selection.workspaceIds
      ? new Set(selection.workspaceIds).size
      : Math.min(
          await read(() => repository.count(selection.startFromWorkspaceId ?? null, { activeOnly: true })),
          selection.countLimit ?? Infinity,
        );
    options.onStart?.(summary.total);

    const source = this.workspaces(repository, read, selection, (id) =>
      record({ workspaceId: id, status: 'failed', detail: null, message: `workspace ${id} does not exist` }),
    );
    let stop = false;
    const stopTaking = () => {
      if (stop) return;
      stop = true;
      options.onStopped?.();
    };
    const worker = async () => {
      while (!stop && !options.signal?.aborted) {
        const next = await source.next();
        if (next.done) return;
        if (options.signal?.aborted) return;
        const workspace = next.value;
        let result: FleetItemResult<T>;
        try {
          const outcome = await work(workspace);
          if (outcome === null) continue;
          result = { workspaceId: workspace.id, ...outcome };
        } catch (error) {
          result = { workspaceId: workspace.id, status: 'failed', detail: null, message: describeFailure(error) };
        }
        record(result);
        if (result.status === 'failed' && !options.continueOnError) {
          stopTaking();
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
    summary.stoppedEarly = stop;
    summary.interrupted = !stop && Boolean(options.signal?.aborted) && summary.succeeded + summary.failed + summary.skipped < summary.total;
    return summary;
  }

  /** One generator shared by the workers: an async generator queues concurrent `next()` calls. */
  private async *workspaces(
    repository: WorkspaceRepository,
    read: <R>(query: () => Promise<R>) => Promise<R>,
    selection: FleetSelection,
    onMissing: (id: string) => void,
  ): AsyncGenerator<WorkspaceRow> {
    if (selection.workspaceIds) {
      const ids = [...new Set(selection.workspaceIds)];
      for (let start = 0; start < ids.length; start += FLEET_PAGE_SIZE) {
        const chunk = ids.slice(start, start + FLEET_PAGE_SIZE);
        const rows = await read(() => repository.findByIds(chunk));
        for (const id of chunk) {
          const row = rows.find((candidate) => candidate.id === id);
          if (row) yield row;
          else onMissing(id);
        }
      }
      return;
    }
    let remaining = selection.countLimit ?? Infinity;
    let cursor: string | null = selection.startFromWorkspaceId ?? null;
    let inclusive = cursor !== null;
    while (remaining > 0) {
      const limit = Math.min(FLEET_PAGE_SIZE, remaining);
      const page = await read(() => repository.page(cursor, limit, { activeOnly: true, inclusive }));
      for (const row of page) {
        yield row;
      }
      // A short page is the last one: no query to find the end.
      if (page.length < limit) return;
      remaining -= page.length;
      cursor = page[page.length - 1].id;
      inclusive = false;
    }
  }
}
