import { Logger } from 'pino';

import { formatDuration, ProgressMeter } from '../observability/progress-meter';
import { StepProgress } from '../observability/step-progress';
import { taskKey, WalkProgress } from './walk-progress';

/** How often progress is logged, and the clock it is measured with (tests give their own). */
export interface PlainProgressOptions {
  everyMs: number;
  clock?: () => number;
}

/**
 * Not a terminal: the result lines as they come, and log lines of progress every `everyMs`: of the
 * walk (workspaces done of the total), and of each long task of a workspace (rows done, rate, time
 * left), with a last line when a task that was reported on ends.
 */
export class PlainProgress implements WalkProgress {
  private readonly clock: () => number;
  private readonly walk: ProgressMeter;
  private readonly tasks = new Map<string, { meter: ProgressMeter; startedAt: number; reported: boolean; unit: string }>();
  private total = 0;
  private done = 0;

  constructor(
    private readonly logger: Logger,
    private readonly options: PlainProgressOptions,
  ) {
    this.clock = options.clock ?? Date.now;
    this.walk = new ProgressMeter(options.everyMs, this.clock);
  }

  start(total: number): void {
    this.total = total;
    this.walk.restart();
  }

  advance(lines: string[], print: (line: string) => void): void {
    lines.forEach(print);
    this.done += 1;
    if (this.walk.due()) {
      const rate = this.walk.rate(this.done);
      const secondsLeft = this.walk.secondsLeft(this.done, this.total);
      this.logger.info(
        {
          done: this.done,
          total: this.total,
          perSecond: Number(rate.toFixed(2)),
          secondsLeft: secondsLeft === null ? null : Math.round(secondsLeft),
        },
        `progress: ${this.done}/${this.total} workspaces, ${rate.toFixed(1)}/s, ${formatDuration(secondsLeft)} left`,
      );
    }
  }

  step(progress: StepProgress): void {
    const key = taskKey(progress);
    let task = this.tasks.get(key);
    const unit = progress.unit ?? 'rows';
    if (!task) {
      task = { meter: new ProgressMeter(this.options.everyMs, this.clock), startedAt: progress.done, reported: false, unit };
      this.tasks.set(key, task);
    } else if (task.unit !== unit) {
      // An index build that counted blocks now counts tuples (or the reverse): its rate starts again.
      Object.assign(task, { meter: new ProgressMeter(this.options.everyMs, this.clock), startedAt: progress.done, unit });
    }
    if (progress.finished) {
      this.tasks.delete(key);
      if (task.reported || this.options.everyMs === 0) this.log(progress, task.meter, task.startedAt);
      return;
    }
    if (task.meter.due()) {
      task.reported = true;
      this.log(progress, task.meter, task.startedAt);
    }
  }

  line(line: string, print: (line: string) => void): void {
    print(line);
  }

  note(line: string): void {
    process.stderr.write(`${line}\n`);
  }

  stop(): void {}

  private log(progress: StepProgress, meter: ProgressMeter, startedAt: number): void {
    // The rate of this run only: rows a resumed task did before do not count.
    const rate = meter.rate(progress.done - startedAt);
    const secondsLeft = progress.finished ? 0 : rate > 0 ? (progress.total - progress.done) / rate : null;
    const unit = progress.unit ?? 'rows';
    const phase = progress.phase ? `: ${progress.phase}` : '';
    this.logger.info(
      {
        workspaceId: progress.workspaceId,
        version: progress.version,
        step: progress.step,
        task: progress.task,
        ...(progress.phase ? { phase: progress.phase } : {}),
        ...(progress.pid !== undefined ? { pid: progress.pid } : {}),
        done: progress.done,
        total: progress.total,
        unit,
        [`${unit}PerSecond`]: Math.round(rate),
        secondsLeft: secondsLeft === null ? null : Math.round(secondsLeft),
        finished: progress.finished,
      },
      `${progress.step} (${progress.task}${phase}) of workspace ${progress.workspaceId}: ${progress.done}/${progress.total} ${unit}, ` +
        `${Math.round(rate)} ${unit}/s, ${progress.finished ? 'done' : `${formatDuration(secondsLeft)} left`}`,
    );
  }
}
