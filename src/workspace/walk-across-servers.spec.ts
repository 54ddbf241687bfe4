import { WorkspaceRow } from '../metadata/workspace.repository';
import { mergeSources, runAcrossServers, ServerPart } from './walk-across-servers';
import { FleetItem, FleetSource, FleetSummary } from './workspace-fleet.runner';
import { RenderedResult } from './workspace-walk';

const idOf = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const rowOf = (n: number): WorkspaceRow => ({
  id: idOf(n),
  displayName: `W${n}`,
  schemaName: `workspace_${n}`,
  activationStatus: 'ACTIVE',
  version: '0.25',
  fingerprint: null,
  featureFlags: [],
  defaultCountry: null,
  createdAt: new Date(0),
});

/** A server's workspaces in id order; reading past `failAfter` of them throws, as a server that stopped answering. */
const sourceOf = (numbers: number[], failAfter = Infinity): FleetSource => ({
  total: numbers.length,
  items: (async function* (): AsyncGenerator<FleetItem> {
    for (const [index, n] of numbers.entries()) {
      if (index >= failAfter) throw new Error('connect ECONNREFUSED');
      yield { row: rowOf(n) };
    }
  })(),
});

const drain = async (source: FleetSource): Promise<FleetItem[]> => {
  const items: FleetItem[] = [];
  for (let next = await source.items.next(); !next.done; next = await source.items.next()) items.push(next.value);
  return items;
};

const shortly = () => new Promise((resolve) => setImmediate(resolve));

describe('mergeSources', () => {
  it('gives the workspaces of every source in one id order, each tagged with its source', async () => {
    const merged = mergeSources([sourceOf([1, 4, 5, 9]), sourceOf([2, 3, 8])], { onLost: () => undefined });
    expect(merged.total).toBe(7);
    const items = await drain(merged);
    expect(items.map((item) => ('row' in item ? [item.row.id, item.part] : item))).toEqual([
      [idOf(1), 0],
      [idOf(2), 1],
      [idOf(3), 1],
      [idOf(4), 0],
      [idOf(5), 0],
      [idOf(8), 1],
      [idOf(9), 0],
    ]);
  });

  it('puts the ids ranked first (a canary) before the rest, and stops at the limit', async () => {
    const canary = idOf(8);
    const merged = mergeSources([sourceOf([1, 4]), sourceOf([8, 2, 3])], {
      rank: (id) => `${id === canary ? 0 : 1}${id}`,
      limit: 3,
      onLost: () => undefined,
    });
    expect(merged.total).toBe(3);
    const items = await drain(merged);
    expect(items.map((item) => ('row' in item ? item.row.id : null))).toEqual([canary, idOf(1), idOf(2)]);
  });

  it('turns what a source that stops answering had left into one lost item, and goes on with the others', async () => {
    const lost: Array<[number, string, number]> = [];
    const merged = mergeSources([sourceOf([1, 3, 5, 7, 9], 2), sourceOf([2, 4, 6])], {
      onLost: (part, error, notReached) => lost.push([part, (error as Error).message, notReached]),
    });
    const items = await drain(merged);
    expect(lost).toEqual([[0, 'connect ECONNREFUSED', 3]]);
    expect(items.map((item) => ('row' in item ? item.row.id : item))).toEqual([
      idOf(1),
      idOf(2),
      idOf(3),
      { lost: 3, listed: true, part: 0 },
      idOf(4),
      idOf(6),
    ]);
  });
});

