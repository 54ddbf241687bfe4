import { EntityManager } from 'typeorm';

import { FLEET_PAGE_SIZE, FleetWork, WorkspaceFleetRunner } from './workspace-fleet.runner';
import { WorkspaceRow } from '../metadata/workspace.repository';

const idOf = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** core.workspace as the repository reads it: a count and pages in id order after a cursor. */
const fakeFleet = (size: number) => {
  const rows: WorkspaceRow[] = Array.from({ length: size }, (_, n) => ({
    id: idOf(n),
    displayName: `W${n}`,
    schemaName: `workspace_${n}`,
    activationStatus: 'ACTIVE',
    version: '0.23',
    fingerprint: null,
    featureFlags: [],
    defaultCountry: null,
    createdAt: new Date(0),
  }));
  const pages: number[] = [];
  const manager = {
    query: async (sql: string, params: unknown[]) => {
      if (sql.includes('ANY(')) return rows.filter((row) => (params[0] as string[]).includes(row.id));
      const [from, limit] = params as [string | null, number];
      const after = rows.filter((row) => from === null || (sql.includes('>=') ? row.id >= from : row.id > from));
      if (sql.includes('count(*)')) return [{ count: after.length }];
      const page = after.slice(0, limit);
      pages.push(page.length);
      return page;
    },
  } as unknown as EntityManager;
  return { manager, pages };
};

