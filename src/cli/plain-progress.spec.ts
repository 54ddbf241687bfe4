import { createLogger, LogSink } from '../observability/logger';
import { StepProgress } from '../observability/step-progress';
import { PlainProgress } from './plain-progress';

const WORKSPACE = '3b0c4a52-34a4-4a43-9a3e-5e1f4f0b4f7e';

/** A PlainProgress on a clock the spec moves, logging JSON lines into an array. */
const setUp = (everyMs: number) => {
  let now = 1_000_000;
  const lines: Array<Record<string, unknown>> = [];
  const sink = new LogSink();
  sink.redirect((line) => lines.push(JSON.parse(line) as Record<string, unknown>));
  const progress = new PlainProgress(createLogger({ level: 'info', pretty: false, sink }), { everyMs, clock: () => now });
  return { progress, lines, at: (ms: number) => (now = 1_000_000 + ms) };
};

const move = (done: number, finished = false): StepProgress => ({
  workspaceId: WORKSPACE,
  version: '0.23',
  step: 'migrate-email-fields-to-emails',
  task: 'move',
  done,
  total: 70_000,
  finished,
});

describe('PlainProgress', () => {
  it('logs the rows of a long move every 10 s, with rate and time left, and once more when it ends', () => {
    const { progress, lines, at } = setUp(10_000);
    progress.step(move(0));
    at(4_000);
    progress.step(move(10_000));
    at(9_999);
    progress.step(move(20_000));
    expect(lines).toEqual([]);

    at(10_000);
    progress.step(move(30_000));
    at(15_000);
    progress.step(move(45_000));
    at(20_000);
    progress.step(move(60_000));
    at(23_000);
    progress.step(move(70_000, true));

    expect(
      lines.map(({ done, total, rowsPerSecond, secondsLeft, finished }) => ({ done, total, rowsPerSecond, secondsLeft, finished })),
    ).toEqual([
      { done: 30_000, total: 70_000, rowsPerSecond: 3_000, secondsLeft: 13, finished: false },
      { done: 60_000, total: 70_000, rowsPerSecond: 3_000, secondsLeft: 3, finished: false },
      { done: 70_000, total: 70_000, rowsPerSecond: 3_043, secondsLeft: 0, finished: true },
    ]);
    expect(lines[0]).toMatchObject({
      level: 'info',
      workspaceId: WORKSPACE,
      version: '0.23',
      step: 'migrate-email-fields-to-emails',
      task: 'move',
      msg: `migrate-email-fields-to-emails (move) of workspace ${WORKSPACE}: 30000/70000 rows, 3000 rows/s, 13s left`,
    });
  });

  it('says nothing of a task that ended before the first interval', () => {
    const { progress, lines, at } = setUp(10_000);
    progress.step(move(0));
    at(2_000);
    progress.step(move(70_000, true));
    expect(lines).toEqual([]);
  });

  it('counts the rate of this run only when a move resumes part-way', () => {
    const { progress, lines, at } = setUp(10_000);
    progress.step(move(50_000));
    at(10_000);
    progress.step(move(60_000));
    expect(lines.map(({ done, rowsPerSecond, secondsLeft }) => ({ done, rowsPerSecond, secondsLeft }))).toEqual([
      { done: 60_000, rowsPerSecond: 1_000, secondsLeft: 10 },
    ]);
  });

  it('logs after every batch with an interval of 0', () => {
    const { progress, lines } = setUp(0);
    [0, 25_000, 50_000, 70_000].forEach((done) => progress.step(move(done)));
    progress.step(move(70_000, true));
    expect(lines.map((line) => line.done)).toEqual([0, 25_000, 50_000, 70_000, 70_000]);
  });

  it('logs a running index build in its phase and unit, the rate starting again when the unit changes', () => {
    const { progress, lines, at } = setUp(10_000);
    const build = (progress: Partial<StepProgress>): StepProgress => ({
      workspaceId: WORKSPACE,
      version: '0.24',
      step: 'build-person-email-unique-index',
      task: 'index',
      done: 0,
      total: 70_000,
      pid: 4242,
      finished: false,
      ...progress,
    });
    progress.step(build({ unit: 'rows' }));
    at(1_000);
    progress.step(build({ done: 0, total: 5_000, unit: 'blocks', phase: 'building index: scanning table' }));
    at(11_000);
    progress.step(build({ done: 4_000, total: 5_000, unit: 'blocks', phase: 'building index: scanning table' }));
    at(12_000);
    progress.step(build({ done: 0, total: 70_000, unit: 'rows', phase: 'building index: loading tuples in tree' }));
    at(22_000);
    progress.step(build({ done: 35_000, total: 70_000, unit: 'rows', phase: 'building index: loading tuples in tree' }));
    expect(
      lines.map(({ phase, pid, done, total, unit, blocksPerSecond, rowsPerSecond, secondsLeft }) => ({
        phase,
        pid,
        done,
        total,
        unit,
        blocksPerSecond,
        rowsPerSecond,
        secondsLeft,
      })),
    ).toEqual([
      {
        phase: 'building index: scanning table',
        pid: 4242,
        done: 4_000,
        total: 5_000,
        unit: 'blocks',
        blocksPerSecond: 400,
        rowsPerSecond: undefined,
        secondsLeft: 3,
      },
      {
        phase: 'building index: loading tuples in tree',
        pid: 4242,
        done: 35_000,
        total: 70_000,
        unit: 'rows',
        blocksPerSecond: undefined,
        rowsPerSecond: 3_500,
        secondsLeft: 10,
      },
    ]);
    expect(lines[0].msg).toBe(
      `build-person-email-unique-index (index: building index: scanning table) of workspace ${WORKSPACE}: 4000/5000 blocks, 400 blocks/s, 3s left`,
    );
  });

  it('logs the walk every 10 s: workspaces done of the total, rate and time left', () => {
    const { progress, lines, at } = setUp(10_000);
    const printed: string[] = [];
    progress.start(100);
    at(5_000);
    progress.advance(['a: up to date'], (line) => printed.push(line));
    at(10_000);
    progress.advance(['b: up to date'], (line) => printed.push(line));
    expect(printed).toEqual(['a: up to date', 'b: up to date']);
    expect(lines).toEqual([
      expect.objectContaining({
        done: 2,
        total: 100,
        perSecond: 0.2,
        secondsLeft: 490,
        msg: 'progress: 2/100 workspaces, 0.2/s, 8m 10s left',
      }),
    ]);
  });
});
