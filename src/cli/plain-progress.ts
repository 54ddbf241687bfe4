import { WalkProgress } from './walk-progress';

const formatDuration = (seconds: number): string => {
  if (!Number.isFinite(seconds)) return '?';
  const whole = Math.round(seconds);
  return whole >= 3600
    ? `${Math.floor(whole / 3600)}h ${Math.floor((whole % 3600) / 60)}m`
    : whole >= 60
      ? `${Math.floor(whole / 60)}m ${whole % 60}s`
      : `${whole}s`;
};

/** Not a terminal: the result lines as they come, and a progress line on stderr every 10 seconds. */
export class PlainProgress implements WalkProgress {
  private static readonly EVERY_MS = 10_000;
  private started = Date.now();
  private lastReport = Date.now();
  private total = 0;
  private done = 0;

  start(total: number): void {
    this.total = total;
    this.started = this.lastReport = Date.now();
  }

  advance(lines: string[], print: (line: string) => void): void {
    lines.forEach(print);
    this.done += 1;
    const now = Date.now();
    if (now - this.lastReport >= PlainProgress.EVERY_MS) {
      this.lastReport = now;
      const rate = this.done / ((now - this.started) / 1000);
      process.stderr.write(
        `progress: ${this.done}/${this.total} workspaces, ${rate.toFixed(1)}/s, ${formatDuration((this.total - this.done) / rate)} left\n`,
      );
    }
  }

  line(line: string, print: (line: string) => void): void {
    print(line);
  }

  note(line: string): void {
    process.stderr.write(`${line}\n`);
  }

  stop(): void {}
}
