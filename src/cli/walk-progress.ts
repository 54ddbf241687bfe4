import { StepProgress } from '../observability/step-progress';

/** How a walk shows its progress on stderr while it prints each workspace's lines. */
export interface WalkProgress {
  start(total: number): void;
  /** Prints one workspace's lines and counts it. */
  advance(lines: string[], print: (line: string) => void): void;
  /** Rows done of a long task (a data move, a backfill, an index build) of a workspace in flight. */
  step(progress: StepProgress): void;
  /** Prints a line of the report that is not a workspace's (a stage's summary). */
  line(line: string, print: (line: string) => void): void;
  note(line: string): void;
  stop(): void;
}

/** The key of one task of one step of one workspace. */
export const taskKey = (progress: StepProgress): string => `${progress.workspaceId} ${progress.version} ${progress.step} ${progress.task}`;
