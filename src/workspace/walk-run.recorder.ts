import { hostname } from 'node:os';

import { WalkRunProgress, WalkRunRepository, WalkRunStatus, WorkspaceOutcomeRow } from './walk-run.repository';
import { WorkspaceOutcomeEntry } from './workspace-outcome.log';

/** How often a run writes its progress at most, and how often it says it is alive when nothing moves. */
export const RUN_WRITE_INTERVAL_MS = 1_000;
export const RUN_HEARTBEAT_MS = 15_000;

/**
 * Records one walk where the console reads it: the run and its counts, and each workspace's
 * outcome. Outcomes are kept in memory and written together, at most once a second (one
 * statement), so a fleet of thousands costs a statement a second, not one per workspace. A
 * write that fails is said once through `note` and tried again with the next: the walk goes on.
 *
 * A run of one workspace writes twice, at its start and its end, whatever its duration: the
 * statements a run sends stay the same from one run to the next (the crash tests kill a process
 * after its n-th statement). A longer run also writes every 15 s while nothing finishes, so
 * the console can tell a quiet run from a stopped one. Writes during the run wait for an idle
 * connection of the pool, so the record never makes the pool open a connection of its own: one
 * that sat idle would be the next workspace's when the server ends every session.
 */
export class WalkRunRecorder {
  private readonly progress: WalkRunProgress = { total: null, succeeded: 0, failed: 0, skipped: 0, status: 'RUNNING', error: null };
  private pending = new Map<string, WorkspaceOutcomeRow>();
  private timer: NodeJS.Timeout | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  private lastWrite = 0;
  private failing = false;

  private constructor(
    private readonly repository: WalkRunRepository,
    private readonly runId: string,
    private readonly note: (line: string) => void,
    private readonly now: () => number,
    private readonly hasIdleConnection: () => boolean,
  ) {}

  /** Inserts the run; null (said through `note`) when it cannot be recorded, and the walk runs unrecorded. */
  static async start(
    repository: WalkRunRepository,
    run: { command: string; queued: boolean; dryRun: boolean },
    note: (line: string) => void,
    options: { now?: () => number; hasIdleConnection?: () => boolean } = {},
  ): Promise<WalkRunRecorder | null> {
    try {
      const id = await repository.insert({ ...run, host: hostname(), pid: process.pid });
      return new WalkRunRecorder(repository, id, note, options.now ?? Date.now, options.hasIdleConnection ?? (() => true));
    } catch (error) {
      note(`the run is not recorded for the console: ${(error as Error).message}`);
      return null;
    }
  }

  get id(): string {
    return this.runId;
  }

  /** The workspaces the run selected. */
  begin(total: number): void {
    this.progress.total = total;
    if (total <= 1) return;
    this.heartbeat = setInterval(() => {
      if (this.timer === null && this.progress.status === 'RUNNING' && this.hasIdleConnection()) void this.write();
    }, RUN_HEARTBEAT_MS);
    this.heartbeat.unref();
    this.schedule();
  }

  add(entry: WorkspaceOutcomeEntry): void {
    this.progress[entry.outcome] += 1;
    this.pending.set(`${entry.workspaceId}/${entry.command}`, {
      workspaceId: entry.workspaceId,
      command: entry.command,
      outcome: entry.outcome,
      status: entry.measures?.status ?? entry.outcome,
      message: entry.message,
      finishedAt: new Date(this.now()),
    });
    this.schedule();
  }

  /** Writes what is left with the run's end. */
  async finish(status: Exclude<WalkRunStatus, 'RUNNING'>, error: string | null = null): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.progress.status = status;
    this.progress.error = error;
    await this.write();
  }

  /**
   * A write within the interval: now if the last is older, else when the interval has passed;
   * none once every workspace has finished (the end writes) or for a run of one.
   */
  private schedule(): void {
    const { total, succeeded, failed, skipped, status } = this.progress;
    if (this.timer || status !== 'RUNNING' || total === null || total <= 1 || succeeded + failed + skipped >= total) return;
    const wait = Math.max(0, this.lastWrite + RUN_WRITE_INTERVAL_MS - this.now());
    this.timer = setTimeout(
      () => {
        this.timer = null;
        // Every connection busy with workspaces: wait for one to be free rather than open another
        // (a connection opened for this write would sit idle in the pool between writes).
        if (this.hasIdleConnection()) void this.write();
        else this.schedule();
      },
      Math.max(wait, this.hasIdleConnection() ? 0 : RUN_WRITE_INTERVAL_MS),
    );
  }

  private write(): Promise<void> {
    this.writing = this.writing.then(async () => {
      const outcomes = [...this.pending.values()];
      this.pending = new Map();
      this.lastWrite = this.now();
      try {
        await this.repository.write(this.runId, { ...this.progress }, outcomes);
        this.failing = false;
      } catch (error) {
        // Kept for the next write, unless a newer outcome of the same workspace came meanwhile.
        for (const row of outcomes) {
          const key = `${row.workspaceId}/${row.command}`;
          if (!this.pending.has(key)) this.pending.set(key, row);
        }
        if (!this.failing) this.note(`could not record the run's progress for the console: ${(error as Error).message}`);
        this.failing = true;
      }
    });
    return this.writing;
  }
}
