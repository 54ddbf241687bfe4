import { Inject } from '@nestjs/common';
import { InvalidArgumentError } from 'commander';
import { Command, Option } from 'nest-commander';

import { ALLOWABLE_HAZARDS, Hazard } from '../sync/plan';
import { SYNC_METADATA_JOB, SyncJobHandler, SyncJobOptions } from '../workspace/sync-job.handler';
import { WorkspaceJobDispatcher } from '../workspace/workspace-job.dispatcher';
import { actionJson, formatPlan } from './plan.format';
import { WorkspaceReport } from './walk-report';
import { WorkspaceWalkCommand, WorkspaceWalkOptions } from './workspace-walk.command';
import { WorkspaceOutcome } from '../sync/sync-result';

interface SyncMetadataOptions extends WorkspaceWalkOptions, SyncJobOptions {}

@Command({
  name: SYNC_METADATA_JOB,
  description: 'Bring workspaces in step with the declared objects and fields (one transaction per workspace)',
})
export class SyncMetadataCommand extends WorkspaceWalkCommand<WorkspaceOutcome, SyncMetadataOptions> {
  constructor(@Inject(WorkspaceJobDispatcher) dispatcher: WorkspaceJobDispatcher, @Inject(SyncJobHandler) handler: SyncJobHandler) {
    super(dispatcher, handler, SYNC_METADATA_REPORT);
  }

  @Option({ flags: '--check', description: 'compare the whole workspace with the live schema, even where the fingerprint says in sync' })
  parseCheck(): boolean {
    return true;
  }

  @Option({ flags: '-f, --force', description: 'skip the health check (sync even where metadata and tables drifted)' })
  parseForce(): boolean {
    return true;
  }

  @Option({
    flags: '--allow-hazards <list>',
    description: `apply actions with these hazards (comma-separated: ${ALLOWABLE_HAZARDS.join(', ')})`,
  })
  parseAllowHazards(value: string, previous: Hazard[] = []): Hazard[] {
    const hazards = value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
    for (const hazard of hazards) {
      if (!ALLOWABLE_HAZARDS.includes(hazard as Hazard)) {
        throw new InvalidArgumentError(
          hazard === Hazard.TYPE_CHANGE || hazard === Hazard.NAME_CONFLICT
            ? `${hazard} cannot be allowed: type changes go through the upgrade commands, name conflicts are resolved by renaming.`
            : `"${hazard.slice(0, 40)}" is not a hazard that can be allowed (${ALLOWABLE_HAZARDS.join(', ')}).`,
        );
      }
    }
    return [...previous, ...(hazards as Hazard[])];
  }
}

/** How workspace:sync-metadata reports a workspace: its outcome, and the plan on a dry run, with -v or when refused. */
export const SYNC_METADATA_REPORT: WorkspaceReport<WorkspaceOutcome, SyncMetadataOptions> = {
  describe(result, options) {
    const outcome = result.detail;
    const name = outcome ? `${result.workspaceId} (${outcome.schemaName})` : result.workspaceId;
    if (!outcome) return [`✖ ${name}: failed: ${result.message}`];
    const actions = outcome.plan?.actions.length ?? 0;
    const head = {
      applied: `✔ ${name}: applied ${actions} action(s), ${outcome.statementsExecuted} statement(s)`,
      'up-to-date': `= ${name}: up to date`,
      planned: `~ ${name}: ${actions} action(s) planned (dry run, nothing written)`,
      failed: outcome.plan?.refusals.length
        ? `✖ ${name}: failed: ${outcome.plan.refusals.length} change(s) refused, nothing was written`
        : `✖ ${name}: failed: ${outcome.message}`,
      skipped: `- ${name}: ${outcome.message}`,
    }[outcome.status];
    const showPlan = outcome.plan && (options.dryRun || options.verbose || outcome.status === 'failed');
    return [head, ...(showPlan ? formatPlan(outcome.plan!, options.verbose) : [])];
  },

  toJson(result) {
    return {
      id: result.workspaceId,
      status: result.detail?.status ?? 'failed',
      message: result.message,
      actions: result.detail?.plan?.actions.map(actionJson) ?? [],
      refusals: result.detail?.plan?.refusals ?? [],
    };
  },
};
