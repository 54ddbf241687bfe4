/** How a walk shows its progress on stderr while it prints each workspace's lines. */
export interface WalkProgress {
  start(total: number): void;
  /** Prints one workspace's lines and counts it. */
  advance(lines: string[], print: (line: string) => void): void;
  /** Prints a line of the report that is not a workspace's (a stage's summary). */
  line(line: string, print: (line: string) => void): void;
  note(line: string): void;
  stop(): void;
}
