import { Rollout } from './rollout';
import { FleetItem, FleetSource, FleetStageSummary, FleetSummary, runFleet } from './workspace-fleet.runner';
import { RenderedResult, WalkPart } from './workspace-walk';

const idOf = (item: FleetItem): string => ('row' in item ? item.row.id : 'missingId' in item ? item.missingId : '');

export interface MergeOptions {
  /** The order of the merged source, by id (the canary's ids first); default: the id itself. */
  rank?: (id: string) => string;
  /** Workspaces taken at most, over every source (--workspace-count-limit). */
  limit?: number;
  /** A source could not be read on: `notReached` of its workspaces were not yet taken. */
  onLost: (part: number, error: unknown, notReached: number) => void;
}

/**
 * One source made of the sources of several servers, each in id order: merged into one order (the
 * order of `rank`), each item tagged with the part (index of its source) it came from, reading a
 * source only as far as the merge needs (one item ahead of what was taken). A source whose read
 * fails is dropped: what it had not given yet becomes one `lost` item, which the run fails in the
 * stage it is in, and the others go on.
 */
export const mergeSources = (sources: FleetSource[], options: MergeOptions): FleetSource => {
  const rank = options.rank ?? ((id: string) => id);
  const limit = options.limit ?? Infinity;
  const total = Math.min(
    limit,
    sources.reduce((sum, source) => sum + source.total, 0),
  );
  async function* merged(): AsyncGenerator<FleetItem> {
    const heads: Array<FleetItem | null> = sources.map(() => null);
    const given = sources.map(() => 0);
    const lost: FleetItem[] = [];
    let taken = 0;
    const advance = async (part: number) => {
      try {
        const next = await sources[part].items.next();
        heads[part] = next.done ? null : next.value;
      } catch (error) {
        heads[part] = null;
        const notReached = Math.max(0, Math.min(sources[part].total - given[part], limit - taken));
        options.onLost(part, error, notReached);
        if (notReached > 0) lost.push({ lost: notReached, listed: true, part });
      }
    };
    await Promise.all(sources.map((_, part) => advance(part)));
    for (;;) {
      yield* lost.splice(0);
      let part = -1;
      for (const [index, head] of heads.entries()) {
        if (head && (part < 0 || rank(idOf(head)) < rank(idOf(heads[part]!)))) part = index;
      }
      if (part < 0 || taken >= limit) return;
      taken += 1;
      given[part] += 1;
      yield { ...heads[part]!, part };
      await advance(part);
    }
  }
  return { total, items: merged() };
};

/** Runs tasks at most `limit` at a time, the others waiting in turn. */
const limited = (limit: number) => {
  let free = limit;
  const waiting: Array<() => void> = [];
  return async <R>(task: () => Promise<R>): Promise<R> => {
    if (free > 0) free -= 1;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else free += 1;
    }
  };
};

/** One server's walk in a run across servers: begun and counted. */
export interface ServerPart {
  part: WalkPart;
  source: FleetSource;
}

export interface AcrossServersOptions {
  continueOnError: boolean;
  rollout: Rollout;
  limit?: number;
  /** Failures before any server is walked (a server that could not be counted, an id found on none): the first stage's. */
  failedAtStart: number;
  signal: AbortSignal;
  onStart: (total: number) => void;
  onStage?: (stage: FleetStageSummary) => void;
  /** A server stopped answering mid-walk: `notReached` of its workspaces were not taken. */
  onLost: (part: number, error: unknown, notReached: number) => void;
}

/**
 * One run over the workspaces of several servers, as on one server: one order (the canary's ids,
 * then by id, merged over the servers), one canary and one set of stages counted over the whole
 * fleet, one failure bound; each workspace done by its own server's walk, as many at a time on
 * each as its walk's concurrency. The failures at start count in the first stage; a server lost
 * mid-walk fails what it had left in the stage the run is in. Each server's walk is settled with
 * its part of the run.
 */
export const runAcrossServers = async (servers: ServerPart[], options: AcrossServersOptions): Promise<FleetSummary<RenderedResult>> => {
  const parts = servers.map(({ part, source }) => ({ part, total: source.total, succeeded: 0, failed: 0, skipped: 0 }));
  const canaryIds = new Set(options.rollout.canaryWorkspaceIds ?? []);
  const merged = mergeSources(
    servers.map(({ source }) => source),
    {
      rank: (id) => `${canaryIds.has(id) ? 0 : 1}${id}`,
      limit: options.limit,
      onLost: (part, error, notReached) => {
        parts[part].failed += notReached;
        options.onLost(part, error, notReached);
      },
    },
  );
  async function* items(): AsyncGenerator<FleetItem> {
    if (options.failedAtStart > 0) yield { lost: options.failedAtStart, listed: false };
    for (;;) {
      const next = await merged.items.next();
      if (next.done) return;
      yield next.value;
    }
  }
  const limits = parts.map(({ part }) => limited(part.options.concurrency));
  for (const { part, total } of parts) part.options.onStart?.(total);
  const outcome = runFleet(
    { total: merged.total, items: items() },
    (workspace, index) => limits[index!](() => parts[index!].part.work(workspace)),
    {
      concurrency: Math.max(
        1,
        parts.reduce((sum, { part }) => sum + part.options.concurrency, 0),
      ),
      continueOnError: options.continueOnError,
      rollout: options.rollout,
      onStart: options.onStart,
      onStage: options.onStage,
      signal: AbortSignal.any([options.signal, ...parts.map(({ part }) => part.options.signal!)]),
      onStopped: () => parts.forEach(({ part }) => part.options.onStopped?.()),
      onResult: (result, index) => {
        parts[index!][result.status] += 1;
        parts[index!].part.options.onResult?.(result);
      },
    },
  );
  // Each server's walk ends with its own part: its record for the console, its queue's verdict on Redis.
  const settled = await Promise.allSettled(
    parts.map((entry) =>
      entry.part.settle(
        outcome.then((summary) => ({
          total: entry.total,
          succeeded: entry.succeeded,
          failed: entry.failed,
          skipped: entry.skipped,
          results: [],
          stages: [],
          stoppedEarly: summary.stoppedEarly,
          interrupted: summary.interrupted,
        })),
      ),
    ),
  );
  const summary = await outcome;
  const failed = settled.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
  return summary;
};
