import { Inject, Injectable } from '@nestjs/common';

import { AttentionRow, CountRow, FleetOverviewRepository, FleetWorkspaceRow, WalkRunRow } from './fleet-overview.repository';

/** A run with what its counts say of its pace. */
export interface RunProgress extends WalkRunRow {
  done: number;
  /** Workspaces a second since the run started; null before the first one finished. */
  rate: number | null;
  /** Seconds to the end at that rate; null when unknown or finished. */
  secondsLeft: number | null;
  /** A running run whose process has not written for longer than it would (stopped, or its host lost). */
  quiet: boolean;
}

/** How long a running run may stay silent before the console says so (it writes at least every 15 s). */
export const QUIET_AFTER_MS = 60_000;

export const runProgress = (run: WalkRunRow): RunProgress => {
  const done = run.succeeded + run.failed + run.skipped;
  const end = run.finishedAt ?? run.updatedAt;
  const elapsed = (new Date(end).getTime() - new Date(run.startedAt).getTime()) / 1000;
  const rate = done > 0 && elapsed > 0 ? done / elapsed : null;
  const left = run.total === null ? null : Math.max(0, run.total - done);
  return {
    ...run,
    done,
    rate,
    secondsLeft: run.status === 'RUNNING' && rate !== null && left !== null ? left / rate : null,
    quiet: run.status === 'RUNNING' && new Date(run.now).getTime() - new Date(run.updatedAt).getTime() > QUIET_AFTER_MS,
  };
};

export interface FleetOverview {
  total: number;
  byVersion: CountRow[];
  byActivation: CountRow[];
  bySyncOutcome: CountRow[];
  failed: { rows: AttentionRow[]; total: number };
  drifted: { rows: AttentionRow[]; total: number };
  locked: { rows: AttentionRow[]; total: number };
  running: RunProgress[];
  finished: RunProgress[];
}

export interface FleetPage {
  rows: FleetWorkspaceRow[];
  total: number;
  offset: number;
  limit: number;
}

/** Workspaces each list of the fleet page shows at most; the counts say how many there are. */
export const ATTENTION_LIMIT = 20;
export const FLEET_LIST_PAGE_SIZE = 50;
export const MAX_SEARCH_LENGTH = 200;
const FINISHED_RUNS = 10;

/**
 * What the console shows of the fleet: counts, the workspaces that need a look, a page of the
 * list, and the walks with their progress. Each answer is a few statements whatever the fleet's
 * size; no list is read whole.
 */
@Injectable()
export class FleetOverviewService {
  constructor(@Inject(FleetOverviewRepository) private readonly fleet: FleetOverviewRepository) {}

  async overview(): Promise<FleetOverview> {
    const [byVersion, byActivation, bySyncOutcome, failed, drifted, locked, runs] = [
      await this.fleet.countByVersion(),
      await this.fleet.countByActivation(),
      await this.fleet.countBySyncOutcome(),
      await this.fleet.failed(ATTENTION_LIMIT),
      await this.fleet.drifted(ATTENTION_LIMIT),
      await this.fleet.locked(ATTENTION_LIMIT),
      (await this.fleet.runs(FINISHED_RUNS)).map(runProgress),
    ];
    return {
      total: byVersion.reduce((sum, row) => sum + row.count, 0),
      byVersion,
      byActivation,
      bySyncOutcome,
      failed,
      drifted,
      locked,
      running: runs.filter((run) => run.status === 'RUNNING'),
      finished: runs.filter((run) => run.status !== 'RUNNING'),
    };
  }

  /** A page of the fleet by name; `search` matches names (any case) and the start of ids. */
  async page(search: string, offset: number): Promise<FleetPage> {
    const text = search.trim().slice(0, MAX_SEARCH_LENGTH);
    const { rows, total } = await this.fleet.page(text, offset, FLEET_LIST_PAGE_SIZE);
    return { rows, total, offset, limit: FLEET_LIST_PAGE_SIZE };
  }

  /** The runs in progress, for the page's live part. */
  async running(): Promise<RunProgress[]> {
    return (await this.fleet.runs(0)).map(runProgress).filter((run) => run.status === 'RUNNING');
  }
}
