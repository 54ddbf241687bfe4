import { Inject } from '@nestjs/common';
import { InvalidArgumentError } from 'commander';
import { Command, Option } from 'nest-commander';
import { DataSource } from 'typeorm';

import { DatabaseService } from '../database/database.service';
import { DEDUPE_RULES, DedupeRule, UpgradeStep } from '../upgrade/upgrade-step';
import { upgradeCommandName, UPGRADE_VERSIONS, UpgradeVersion } from '../upgrade/upgrade-versions';
import { nextUpgradeFor, UpgradeOutcome, UpgradeRunner } from '../upgrade/upgrade.runner';
import { FleetItemResult } from '../workspace/workspace-fleet.runner';
import { WorkspaceRow } from '../metadata/workspace.repository';
import { actionJson, formatPlan } from './plan.format';
import { parsePositiveInteger, WorkspaceWalkCommand, WorkspaceWalkOptions, WorkspaceWork } from './workspace-walk.command';

interface UpgradeCommandOptions extends WorkspaceWalkOptions {
  batchSize?: number;
  batchTime?: number;
  dedupe?: DedupeRule;
}

/** Runs one version's upgrade (or one step of it) over the selected workspaces. */
abstract class UpgradeWalkCommand extends WorkspaceWalkCommand<UpgradeOutcome, UpgradeCommandOptions> {
  private runner: UpgradeRunner | undefined;

  /** The version this command runs; null for upgrade:latest, which runs every pending one. */
  protected abstract readonly upgrade: UpgradeVersion | null;
  protected readonly onlyStep: UpgradeStep | null = null;

  @Option({
    flags: '--batch-size <n>',
    description: 'rows per batch of a data move; alone: every batch this size (default: batches sized by --batch-time, at most 10000 rows)',
  })
  parseBatchSize(value: string): number {
    return parsePositiveInteger(value, '--batch-size', 1_000_000);
  }

  @Option({ flags: '--batch-time <ms>', description: 'size batches so that each holds its locks about this long (default 100), up to --batch-size rows' })
  parseBatchTime(value: string): number {
    return parsePositiveInteger(value, '--batch-time', 60_000);
  }

  @Option({ flags: '--dedupe <rule>', description: `resolve duplicates found before a unique index is built (${DEDUPE_RULES.join(', ')}); default: stop and report them` })
  parseDedupe(value: string): DedupeRule {
    if (!DEDUPE_RULES.includes(value as DedupeRule)) {
      throw new InvalidArgumentError(`--dedupe takes one of ${DEDUPE_RULES.join(', ')}; got "${value.slice(0, 40)}".`);
    }
    return value as DedupeRule;
  }

  /** Already at the version (or at the latest): the runner answers before touching the database. */
  protected override isSettledByRow(workspace: WorkspaceRow): boolean {
    return this.upgrade ? workspace.version === this.upgrade.version : nextUpgradeFor(workspace.version) === null;
  }

  protected async processWorkspace(workspace: WorkspaceRow, options: UpgradeCommandOptions, dataSource: DataSource): Promise<WorkspaceWork<UpgradeOutcome>> {
    this.runner ??= new UpgradeRunner(dataSource);
    const upgradeOptions = {
      dryRun: options.dryRun,
      onlyStep: this.onlyStep?.name,
      dedupe: options.dedupe,
      beforeBatchCommit: this.faults.beforeBatchCommit,
      crashPoint: this.faults.crashPoint,
      onStatement: this.faults.onStatement,
      ...(options.batchSize ? { batchSize: options.batchSize } : {}),
      ...(options.batchTime ? { batchTargetMs: options.batchTime } : {}),
    };
    const outcome = this.upgrade ? await this.runner.upgrade(workspace, this.upgrade.version, upgradeOptions) : await this.runner.upgradeToLatest(workspace, upgradeOptions);
    return {
      status: outcome.status === 'failed' ? 'failed' : outcome.status === 'skipped' ? 'skipped' : 'succeeded',
      detail: outcome,
      message: outcome.message,
    };
  }

