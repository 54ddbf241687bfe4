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

const searchText = (search: string): string => search.trim().slice(0, MAX_SEARCH_LENGTH);

/** One server's answer, with the server's name. */
export interface ServerPart<T> {
  server: string;
  part: T;
}

/**
 * Text in the order of the C collation (UTF-8 bytes): the order in which the lists of several
 * servers are merged (each server's own list is in its database's collation, C on ours).
 */
export const compareText = (a: string, b: string): number => (a === b ? 0 : Buffer.compare(Buffer.from(a), Buffer.from(b)));

const timeOf = (value: Date | null): number => (value === null ? Number.POSITIVE_INFINITY : new Date(value).getTime());
const byName = (a: { displayName: string; id: string }, b: { displayName: string; id: string }): number =>
  compareText(a.displayName, b.displayName) || compareText(a.id, b.id);
// As the statements order them: latest first, where a missing time (NULL) comes first.
const latestFirst = (a: AttentionRow, b: AttentionRow): number => timeOf(b.at) - timeOf(a.at) || compareText(a.id, b.id);
const newestRunFirst = (a: WalkRunRow, b: WalkRunRow): number => timeOf(b.startedAt) - timeOf(a.startedAt);

const onServers = <T extends object>(parts: Array<ServerPart<T[]>>): Array<T & { server: string }> =>
  parts.flatMap(({ server, part }) => part.map((row) => ({ ...row, server })));

/** Counts of the same key added up, in the statements' order: no key first, then by key. */
const sumCounts = (lists: CountRow[][]): CountRow[] => {
  const sums = new Map<string | null, number>();
  for (const row of lists.flat()) sums.set(row.key, (sums.get(row.key) ?? 0) + row.count);
  return [...sums]
    .map(([key, count]) => ({ key, count }))
    .sort((a, b) => (a.key === b.key ? 0 : a.key === null ? -1 : b.key === null ? 1 : compareText(a.key, b.key)));
};

const mergeAttention = (
  parts: Array<ServerPart<{ rows: AttentionRow[]; total: number }>>,
  order: (a: AttentionRow, b: AttentionRow) => number,
): { rows: AttentionRow[]; total: number } => ({
  rows: onServers(parts.map(({ server, part }) => ({ server, part: part.rows })))
    .sort(order)
    .slice(0, ATTENTION_LIMIT),
  total: parts.reduce((sum, { part }) => sum + part.total, 0),
});

/** Runs of several servers, newest first, each with its server. */
export const mergeRuns = (parts: Array<ServerPart<RunProgress[]>>): RunProgress[] => onServers(parts).sort(newestRunFirst);

/** The overviews of several servers as one: counts added, lists merged in their order and cut as one, each row with its server. */
export const mergeOverviews = (parts: Array<ServerPart<FleetOverview>>): FleetOverview => {
  const pick = <K extends keyof FleetOverview>(key: K) => parts.map(({ server, part }) => ({ server, part: part[key] }));
  return {
    total: parts.reduce((sum, { part }) => sum + part.total, 0),
    byVersion: sumCounts(parts.map(({ part }) => part.byVersion)),
    byActivation: sumCounts(parts.map(({ part }) => part.byActivation)),
    bySyncOutcome: sumCounts(parts.map(({ part }) => part.bySyncOutcome)),
    failed: mergeAttention(pick('failed'), latestFirst),
    drifted: mergeAttention(pick('drifted'), latestFirst),
    locked: mergeAttention(pick('locked'), byName),
    running: mergeRuns(pick('running')),
    finished: mergeRuns(pick('finished')).slice(0, FINISHED_RUNS),
  };
};

/** The page at `offset` of several servers' parts (`pagePart`), by name then id, each row with its server. */
export const mergePages = (parts: Array<ServerPart<{ rows: FleetWorkspaceRow[]; total: number }>>, offset: number): FleetPage => ({
  rows: onServers(parts.map(({ server, part }) => ({ server, part: part.rows })))
    .sort(byName)
    .slice(offset, offset + FLEET_LIST_PAGE_SIZE),
  total: parts.reduce((sum, { part }) => sum + part.total, 0),
  offset,
  limit: FLEET_LIST_PAGE_SIZE,
});

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
    const { rows, total } = await this.fleet.page(searchText(search), offset, FLEET_LIST_PAGE_SIZE);
    return { rows, total, offset, limit: FLEET_LIST_PAGE_SIZE };
  }

  /**
   * This server's part of a page of a fleet spread over several servers (`mergePages`): its rows
   * from the first to the end of that page, as any of them may be on it, and its count.
   */
  async pagePart(search: string, offset: number): Promise<{ rows: FleetWorkspaceRow[]; total: number }> {
    return this.fleet.page(searchText(search), 0, offset + FLEET_LIST_PAGE_SIZE);
  }

  /** The runs in progress, for the page's live part. */
  async running(): Promise<RunProgress[]> {
    return (await this.fleet.runs(0)).map(runProgress).filter((run) => run.status === 'RUNNING');
  }
}
