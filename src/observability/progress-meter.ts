/** Rate and time left of a count that grows towards a total, and when the next report is due. */
export class ProgressMeter {
  private started: number;
  private lastReport: number;

  constructor(
    /** Milliseconds between two reports; 0: every time it is asked. */
    private readonly everyMs: number,
    private readonly clock: () => number = Date.now,
  ) {
    this.started = this.lastReport = clock();
  }

  restart(): void {
    this.started = this.lastReport = this.clock();
  }

  /** True once `everyMs` passed since the last report that was due (which this call counts as made). */
  due(): boolean {
    const now = this.clock();
    if (now - this.lastReport < this.everyMs) return false;
    this.lastReport = now;
    return true;
  }

  /** Per second since the start, for `done` counted since the start. */
  rate(done: number): number {
    const seconds = (this.clock() - this.started) / 1000;
    return seconds > 0 ? done / seconds : 0;
  }

  /** Seconds left at the rate so far; null when it cannot be told yet. */
  secondsLeft(done: number, total: number): number | null {
    const rate = this.rate(done);
    return rate > 0 ? Math.max(0, (total - done) / rate) : null;
  }
}

export const formatDuration = (seconds: number | null): string => {
  if (seconds === null || !Number.isFinite(seconds)) return '?';
  const whole = Math.round(seconds);
  return whole >= 3600
    ? `${Math.floor(whole / 3600)}h ${Math.floor((whole % 3600) / 60)}m`
    : whole >= 60
      ? `${Math.floor(whole / 60)}m ${whole % 60}s`
      : `${whole}s`;
};