describe('WorkspaceFleetRunner', () => {
  it('walks every workspace once, in id order, a page at a time, at most `concurrency` at once', async () => {
    const { manager, pages } = fakeFleet(250);
    let inFlight = 0;
    let maxInFlight = 0;
    const seen: string[] = [];
    const summary = await new WorkspaceFleetRunner(manager).run(
      {},
      async (workspace) => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        seen.push(workspace.id);
        await new Promise((resolve) => setImmediate(resolve));
        inFlight -= 1;
        return { status: 'succeeded', detail: null, message: null };
      },
      { concurrency: 4, continueOnError: false },
    );
    expect(summary).toMatchObject({
      total: 250,
      succeeded: 250,
      failed: 0,
      skipped: 0,
      stoppedEarly: false,
      interrupted: false,
      results: [],
    });
    expect(seen).toEqual(Array.from({ length: 250 }, (_, n) => idOf(n)));
    expect(maxInFlight).toBe(4);
    expect(pages).toEqual([FLEET_PAGE_SIZE, FLEET_PAGE_SIZE, 50]);
  });

  it('starts from a workspace id and stops at the count limit', async () => {
    const { manager } = fakeFleet(30);
    const seen: string[] = [];
    const summary = await new WorkspaceFleetRunner(manager).run(
      { startFromWorkspaceId: idOf(10), countLimit: 5 },
      async (workspace) => {
        seen.push(workspace.id);
        return { status: 'succeeded', detail: null, message: null };
      },
      { concurrency: 1, continueOnError: false },
    );
    expect(seen).toEqual([10, 11, 12, 13, 14].map(idOf));
    expect(summary.total).toBe(5);
  });

  it('stops taking workspaces after the first failure, once, unless told to continue', async () => {
    const { manager } = fakeFleet(20);
    const stopped = jest.fn();
    const work = async (workspace: WorkspaceRow): Promise<FleetWork<null>> =>
      workspace.id === idOf(3) ? { status: 'failed', detail: null, message: 'no' } : { status: 'succeeded', detail: null, message: null };
    const stopping = await new WorkspaceFleetRunner(manager).run({}, work, { concurrency: 1, continueOnError: false, onStopped: stopped });
    expect(stopping).toMatchObject({ succeeded: 3, failed: 1, stoppedEarly: true, interrupted: false });
    expect(stopped).toHaveBeenCalledTimes(1);

    const going = await new WorkspaceFleetRunner(manager).run({}, work, { concurrency: 1, continueOnError: true, keepResults: true });
    expect(going).toMatchObject({ succeeded: 19, failed: 1, stoppedEarly: false });
    expect(going.results.filter((result) => result.status === 'failed')).toEqual([
      { workspaceId: idOf(3), status: 'failed', detail: null, message: 'no' },
    ]);
  });

  it('on abort, lets the workspaces in flight finish and takes no other; withdrawn ones are not counted', async () => {
    const { manager } = fakeFleet(20);
    const interrupt = new AbortController();
    const summary = await new WorkspaceFleetRunner(manager).run(
      {},
      async (workspace): Promise<FleetWork<null> | null> => {
        if (workspace.id === idOf(2)) return null;
        if (workspace.id === idOf(4)) interrupt.abort('SIGINT');
        await new Promise((resolve) => setImmediate(resolve));
        return { status: 'succeeded', detail: null, message: null };
      },
      { concurrency: 2, continueOnError: false, signal: interrupt.signal },
    );
    // 0, 1 and 3 done before the signal, 2 withdrawn; 4 (in flight when it came) finishes; no other starts.
    expect(summary).toMatchObject({ total: 20, succeeded: 4, failed: 0, skipped: 0, interrupted: true, stoppedEarly: false });
  });

  it('on the stop signal (another server failed), stops taking workspaces as at its own failure', async () => {
    const { manager } = fakeFleet(20);
    const stop = new AbortController();
    const stopped = jest.fn();
    const summary = await new WorkspaceFleetRunner(manager).run(
      {},
      async (workspace) => {
        if (workspace.id === idOf(3)) stop.abort();
        await new Promise((resolve) => setImmediate(resolve));
        return { status: 'succeeded', detail: null, message: null };
      },
      { concurrency: 2, continueOnError: false, stop: stop.signal, onStopped: stopped },
    );
    // 0 and 1, then 2 and 3: the stop comes with 3, which finishes with 2 in flight beside it; no other starts.
    expect(summary).toMatchObject({ total: 20, succeeded: 4, failed: 0, stoppedEarly: true, interrupted: false });
    expect(stopped).toHaveBeenCalledTimes(1);
  });

  it('when a page cannot be read, lets the workspaces in flight finish and report, then throws', async () => {
    const { manager } = fakeFleet(150);
    const reported: string[] = [];
    let slowDone = false;
    const read = async <R>(query: () => Promise<R>): Promise<R> => {
      const result = await query();
      if (Array.isArray(result) && result.length > 0 && (result[0] as WorkspaceRow).id === idOf(100)) throw new Error('connection lost');
      return result;
    };
    const run = new WorkspaceFleetRunner(manager).run(
      {},
      async (workspace) => {
        // The first workspace is still in flight when the second page is asked for.
        if (workspace.id === idOf(0)) {
          for (let turn = 0; turn < 200; turn += 1) await new Promise((resolve) => setImmediate(resolve));
          slowDone = true;
        }
        return { status: 'succeeded', detail: null, message: null };
      },
      { concurrency: 2, continueOnError: false, read, onResult: (result) => reported.push(result.workspaceId) },
    );
    await expect(run).rejects.toThrow('connection lost');
    expect(slowDone).toBe(true);
    expect(reported).toHaveLength(100);
    expect(reported).toContain(idOf(0));
  });

  it('reports a thrown error as that workspace failing, and a missing id as failed', async () => {
    const { manager } = fakeFleet(3);
    const summary = await new WorkspaceFleetRunner(manager).run(
      { workspaceIds: [idOf(0), idOf(1), idOf(7)] },
      async (workspace) => {
        if (workspace.id === idOf(1)) throw new Error('boom');
        return { status: 'succeeded', detail: null, message: null };
      },
      { concurrency: 1, continueOnError: true, keepResults: true },
    );
    expect(summary.results.map(({ workspaceId, status, message }) => ({ workspaceId, status, message }))).toEqual([
      { workspaceId: idOf(0), status: 'succeeded', message: null },
      { workspaceId: idOf(1), status: 'failed', message: 'boom' },
      { workspaceId: idOf(7), status: 'failed', message: `workspace ${idOf(7)} does not exist` },
    ]);
  });

  it('stages: each waits for the one before; the run halts after the stage whose failures pass --max-failures', async () => {
    const { manager } = fakeFleet(40);
    const failing = new Set([idOf(5), idOf(7)]);
    let inFlight = 0;
    const startedWith: number[] = [];
    const work = async (workspace: WorkspaceRow): Promise<FleetWork<null>> => {
      startedWith.push(inFlight);
      inFlight += 1;
      await new Promise((resolve) => setImmediate(resolve));
      inFlight -= 1;
      return failing.has(workspace.id)
        ? { status: 'failed', detail: null, message: 'no' }
        : { status: 'succeeded', detail: null, message: null };
    };
    const stages: unknown[] = [];
    const stopped = jest.fn();
    const summary = await new WorkspaceFleetRunner(manager).run({}, work, {
      concurrency: 4,
      continueOnError: false,
      rollout: { stages: [{ count: 1 }, { percent: 25 }, { percent: 100 }], maxFailures: { count: 1 } },
      onStage: (stage) => stages.push({ name: stage.name, succeeded: stage.succeeded, failed: stage.failed, halted: stage.halted }),
      onStopped: stopped,
    });
    // Stage 1 (workspace 0) ran alone; stage 2 (1 to 9) halted at its second failure; stage 3 never started.
    expect(startedWith[0]).toBe(0);
    expect(startedWith[1]).toBe(0);
    expect(stages).toEqual([
      { name: 'stage 1 of 3 (1)', succeeded: 1, failed: 0, halted: false },
      { name: 'stage 2 of 3 (25%)', succeeded: expect.any(Number), failed: 2, halted: true },
    ]);
    expect(summary).toMatchObject({ failed: 2, stoppedEarly: true, interrupted: false });
    expect(summary.succeeded + summary.failed).toBeLessThanOrEqual(10);
    expect(stopped).toHaveBeenCalledTimes(1);

    failing.delete(idOf(7));
    const rerun = await new WorkspaceFleetRunner(manager).run({}, work, {
      concurrency: 4,
      continueOnError: false,
      rollout: { stages: [{ count: 1 }, { percent: 25 }, { percent: 100 }], maxFailures: { count: 1 } },
    });
    expect(rerun).toMatchObject({ succeeded: 39, failed: 1, stoppedEarly: false });
    expect(rerun.stages.map((stage) => [stage.size, stage.succeeded + stage.failed])).toEqual([
      [1, 1],
      [9, 9],
      [30, 30],
    ]);
  });

  it('a canary by id runs first, then the rest without it; a canary that fails halts before the rest', async () => {
    const { manager } = fakeFleet(12);
    const seen: string[] = [];
    const outcome =
      (fail: string | null) =>
      async (workspace: WorkspaceRow): Promise<FleetWork<null>> => {
        seen.push(workspace.id);
        return workspace.id === fail
          ? { status: 'failed', detail: null, message: 'no' }
          : { status: 'succeeded', detail: null, message: null };
      };
    const halted = await new WorkspaceFleetRunner(manager).run({ firstIds: [idOf(9)] }, outcome(idOf(9)), {
      concurrency: 3,
      continueOnError: true,
      rollout: { canaryWorkspaceIds: [idOf(9)] },
    });
    expect(seen).toEqual([idOf(9)]);
    expect(halted).toMatchObject({ total: 12, succeeded: 0, failed: 1, stoppedEarly: true });
    expect(halted.stages.map((stage) => [stage.name, stage.halted])).toEqual([['canary', true]]);

    seen.length = 0;
    const done = await new WorkspaceFleetRunner(manager).run({ firstIds: [idOf(9)] }, outcome(null), {
      concurrency: 3,
      continueOnError: false,
      rollout: { canaryWorkspaceIds: [idOf(9)] },
    });
    expect(seen[0]).toBe(idOf(9));
    expect([...seen].sort()).toEqual(Array.from({ length: 12 }, (_, n) => idOf(n)));
    expect(done).toMatchObject({ total: 12, succeeded: 12, stoppedEarly: false });
    expect(done.stages.map((stage) => [stage.name, stage.size])).toEqual([
      ['canary', 1],
      ['the rest', 11],
    ]);
  });
});
