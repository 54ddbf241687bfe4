import { FleetItemResult, FleetStageSummary, FleetSummary } from '../workspace/workspace-fleet.runner';
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

const counts = (stage: { succeeded: number; failed: number; skipped: number }): string =>
  `${stage.succeeded} succeeded, ${stage.failed} failed, ${stage.skipped} skipped`;

const capitalized = (text: string): string => `${text[0].toUpperCase()}${text.slice(1)}`;

/** A stage's summary line, printed as it ends. */
export const describeStage = (stage: FleetStageSummary): string =>
  `${capitalized(stage.name)}, ${stage.size} workspace(s): ${counts(stage)}${stage.halted ? ' (halted)' : ''}`;

const stageJson = (stage: FleetStageSummary) => ({
  name: stage.name,
  workspaces: stage.size,
  maxFailures: stage.requiresSuccess ? 0 : Number.isFinite(stage.maxFailures) ? stage.maxFailures : null,
  succeeded: stage.succeeded,
  failed: stage.failed,
  skipped: stage.skipped,
  halted: stage.halted,
});

/** Why a staged run halted, and how to resume it. */
const haltLine = (stage: FleetStageSummary, notReached: number): string => {
  const resume =
    'Fix what failed and run the same command again to resume: the workspaces already done have nothing left to do and go by fast.';
  return stage.requiresSuccess
    ? `Halted: the canary did not succeed (${counts(stage)}); the other ${notReached} workspace(s) were not touched. ${resume}`
    : `Halted at ${stage.name}: ${stage.failed} failed, more than the ${stage.maxFailures} allowed (--max-failures); ${notReached} workspace(s) not reached. ${resume}`;
};

/**
 * The end of a walk's output. With --json: one document (`workspaces`, `summary`, `stoppedEarly`,
 * `interrupted`, `notReached`; staged: `stages` and `halted`) on stdout, the summary line on
 * stderr. Without: why the run stopped early or halted, if it did, and the summary line.
 */
export class WalkReport {
  private readonly workspaces: Array<Record<string, unknown>> = [];

  constructor(
    private readonly json: boolean,
    private readonly print: (line: string) => void,
    /** A canary or stages: their summaries go in the JSON document, and a halt says how to resume. */
    private readonly staged = false,
  ) {}

  add(rendered: RenderedResult): void {
    if (rendered.json) this.workspaces.push(rendered.json);
  }

  /** `signal`: what interrupted the run, if it was. */
  finish(summary: FleetSummary<unknown>, signal: unknown): void {
    const reached = summary.succeeded + summary.failed + summary.skipped;
    const notReached = summary.stoppedEarly || summary.interrupted ? Math.max(0, summary.total - reached) : 0;
    const line = counts(summary);
    const halted = this.staged ? summary.stages.find((stage) => stage.halted) : undefined;
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
          ...(this.staged ? { stages: summary.stages.map(stageJson), halted: halted?.name ?? null } : {}),
        }),
      );
      if (halted) process.stderr.write(`${haltLine(halted, notReached)}\n`);
      if (interruptedLine) process.stderr.write(`${interruptedLine}\n`);
      process.stderr.write(`${line}\n`);
      return;
    }
    if (halted) {
      this.print(haltLine(halted, notReached));
    } else if (summary.stoppedEarly) {
      this.print(
        `Stopped at the first failure${notReached > 0 ? `, ${notReached} workspace(s) not reached` : ''}; pass --continue-on-error to go on past failures.`,
      );
    }
    if (interruptedLine) this.print(interruptedLine);
    this.print(line);
  }
}