describe('runAcrossServers', () => {
  /** A server's walk: it records which workspaces it did and the most it had in flight at once; the ids in `failing` fail. */
  const serverOf = (numbers: number[], failing: Set<string>, concurrency = 1, failAfter = Infinity) => {
    const server = {
      done: [] as string[],
      reported: [] as string[],
      maxInFlight: 0,
      settled: null as FleetSummary<RenderedResult> | null,
      stopped: 0,
    };
    let inFlight = 0;
    const part: ServerPart = {
      source: sourceOf(numbers, failAfter),
      part: {
        source: async () => sourceOf(numbers, failAfter),
        work: async (workspace) => {
          inFlight += 1;
          server.maxInFlight = Math.max(server.maxInFlight, inFlight);
          await shortly();
          inFlight -= 1;
          server.done.push(workspace.id);
          const status = failing.has(workspace.id) ? 'failed' : 'succeeded';
          return { status, message: null, detail: { lines: [workspace.id], json: null } };
        },
        options: {
          concurrency,
          continueOnError: false,
          signal: new AbortController().signal,
          onResult: (result) => server.reported.push(`${result.status} ${result.workspaceId}`),
          onStopped: () => (server.stopped += 1),
        },
        settle: async (outcome) => (server.settled = await outcome),
      },
    };
    return { server, part };
  };

  const run = (parts: ServerPart[], rollout: Parameters<typeof runAcrossServers>[1]['rollout'], failedAtStart = 0) => {
    const lost: string[] = [];
    const stages: string[] = [];
    const summary = runAcrossServers(parts, {
      continueOnError: false,
      rollout,
      failedAtStart,
      signal: new AbortController().signal,
      onStart: () => undefined,
      onStage: (stage) => stages.push(`${stage.name}: ${stage.size}, ${stage.failed} failed${stage.halted ? ', halted' : ''}`),
      onLost: (part, _error, notReached) => lost.push(`server ${part}: ${notReached}`),
    });
    return { summary, lost, stages };
  };

  it('takes the canary as the first n by id over every server, and halts there when one of them fails', async () => {
    const main = serverOf([1, 4, 6, 8], new Set([idOf(2)]));
    const eu2 = serverOf([2, 3, 5, 7], new Set([idOf(2)]));
    const { summary, stages } = run([main.part, eu2.part], { canary: 3 });
    expect(await summary).toMatchObject({ total: 8, succeeded: 2, failed: 1, skipped: 0, stoppedEarly: true });
    expect(main.server.done).toEqual([idOf(1)]);
    expect(eu2.server.done.sort()).toEqual([idOf(2), idOf(3)]);
    expect(stages).toEqual(['canary: 3, 1 failed, halted']);
    expect(eu2.server.reported.sort()).toEqual([`failed ${idOf(2)}`, `succeeded ${idOf(3)}`]);
    expect(main.server.settled).toMatchObject({ total: 4, succeeded: 1, failed: 0 });
    expect(eu2.server.settled).toMatchObject({ total: 4, succeeded: 1, failed: 1 });
    expect(main.server.stopped + eu2.server.stopped).toBe(2);
  });

  it('sizes the stages over the whole fleet, bounds each server by its own concurrency, and halts past --max-failures', async () => {
    const failing = new Set([idOf(5), idOf(6)]);
    const main = serverOf([1, 3, 5, 7, 9, 11, 13, 15, 17, 19], failing, 2);
    const eu2 = serverOf([2, 4, 6, 8, 10, 12, 14, 16, 18, 20], failing, 2);
    const { summary, stages } = run([main.part, eu2.part], {
      stages: [{ count: 2 }, { percent: 50 }, { percent: 100 }],
      maxFailures: { count: 1 },
    });
    const done = await summary;
    expect(stages[0]).toBe('stage 1 of 3 (2): 2, 0 failed');
    expect(stages[1]).toMatch(/^stage 2 of 3 \(50%\): 8, 2 failed, halted$/);
    expect(stages).toHaveLength(2);
    expect(done.failed).toBe(2);
    // Nothing of the third stage (ids 11 to 20) was done on either server.
    const reached = [...main.server.done, ...eu2.server.done].sort();
    expect(reached.every((id) => id < idOf(11))).toBe(true);
    expect(main.server.maxInFlight).toBeLessThanOrEqual(2);
    expect(eu2.server.maxInFlight).toBeLessThanOrEqual(2);
  });

  it("counts a server lost mid-walk as failures of the stage it was in, and each server's part adds up", async () => {
    const main = serverOf([1, 3, 5, 7], new Set());
    const eu2 = serverOf([2, 4, 6, 8], new Set(), 1, 1);
    const { summary, lost } = run([main.part, eu2.part], { stages: [{ percent: 50 }, { percent: 100 }], maxFailures: { count: 5 } });
    const done = await summary;
    expect(lost).toEqual(['server 1: 3']);
    expect(done).toMatchObject({ total: 8, succeeded: 5, failed: 3 });
    expect(done.stages.map((stage) => [stage.size, stage.failed])).toEqual([
      [4, 3],
      [4, 0],
    ]);
    expect(eu2.server.settled).toMatchObject({ total: 4, succeeded: 1, failed: 3 });
  });

  it('counts the failures at start (a server that did not answer) in the first stage: a canary halts', async () => {
    const main = serverOf([1, 2, 3], new Set());
    const { summary, stages } = run([main.part], { canary: 1 }, 1);
    expect(await summary).toMatchObject({ total: 4, succeeded: 1, failed: 1 });
    expect(stages).toEqual(['canary: 1, 1 failed, halted']);
    expect(main.server.done).toEqual([idOf(1)]);
  });
});
