import { FleetItemResult, FleetSummary } from '../workspace/workspace-fleet.runner';
import { RenderedResult } from '../workspace/workspace-walk';

/** How the command of one kind of walk reports a workspace's result. */
export interface WorkspaceReport<TDetail = unknown, TOptions = never> {
  /** The lines a person reads. */
  describe(result: FleetItemResult<TDetail>, options: TOptions): string[];
  /** Its entry of the JSON document's `workspaces`. */
  toJson(result: FleetItemResult<TDetail>): Record<string, unknown>;
}

/** One workspace's result as the run prints it: its entry of the JSON document with --json, else its lines. */
export const renderResult = <T, O extends { json?: boolean }>(
  report: WorkspaceReport<T, O>,
  result: FleetItemResult<T>,
  options: O,
): RenderedResult => (options.json ? { lines: [], json: report.toJson(result) } : { lines: report.describe(result, options), json: null });

/**
 * The end of a walk's output. With --json: one document (`workspaces`, `summary`, `stoppedEarly`,
 * `interrupted`, `notReached`) on stdout, the summary line on stderr. Without: why the run stopped
 * early, if it did, and the summary line.
 */
export class WalkReport {
  private readonly workspaces: Array<Record<string, unknown>> = [];

  constructor(
    private readonly json: boolean,
    private readonly print: (line: string) => void,
  ) {}

  add(rendered: RenderedResult): void {
    if (rendered.json) this.workspaces.push(rendered.json);
  }

  /** `signal`: what interrupted the run, if it was. */
  finish(summary: FleetSummary<unknown>, signal: unknown): void {
    const reached = summary.succeeded + summary.failed + summary.skipped;
    const notReached = summary.stoppedEarly || summary.interrupted ? Math.max(0, summary.total - reached) : 0;
    const line = `${summary.succeeded} succeeded, ${summary.failed} failed, ${summary.skipped} skipped`;
    const interruptedLine = summary.interrupted
      ? `Interrupted by ${String(signal)} after the workspaces in flight; ${notReached} workspace(s) not reached. Run the command again to do the rest.`
      : null;
    if (this.json) {
      this.print(
        JSON.stringify({
          workspaces: this.workspaces,
          summary: { succeeded: summary.succeeded, failed: summary.failed, skipped: summary.skipped },
          stoppedEarly: summary.stoppedEarly,
          interrupted: summary.interrupted,
          notReached,
        }),
      );
      if (interruptedLine) process.stderr.write(`${interruptedLine}\n`);
      process.stderr.write(`${line}\n`);
      return;
    }
    if (summary.stoppedEarly) {
      this.print(
        `Stopped at the first failure${notReached > 0 ? `, ${notReached} workspace(s) not reached` : ''}; pass --continue-on-error to go on past failures.`,
      );
    }
    if (interruptedLine) this.print(interruptedLine);
    this.print(line);
  }
}
