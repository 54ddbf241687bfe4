import { Provider } from '@nestjs/common';

import { AppConfig } from '../config/app-config';
import { FAULT_INJECTION, FaultInjection } from '../config/fault-injection';
import { WorkspaceRow } from '../metadata/workspace.repository';
import { DedupeRule, UpgradeStep } from '../upgrade/upgrade-step';
import { upgradeCommandName, UPGRADE_VERSIONS, UpgradeVersion } from '../upgrade/upgrade-versions';
import { nextUpgradeFor, UpgradeOutcome, UpgradeRunner } from '../upgrade/upgrade.runner';
import { FleetWork } from './workspace-fleet.runner';
import { fleetStatusOf, WorkspaceJobHandler } from './workspace-job.handler';
import { WorkspaceMeasures } from './workspace-outcome.log';

export interface UpgradeJobOptions {
  dryRun?: boolean;
  batchSize?: number;
  batchTime?: number;
  dedupe?: DedupeRule;
}

/** What one upgrade command runs: a version's upgrade, one step of it, or every pending upgrade. */
export interface UpgradeJob {
  /** The name of its command and jobs. */
  name: string;
  /** null: every pending upgrade, in order (`upgrade`, alias upgrade:latest). */
  upgrade: UpgradeVersion | null;
  onlyStep: UpgradeStep | null;
}

/** Every pending upgrade of a workspace, in order: the `upgrade` command (alias upgrade:latest). */
export const LATEST_UPGRADE_JOB: UpgradeJob = { name: 'upgrade', upgrade: null, onlyStep: null };

/** Each version's upgrade, then one job per step of it (`upgrade-0.23:<step>`); `upgrade` (to the latest) last. */
export const UPGRADE_JOBS: UpgradeJob[] = [
  ...UPGRADE_VERSIONS.flatMap((upgrade) => [
    { name: upgradeCommandName(upgrade.version), upgrade, onlyStep: null },
    ...upgrade.steps.map((step) => ({ name: `${upgradeCommandName(upgrade.version)}:${step.name}`, upgrade, onlyStep: step })),
  ]),
  LATEST_UPGRADE_JOB,
];

/**
 * How often a running index build's progress is read: PROGRESS_INTERVAL_MS, but at least once a
 * second (so a terminal's bar moves) and at most every 100 ms. None on the embedded database: it
 * is one session, so no second connection can watch the build.
 */
export const indexProgressMsOf = (config: Pick<AppConfig, 'DATABASE_URL' | 'PROGRESS_INTERVAL_MS'>): number | undefined =>
  config.DATABASE_URL ? Math.min(1_000, Math.max(100, config.PROGRESS_INTERVAL_MS)) : undefined;

/** Runs one upgrade job on one workspace. */
export class UpgradeJobHandler implements WorkspaceJobHandler<UpgradeOutcome, UpgradeJobOptions> {
  constructor(
    private readonly runner: UpgradeRunner,
    private readonly faults: FaultInjection,
    readonly job: UpgradeJob,
    private readonly indexProgressMs?: number,
  ) {}

  get name(): string {
    return this.job.name;
  }

  /** Already at the version (or at the latest): the runner answers before touching the database. */
  isSettledByRow(workspace: WorkspaceRow): boolean {
    return this.job.upgrade ? workspace.version === this.job.upgrade.version : nextUpgradeFor(workspace.version) === null;
  }

  async process(workspace: WorkspaceRow, options: UpgradeJobOptions): Promise<FleetWork<UpgradeOutcome>> {
    const upgradeOptions = {
      dryRun: options.dryRun,
      onlyStep: this.job.onlyStep?.name,
      dedupe: options.dedupe,
      beforeBatchCommit: this.faults.beforeBatchCommit,
      crashPoint: this.faults.crashPoint,
      onStatement: this.faults.onStatement,
      indexProgressMs: this.indexProgressMs,
      ...(options.batchSize ? { batchSize: options.batchSize } : {}),
      ...(options.batchTime ? { batchTargetMs: options.batchTime } : {}),
    };
    const outcome = this.job.upgrade
      ? await this.runner.upgrade(workspace, this.job.upgrade.version, upgradeOptions)
      : await this.runner.upgradeToLatest(workspace, upgradeOptions);
    return { status: fleetStatusOf(outcome.status), detail: outcome, message: outcome.message };
  }

  /** Actions: the steps that ran (or would) and the sync's plan actions. */
  measure(outcome: UpgradeOutcome): WorkspaceMeasures {
    const steps = outcome.steps.filter((step) => step.status === 'done' || step.status === 'would-run');
    return {
      status: outcome.status,
      actions: steps.length + outcome.syncs.reduce((sum, sync) => sum + (sync.outcome.plan?.actions.length ?? 0), 0),
      rowsMoved: outcome.steps.reduce((sum, step) => sum + step.rowsAffected, 0),
    };
  }
}

/** The provider token of an upgrade job's handler. */
export const upgradeJobHandlerToken = (job: UpgradeJob): string => `UpgradeJobHandler ${job.name}`;

/** One handler per upgrade job, all on the one UpgradeRunner. */
export const UPGRADE_JOB_HANDLER_PROVIDERS: Provider[] = UPGRADE_JOBS.map((job) => ({
  provide: upgradeJobHandlerToken(job),
  inject: [UpgradeRunner, FAULT_INJECTION, AppConfig],
  useFactory: (runner: UpgradeRunner, faults: FaultInjection, config: AppConfig) =>
    new UpgradeJobHandler(runner, faults, job, indexProgressMsOf(config)),
}));
