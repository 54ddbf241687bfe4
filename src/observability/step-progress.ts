import { Injectable } from '@nestjs/common';
import { EventEmitter } from 'node:events';

/** What a long step of one workspace is doing: a data move, a backfill or an index build. */
export type StepTask = 'move' | 'backfill' | 'index';

export interface StepProgress {
  workspaceId: string;
  version: string;
  step: string;
  task: StepTask;
  /** Rows done so far (for a resumed move, counting those moved before the interruption). */
  done: number;
  /** Rows in all; an estimate for an index build. */
  total: number;
  /** What done and total count: rows unless said (a running index build counts blocks while it scans). */
  unit?: 'rows' | 'blocks';
  /** The phase of a running index build, as PostgreSQL names it (`building index: scanning table`). */
  phase?: string;
  /** The server process that runs an index build. */
  pid?: number;
  /** The task ended (done may then be below an estimated total). */
  finished: boolean;
}

/**
 * Where upgrade steps publish their progress in rows, for whoever shows it: the walk's terminal
 * bar or its log lines, a worker's log.
 */
@Injectable()
export class StepProgressEvents {
  private readonly emitter = new EventEmitter();

  publish(progress: StepProgress): void {
    this.emitter.emit('progress', progress);
  }

  /** Returns the function that unsubscribes. */
  subscribe(listener: (progress: StepProgress) => void): () => void {
    this.emitter.on('progress', listener);
    return () => this.emitter.off('progress', listener);
  }
}
