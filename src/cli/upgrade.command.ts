import { Inject } from '@nestjs/common';
import { InvalidArgumentError } from 'commander';
import { Command, Option } from 'nest-commander';

import { DEDUPE_RULES, DedupeRule } from '../upgrade/upgrade-step';
import { upgradeCommandName } from '../upgrade/upgrade-versions';
import { DEFAULT_STEP_OPTIONS, StepOutcome, UpgradeOutcome } from '../upgrade/upgrade.runner';
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
    description: `size batches so that each holds its locks about this long (default ${DEFAULT_STEP_OPTIONS.batchTargetMs}), up to --batch-size rows`,
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

const stepLines = (step: StepOutcome): string[] => [
  `  ${step.status.padEnd(16)} ${step.version} ${step.step}${step.error ? `: ${step.error}` : ''}`,
  ...step.notes.map((note) => `      ${note}`),
];

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
    // Each version in turn: its steps before the sync, its sync, its steps after.
    const versions = [...new Set([...outcome.steps.map((step) => step.version), ...outcome.syncs.map((sync) => sync.version)])];
    for (const version of versions) {
      const steps = outcome.steps.filter((step) => step.version === version);
      for (const step of steps.filter((candidate) => candidate.phase !== 'after-sync')) lines.push(...stepLines(step));
      for (const { outcome: sync } of outcome.syncs.filter((candidate) => candidate.version === version)) {
        if (sync.plan && (options.verbose || sync.status === 'failed')) {
          lines.push(`  sync ${version}: ${sync.status}`, ...formatPlan(sync.plan, options.verbose).map((line) => `  ${line}`));
        } else {
          lines.push(`  sync ${version}: ${sync.status}, ${sync.plan?.actions.length ?? 0} action(s)`);
        }
      }
      for (const step of steps.filter((candidate) => candidate.phase === 'after-sync')) lines.push(...stepLines(step));
    }
    return lines;
  },

  toJson(result) {
    return {
      id: result.workspaceId,
      status: result.detail?.status ?? 'failed',
      message: result.message,
      steps: result.detail?.steps ?? [],
      syncs: (result.detail?.syncs ?? []).map(({ version, outcome }) => ({
        version,
        status: outcome.status,
        actions: outcome.plan?.actions.map(actionJson) ?? [],
      })),
    };
  },
});

/** The name, aliases and description of an upgrade job's command. */
const commandMetadata = ({ name, upgrade, onlyStep }: UpgradeJob) => {
  if (!upgrade) {
    return {
      name,
      aliases: ['upgrade:latest'],
      description: 'Take workspaces to the latest version: every pending upgrade of each, in order (also upgrade:latest)',
    };
  }
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

/** The command of one upgrade job: a version's (`upgrade-0.23`), one step's (`upgrade-0.23:<step>`) or `upgrade` (to the latest). */
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
