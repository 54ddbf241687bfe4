import { WalkRunRow } from './fleet-overview.repository';
import { QUIET_AFTER_MS, runProgress } from './fleet-overview.service';

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
