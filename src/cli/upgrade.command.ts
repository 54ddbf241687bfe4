import { Inject } from '@nestjs/common';
import { InvalidArgumentError } from 'commander';
import { Command, Option } from 'nest-commander';

import { DEDUPE_RULES, DedupeRule } from '../upgrade/upgrade-step';
import { upgradeCommandName } from '../upgrade/upgrade-versions';
import { UpgradeOutcome } from '../upgrade/upgrade.runner';
import { UPGRADE_JOBS, UpgradeJob, UpgradeJobHandler, upgradeJobHandlerToken, UpgradeJobOptions } from '../workspace/upgrade-job.handler';
import { WorkspaceJobDispatcher } from '../workspace/workspace-job.dispatcher';
import { actionJson, formatPlan } from './plan.format';
import { WorkspaceReport } from './walk-report';
import { parsePositiveInteger, WorkspaceWalkCommand, WorkspaceWalkOptions } from './workspace-walk.command';

interface UpgradeCommandOptions extends WorkspaceWalkOptions, UpgradeJobOptions {}

/** The options of the commands that upgrade: how data moves are batched, and duplicates resolved. */
abstract class UpgradeWalkCommand extends WorkspaceWalkCommand<UpgradeOutcome, UpgradeCommandOptions> {
  @Option({
    flags: '--batch-size <n>',
    description: 'rows per batch of a data move; alone: every batch this size (default: batches sized by --batch-time, at most 10000 rows)',
  })
  parseBatchSize(value: string): number {
    return parsePositiveInteger(value, '--batch-size', 1_000_000);
  }

  @Option({
    flags: '--batch-time <ms>',
    description: 'size batches so that each holds its locks about this long (default 100), up to --batch-size rows',
  })
  parseBatchTime(value: string): number {
    return parsePositiveInteger(value, '--batch-time', 60_000);
  }

  @Option({
    flags: '--dedupe <rule>',
    description: `resolve duplicates found before a unique index is built (${DEDUPE_RULES.join(', ')}); default: stop and report them`,
  })
  parseDedupe(value: string): DedupeRule {
    if (!DEDUPE_RULES.includes(value as DedupeRule)) {
      throw new InvalidArgumentError(`--dedupe takes one of ${DEDUPE_RULES.join(', ')}; got "${value.slice(0, 40)}".`);
    }
    return value as DedupeRule;
  }
}

/** How an upgrade command reports a workspace: its outcome, each step, and the sync (its plan with -v or when it failed). */
export const upgradeReport = (job: UpgradeJob): WorkspaceReport<UpgradeOutcome, UpgradeCommandOptions> => ({
  describe(result, options) {
    const outcome = result.detail;
    if (!outcome) return [`✖ ${result.workspaceId}: failed: ${result.message}`];
    const name = `${result.workspaceId} (${outcome.schemaName})`;
    const head = {
      upgraded: `✔ ${name}: ${job.onlyStep ? `ran ${job.onlyStep.name}` : `upgraded to ${outcome.version}`}`,
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
  },

  toJson(result) {
    return {
      id: result.workspaceId,
      status: result.detail?.status ?? 'failed',
      message: result.message,
      steps: result.detail?.steps ?? [],
      sync: result.detail?.sync
        ? { status: result.detail.sync.status, actions: result.detail.sync.plan?.actions.map(actionJson) ?? [] }
        : null,
    };
  },
});

/** The name, aliases and description of an upgrade job's command. */
const commandMetadata = ({ name, upgrade, onlyStep }: UpgradeJob) => {
  if (!upgrade) return { name, description: 'Run every pending upgrade of workspaces, in order, up to the current version' };
  if (onlyStep) return { name, description: `${onlyStep.description} (one step of ${upgradeCommandName(upgrade.version)})` };
  return {
    name,
    aliases: [`upgrade:${upgrade.version.replace('.', '-')}`],
    description: `Upgrade workspaces at ${upgrade.previous} to ${upgrade.version}: steps before sync, sync, steps after sync, version`,
  };
};

/** A class name for each generated command: Upgrade023Command, Upgrade023MigrateEmailFieldsToEmailsCommand, UpgradeLatestCommand. */
const className = ({ upgrade, onlyStep }: UpgradeJob): string => {
  const version = upgrade ? upgrade.version.replace('.', '') : 'Latest';
  const step = onlyStep ? onlyStep.name.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase()) : '';
  return `Upgrade${version}${step}Command`;
};

/** The command of one upgrade job: a version's (`upgrade-0.23`), one step's (`upgrade-0.23:<step>`) or upgrade:latest. */
const upgradeCommand = (job: UpgradeJob) => {
  @Command(commandMetadata(job))
  class UpgradeCommand extends UpgradeWalkCommand {
    constructor(
      @Inject(WorkspaceJobDispatcher) dispatcher: WorkspaceJobDispatcher,
      @Inject(upgradeJobHandlerToken(job)) handler: UpgradeJobHandler,
    ) {
      super(dispatcher, handler, upgradeReport(job));
    }
  }
  Object.defineProperty(UpgradeCommand, 'name', { value: className(job) });
  return UpgradeCommand;
};

export const UPGRADE_COMMANDS = UPGRADE_JOBS.map(upgradeCommand);
