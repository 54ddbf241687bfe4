import { AttentionRow, FleetWorkspaceRow, WalkRunRow } from './fleet-overview.repository';
import {
  ATTENTION_LIMIT,
  FLEET_LIST_PAGE_SIZE,
  FleetOverview,
  mergeOverviews,
  mergePages,
  mergeRuns,
  QUIET_AFTER_MS,
  runProgress,
} from './fleet-overview.service';

const run = (fields: Partial<WalkRunRow>): WalkRunRow => ({
  id: 'run',
  command: 'upgrade',
  queued: false,
  dryRun: false,
  status: 'RUNNING',
  total: 100,
  succeeded: 0,
  failed: 0,
  skipped: 0,
  host: 'host',
  pid: 1,
  error: null,
  startedAt: new Date('2026-12-06T10:00:00Z'),
  updatedAt: new Date('2026-12-06T10:00:00Z'),
  finishedAt: null,
  now: new Date('2026-12-06T10:00:00Z'),
  ...fields,
});

describe('runProgress', () => {
  it('measures the rate from the start to the last write, and the time left at that rate', () => {
    const progress = runProgress(
      run({ succeeded: 15, failed: 3, skipped: 2, updatedAt: new Date('2026-12-06T10:00:10Z'), now: new Date('2026-12-06T10:00:11Z') }),
    );
    expect(progress).toMatchObject({ done: 20, rate: 2, secondsLeft: 40, quiet: false });
  });

  it('knows no rate before the first workspace ends, and no time left once the run has ended', () => {
    expect(runProgress(run({ updatedAt: new Date('2026-12-06T10:00:05Z') }))).toMatchObject({ done: 0, rate: null, secondsLeft: null });
    expect(
      runProgress(
        run({ status: 'DONE', succeeded: 100, finishedAt: new Date('2026-12-06T10:00:50Z'), updatedAt: new Date('2026-12-06T10:00:50Z') }),
      ),
    ).toMatchObject({ done: 100, rate: 2, secondsLeft: null, quiet: false });
  });

  it('says a running run is quiet once its process has not written for a minute', () => {
    const updatedAt = new Date('2026-12-06T10:00:00Z');
    expect(runProgress(run({ updatedAt, now: new Date(updatedAt.getTime() + QUIET_AFTER_MS) })).quiet).toBe(false);
    expect(runProgress(run({ updatedAt, now: new Date(updatedAt.getTime() + QUIET_AFTER_MS + 1) })).quiet).toBe(true);
  });
});

describe('merging the fleets of several servers', () => {
  const workspace = (displayName: string, id: string): FleetWorkspaceRow => ({
    id,
    displayName,
    version: '0.25',
    activationStatus: 'ACTIVE',
    lastSyncCommand: null,
    lastSyncStatus: null,
    lastSyncOutcome: null,
    lastSyncMessage: null,
    lastSyncAt: null,
    healthOutcome: null,
    healthMessage: null,
    healthAt: null,
  });
  const failure = (id: string, at: string | null): AttentionRow => ({
    id,
    displayName: id,
    version: '0.24',
    command: 'upgrade',
    message: 'failed',
    at: at === null ? null : new Date(at),
  });
  const overview = (fields: Partial<FleetOverview>): FleetOverview => ({
    total: 0,
    byVersion: [],
    byActivation: [],
    bySyncOutcome: [],
    failed: { rows: [], total: 0 },
    drifted: { rows: [], total: 0 },
    locked: { rows: [], total: 0 },
    running: [],
    finished: [],
    ...fields,
  });

  it('cuts the page at its offset from the rows of every server merged by name (byte order) then id, each with its server', () => {
    const page = mergePages(
      [
        { server: 'main', part: { rows: [workspace('Acme', 'b'), workspace('acme', 'a')], total: 2 } },
        { server: 'eu2', part: { rows: [workspace('Acme', 'a'), workspace('Zeta', 'c')], total: 7 } },
      ],
      1,
    );
    expect(page.rows.map((row) => [row.displayName, row.id, row.server])).toEqual([
      ['Acme', 'b', 'main'],
      ['Zeta', 'c', 'eu2'],
      ['acme', 'a', 'main'],
    ]);
    expect(page).toMatchObject({ total: 9, offset: 1, limit: FLEET_LIST_PAGE_SIZE });
  });

  it('adds up the counts by key, no key first, and keeps the latest failures of all servers within the limit', () => {
    const merged = mergeOverviews([
      {
        server: 'main',
        part: overview({
          total: 3,
          byVersion: [
            { key: null, count: 1 },
            { key: '0.25', count: 2 },
          ],
          failed: { rows: [failure('m1', '2026-12-06T10:00:00Z')], total: 1 },
        }),
      },
      {
        server: 'eu2',
        part: overview({
          total: 2,
          byVersion: [
            { key: '0.24', count: 1 },
            { key: '0.25', count: 1 },
          ],
          failed: {
            rows: Array.from({ length: ATTENTION_LIMIT }, (_, index) =>
              failure(`e${index}`, `2026-12-06T09:${String(index).padStart(2, '0')}:00Z`),
            ),
            total: 30,
          },
        }),
      },
    ]);
    expect(merged.total).toBe(5);
    expect(merged.byVersion).toEqual([
      { key: null, count: 1 },
      { key: '0.24', count: 1 },
      { key: '0.25', count: 3 },
    ]);
    expect(merged.failed.total).toBe(31);
    expect(merged.failed.rows).toHaveLength(ATTENTION_LIMIT);
    expect(merged.failed.rows.slice(0, 2).map((row) => [row.id, row.server])).toEqual([
      ['m1', 'main'],
      [`e${ATTENTION_LIMIT - 1}`, 'eu2'],
    ]);
  });

  it('lists the runs of every server newest first, each with its server', () => {
    const runs = mergeRuns([
      { server: 'main', part: [runProgress(run({ id: 'old', startedAt: new Date('2026-12-06T09:00:00Z') }))] },
      { server: 'eu2', part: [runProgress(run({ id: 'new', startedAt: new Date('2026-12-06T11:00:00Z') }))] },
    ]);
    expect(runs.map((entry) => [entry.id, entry.server])).toEqual([
      ['new', 'eu2'],
      ['old', 'main'],
    ]);
  });
});
