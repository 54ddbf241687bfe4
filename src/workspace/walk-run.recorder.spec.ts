import { RUN_HEARTBEAT_MS, RUN_WRITE_INTERVAL_MS, WalkRunRecorder } from './walk-run.recorder';
import { WalkRunProgress, WalkRunRepository, WorkspaceOutcomeRow } from './walk-run.repository';
import { WorkspaceOutcomeEntry } from './workspace-outcome.log';

/** A repository that keeps what it is asked to write, and fails while `failing` says so. */
class FakeRuns {
  inserted = 0;
  writes: Array<{ progress: WalkRunProgress; outcomes: WorkspaceOutcomeRow[] }> = [];
  failing = false;

  async insert(): Promise<string> {
    this.inserted += 1;
    return 'run-1';
  }

  async write(_runId: string, progress: WalkRunProgress, outcomes: WorkspaceOutcomeRow[]): Promise<void> {
    if (this.failing) throw new Error('connection lost');
    this.writes.push({ progress, outcomes });
  }
}

const entry = (workspaceId: string, outcome: WorkspaceOutcomeEntry['outcome'] = 'succeeded'): WorkspaceOutcomeEntry => ({
  command: 'workspace:sync-metadata',
  workspaceId,
  outcome,
  message: outcome === 'failed' ? 'refused' : null,
  durationMs: 5,
  measures: { status: outcome === 'failed' ? 'failed' : 'applied', actions: 1, rowsMoved: 0 },
});

describe('WalkRunRecorder', () => {
  let clock = 0;
  const now = () => clock;

  beforeEach(() => {
    jest.useFakeTimers();
    clock = 1_000_000;
    idle = true;
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  let idle = true;
  const start = async (runs: FakeRuns, notes: string[] = []) =>
    (await WalkRunRecorder.start(
      runs as unknown as WalkRunRepository,
      { command: 'workspace:sync-metadata', queued: false, dryRun: false },
      (line) => notes.push(line),
      { now, hasIdleConnection: () => idle },
    ))!;

  /** Lets the timers due by `ms` from now fire, and the writes they start finish. */
  const advance = async (ms: number) => {
    clock += ms;
    await jest.advanceTimersByTimeAsync(ms);
    // A timer set by one that fired at the end of the span, and the write it starts.
    await jest.advanceTimersByTimeAsync(0);
  };

  it('writes a run of one workspace twice, at its start and its end, however long it takes', async () => {
    const runs = new FakeRuns();
    const recorder = await start(runs);
    recorder.begin(1);
    await advance(60_000);
    recorder.add(entry('a'));
    await advance(60_000);
    await recorder.finish('DONE');
    expect(runs.inserted).toBe(1);
    expect(runs.writes).toEqual([
      {
        progress: { total: 1, succeeded: 1, failed: 0, skipped: 0, status: 'DONE', error: null },
        outcomes: [expect.objectContaining({ workspaceId: 'a', outcome: 'succeeded', status: 'applied' })],
      },
    ]);
  });

  it('writes a longer run at once with its total, then at most once a second, each outcome once', async () => {
    const runs = new FakeRuns();
    const recorder = await start(runs);
    recorder.begin(5);
    recorder.add(entry('a'));
    recorder.add(entry('b', 'failed'));
    await advance(0);
    expect(runs.writes).toHaveLength(1);
    expect(runs.writes[0].progress).toMatchObject({ total: 5, succeeded: 1, failed: 1, status: 'RUNNING' });
    expect(runs.writes[0].outcomes.map((row) => row.workspaceId)).toEqual(['a', 'b']);
    recorder.add(entry('c'));
    recorder.add(entry('d', 'skipped'));
    await advance(RUN_WRITE_INTERVAL_MS - 1);
    expect(runs.writes).toHaveLength(1);
    await advance(1);
    expect(runs.writes).toHaveLength(2);
    expect(runs.writes[1].outcomes.map((row) => row.workspaceId)).toEqual(['c', 'd']);
    recorder.add(entry('e'));
    await recorder.finish('DONE');
    await advance(10 * RUN_WRITE_INTERVAL_MS);
    expect(runs.writes.map((write) => [write.progress.status, write.outcomes.length])).toEqual([
      ['RUNNING', 2],
      ['RUNNING', 2],
      ['DONE', 1],
    ]);
    expect(runs.writes[2].progress).toMatchObject({ succeeded: 3, failed: 1, skipped: 1 });
  });

  it('says it is alive every 15 s while nothing finishes', async () => {
    const runs = new FakeRuns();
    const recorder = await start(runs);
    recorder.begin(2);
    await advance(0);
    await advance(RUN_HEARTBEAT_MS - 1);
    expect(runs.writes).toHaveLength(1);
    await advance(1);
    expect(runs.writes).toHaveLength(2);
    expect(runs.writes[1]).toEqual({ progress: expect.objectContaining({ total: 2, succeeded: 0, status: 'RUNNING' }), outcomes: [] });
    await recorder.finish('INTERRUPTED');
    await advance(3 * RUN_HEARTBEAT_MS);
    expect(runs.writes.map((write) => write.progress.status)).toEqual(['RUNNING', 'RUNNING', 'INTERRUPTED']);
  });

  it('waits for an idle connection of the pool rather than make the pool open one', async () => {
    const runs = new FakeRuns();
    const recorder = await start(runs);
    recorder.begin(3);
    await advance(0);
    expect(runs.writes).toHaveLength(1);
    idle = false;
    recorder.add(entry('a'));
    await advance(5 * RUN_WRITE_INTERVAL_MS);
    await advance(RUN_HEARTBEAT_MS);
    expect(runs.writes).toHaveLength(1);
    idle = true;
    await advance(RUN_WRITE_INTERVAL_MS);
    expect(runs.writes).toHaveLength(2);
    expect(runs.writes[1].outcomes.map((row) => row.workspaceId)).toEqual(['a']);
    await recorder.finish('DONE');
  });

  it('says once that it cannot write, keeps the outcomes for the next write, and lets the walk go on', async () => {
    const runs = new FakeRuns();
    const notes: string[] = [];
    const recorder = await start(runs, notes);
    recorder.begin(3);
    runs.failing = true;
    recorder.add(entry('a'));
    await advance(RUN_WRITE_INTERVAL_MS);
    recorder.add(entry('b'));
    await advance(RUN_WRITE_INTERVAL_MS);
    expect(notes).toEqual(["could not record the run's progress for the console: connection lost"]);
    runs.failing = false;
    recorder.add(entry('c'));
    await recorder.finish('DONE');
    expect(runs.writes).toHaveLength(1);
    expect(runs.writes[0].outcomes.map((row) => row.workspaceId).sort()).toEqual(['a', 'b', 'c']);
  });

  it('runs unrecorded when the run cannot be inserted, and says so', async () => {
    const notes: string[] = [];
    const runs = { insert: async () => Promise.reject(new Error('relation "core.walkRun" does not exist')) };
    const recorder = await WalkRunRecorder.start(
      runs as unknown as WalkRunRepository,
      { command: 'upgrade', queued: true, dryRun: false },
      (line) => notes.push(line),
    );
    expect(recorder).toBeNull();
    expect(notes).toEqual(['the run is not recorded for the console: relation "core.walkRun" does not exist']);
  });
});
