import { EntityManager } from 'typeorm';

import { describeFailure } from '../database/connection-loss';
import { WorkspaceRepository, WorkspaceRow } from './workspace.repository';

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

export interface FleetRunOptions<T> {
  concurrency: number;
  continueOnError: boolean;
  onStart?: (total: number) => void;
  onResult?: (result: FleetItemResult<T>) => void;
}

export interface FleetSummary<T> {
  results: Array<FleetItemResult<T>>;
  succeeded: number;
  failed: number;
  skipped: number;
  /** True when the run stopped taking workspaces at a failure (no --continue-on-error). */
  stoppedEarly: boolean;
}

const PAGE_SIZE = 100;

/**
 * Walks the selected workspaces in id order, a page at a time (never the whole fleet in memory),
 * running `work` on at most `concurrency` of them at once. Stops taking new workspaces after the
 * first failure unless `continueOnError`.
 */
export class WorkspaceFleetRunner {
  constructor(private readonly manager: EntityManager) {}

  async run<T>(
    selection: FleetSelection,
    work: (workspace: WorkspaceRow) => Promise<{ status: FleetStatus; detail: T; message: string | null }>,
    options: FleetRunOptions<T>,
  ): Promise<FleetSummary<T>> {
    const repository = new WorkspaceRepository(this.manager);
    const summary: FleetSummary<T> = { results: [], succeeded: 0, failed: 0, skipped: 0, stoppedEarly: false };
    const record = (result: FleetItemResult<T>) => {
      summary.results.push(result);
      summary[result.status] += 1;
      options.onResult?.(result);
    };

    const total = selection.workspaceIds
      ? selection.workspaceIds.length
      : Math.min(await repository.count(selection.startFromWorkspaceId ?? null, { activeOnly: true }), selection.countLimit ?? Infinity);
    options.onStart?.(total);

    const source = this.workspaces(repository, selection, (id) =>
      record({ workspaceId: id, status: 'failed', detail: null, message: `workspace ${id} does not exist` }),
    );
    let stop = false;
    const worker = async () => {
      while (!stop) {
        const next = await source.next();
        if (next.done) return;
        const workspace = next.value;
        let result: FleetItemResult<T>;
        try {
          const outcome = await work(workspace);
          result = { workspaceId: workspace.id, ...outcome };
        } catch (error) {
          result = { workspaceId: workspace.id, status: 'failed', detail: null, message: describeFailure(error) };
        }
        record(result);
        if (result.status === 'failed' && !options.continueOnError) {
          stop = true;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
    summary.stoppedEarly = stop;
    return summary;
  }

  /** One generator shared by the workers: an async generator queues concurrent `next()` calls. */
  private async *workspaces(
    repository: WorkspaceRepository,
    selection: FleetSelection,
    onMissing: (id: string) => void,
  ): AsyncGenerator<WorkspaceRow> {
    if (selection.workspaceIds) {
      const ids = [...new Set(selection.workspaceIds)];
      for (let start = 0; start < ids.length; start += PAGE_SIZE) {
        const chunk = ids.slice(start, start + PAGE_SIZE);
        const rows = await repository.findByIds(chunk);
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
      const page = await repository.page(cursor, Math.min(PAGE_SIZE, remaining), { activeOnly: true, inclusive });
      if (page.length === 0) return;
      for (const row of page) {
        yield row;
      }
      remaining -= page.length;
      cursor = page[page.length - 1].id;
      inclusive = false;
    }
  }
}
