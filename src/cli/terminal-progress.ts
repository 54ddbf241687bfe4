import { MultiBar, Presets, SingleBar } from 'cli-progress';

import { WalkProgress } from './walk-progress';

/** A progress bar with rate and time left on stderr, with result lines printed above it. */
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
  private started = Date.now();
  private done = 0;

  start(total: number): void {
    this.started = Date.now();
    this.bar = this.bars.create(total, 0, { rate: '0.0' });
  }

  advance(lines: string[]): void {
    for (const line of lines) this.bars.log(`${line}\n`);
    this.done += 1;
    const seconds = Math.max(0.001, (Date.now() - this.started) / 1000);
    this.bar?.increment(1, { rate: (this.done / seconds).toFixed(1) });
  }

  line(line: string): void {
    this.bars.log(`${line}\n`);
  }

  note(line: string): void {
    this.bars.log(`${line}\n`);
  }

  stop(): void {
    // Lines logged since the last redraw are written on the next one: flush them before stopping.
    this.bars.update();
    this.bars.stop();
  }
}
