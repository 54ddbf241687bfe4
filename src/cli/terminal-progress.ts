import { MultiBar, Presets, SingleBar } from 'cli-progress';

import { LogSink } from '../observability/logger';
import { formatDuration, ProgressMeter } from '../observability/progress-meter';
import { StepProgress } from '../observability/step-progress';
import { taskKey, WalkProgress } from './walk-progress';

const TASK_FORMAT = '   {bar} {value}/{total} {unit} | {rate} {unit}/s | {left} left | {label}';

/**
 * A progress bar with rate and time left on stderr, with result lines (and log lines) printed above
 * it; below it, one bar of rows per long task (a data move, a backfill, an index build) in flight.
 */
export class TerminalProgress implements WalkProgress {
  private readonly bars = new MultiBar(
    {
      stream: process.stderr,
      format: ' {bar} {value}/{total} workspaces | {rate}/s | {eta_formatted} left',
      hideCursor: true,
      clearOnComplete: true,
    },
    Presets.shades_classic,
  );
  private bar: SingleBar | undefined;
  private readonly tasks = new Map<string, { bar: SingleBar; meter: ProgressMeter; startedAt: number; unit: string }>();
  private started = Date.now();
  private done = 0;

  constructor(private readonly logs?: LogSink) {}

  start(total: number): void {
    this.started = Date.now();
    this.bar = this.bars.create(total, 0, { rate: '0.0' });
    this.logs?.redirect((line) => this.bars.log(line.endsWith('\n') ? line : `${line}\n`));
  }

  advance(lines: string[]): void {
    for (const line of lines) this.bars.log(`${line}\n`);
    this.done += 1;
    const seconds = Math.max(0.001, (Date.now() - this.started) / 1000);
    this.bar?.increment(1, { rate: (this.done / seconds).toFixed(1) });
  }

  step(progress: StepProgress): void {
    const key = taskKey(progress);
    let task = this.tasks.get(key);
    if (progress.finished) {
      if (task) this.bars.remove(task.bar);
      this.tasks.delete(key);
      return;
    }
    const unit = progress.unit ?? 'rows';
    const label = `${progress.step} (${progress.task}${progress.phase ? `: ${progress.phase}` : ''}) ${progress.workspaceId.slice(0, 8)}`;
    if (!task) {
      // An empty table: nothing to show a bar for.
      if (progress.total === 0) return;
      const bar = this.bars.create(progress.total, progress.done, { rate: '0', left: '?', label, unit }, { format: TASK_FORMAT });
      task = { bar, meter: new ProgressMeter(0), startedAt: progress.done, unit };
      this.tasks.set(key, task);
    } else if (task.unit !== unit) {
      // An index build that counted blocks now counts tuples (or the reverse): its rate starts again.
      Object.assign(task, { meter: new ProgressMeter(0), startedAt: progress.done, unit });
    }
    // Rate and time left of this run's rows only: those a resumed move did before do not count.
    const rate = task.meter.rate(progress.done - task.startedAt);
    task.bar.setTotal(progress.total);
    task.bar.update(progress.done, {
      rate: Math.round(rate).toString(),
      left: formatDuration(rate > 0 ? (progress.total - progress.done) / rate : null),
      label,
      unit,
    });
    // Drawn now as well as on the bars' timer: every batch shows, however quickly the batches go.
    this.bars.update();
  }

  line(line: string): void {
    this.bars.log(`${line}\n`);
  }

  note(line: string): void {
    this.bars.log(`${line}\n`);
  }

  stop(): void {
    this.logs?.redirect(null);
    for (const { bar } of this.tasks.values()) this.bars.remove(bar);
    this.tasks.clear();
    // Lines logged since the last redraw are written on the next one: flush them before stopping.
    this.bars.update();
    this.bars.stop();
  }
}