  protected describe(result: FleetItemResult<UpgradeOutcome>, options: UpgradeCommandOptions): string[] {
    const outcome = result.detail;
    if (!outcome) return [`✖ ${result.workspaceId}: failed: ${result.message}`];
    const name = `${result.workspaceId} (${outcome.schemaName})`;
    const head = {
      upgraded: `✔ ${name}: ${this.onlyStep ? `ran ${this.onlyStep.name}` : `upgraded to ${outcome.version}`}`,
      'up-to-date': `= ${name}: ${outcome.message ?? 'nothing to do'}`,
      planned: `~ ${name}: dry run, nothing written${outcome.message ? ` (${outcome.message})` : ''}`,
      failed: `✖ ${name}: failed: ${outcome.message}`,
      skipped: `- ${name}: ${outcome.message}`,
    }[outcome.status];
    const lines = [head];
    for (const step of outcome.steps) {
      lines.push(`  ${step.status.padEnd(16)} ${step.version} ${step.step}${step.error ? `: ${step.error}` : ''}`);
      for (const note of step.notes) lines.push(`      ${note}`);
    }
    if (outcome.sync?.plan && (options.verbose || outcome.sync.status === 'failed')) {
      lines.push(`  sync: ${outcome.sync.status}`, ...formatPlan(outcome.sync.plan, options.verbose).map((line) => `  ${line}`));
    } else if (outcome.sync) {
      lines.push(`  sync: ${outcome.sync.status}, ${outcome.sync.plan?.actions.length ?? 0} action(s)`);
    }
    return lines;
  }

  protected toJson(result: FleetItemResult<UpgradeOutcome>): Record<string, unknown> {
    return {
      id: result.workspaceId,
      status: result.detail?.status ?? 'failed',
      message: result.message,
      steps: result.detail?.steps ?? [],
      sync: result.detail?.sync ? { status: result.detail.sync.status, actions: result.detail.sync.plan?.actions.map(actionJson) ?? [] } : null,
    };
  }
}

/** Builds the command class of one version, and one per step (`upgrade-0.23:<step>`). */
const upgradeCommands = (upgrade: UpgradeVersion) => {
  @Command({
    name: upgradeCommandName(upgrade.version),
    aliases: [`upgrade:${upgrade.version.replace('.', '-')}`],
    description: `Upgrade workspaces at ${upgrade.previous} to ${upgrade.version}: steps before sync, sync, steps after sync, version`,
  })
  class VersionCommand extends UpgradeWalkCommand {
    protected readonly upgrade = upgrade;

    constructor(@Inject(DatabaseService) database: DatabaseService) {
      super(database);
    }
  }
  Object.defineProperty(VersionCommand, 'name', { value: `Upgrade${upgrade.version.replace('.', '')}Command` });

  const stepCommands = upgrade.steps.map((step) => {
    @Command({ name: `${upgradeCommandName(upgrade.version)}:${step.name}`, description: `${step.description} (one step of ${upgradeCommandName(upgrade.version)})` })
    class StepCommand extends UpgradeWalkCommand {
      protected readonly upgrade = upgrade;
      protected override readonly onlyStep = step;

      constructor(@Inject(DatabaseService) database: DatabaseService) {
        super(database);
      }
    }
    Object.defineProperty(StepCommand, 'name', { value: `Upgrade${upgrade.version.replace('.', '')}${step.name.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase())}Command` });
    return StepCommand;
  });
  return [VersionCommand, ...stepCommands];
};

@Command({ name: 'upgrade:latest', description: 'Run every pending upgrade of workspaces, in order, up to the current version' })
class UpgradeLatestCommand extends UpgradeWalkCommand {
  protected readonly upgrade = null;

  constructor(@Inject(DatabaseService) database: DatabaseService) {
    super(database);
  }
}

export const UPGRADE_COMMANDS = [...UPGRADE_VERSIONS.flatMap(upgradeCommands), UpgradeLatestCommand];
