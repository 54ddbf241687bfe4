import { Inject } from '@nestjs/common';
import { Command, Option } from 'nest-commander';

import { snapshotVersions } from '../standard-objects/version-snapshots';
import { BaselineResult } from '../upgrade/upgrade-baseline.service';
import { WorkspaceJobDispatcher } from '../workspace/workspace-job.dispatcher';
import {
  MarkAppliedJobOptions,
  UPGRADE_MARK_APPLIED_JOB,
  UpgradeMarkAppliedJobHandler,
} from '../workspace/upgrade-mark-applied-job.handler';
import { UsageError } from './cli.error';
import { WorkspaceReport } from './walk-report';
import { WorkspaceWalkCommand, WorkspaceWalkOptions } from './workspace-walk.command';

interface MarkAppliedOptions extends WorkspaceWalkOptions, MarkAppliedJobOptions {}

@Command({
  name: UPGRADE_MARK_APPLIED_JOB,
  description: 'Record a version for workspaces brought there by other means, after checking their schema matches it',
})
export class UpgradeMarkAppliedCommand extends WorkspaceWalkCommand<BaselineResult, MarkAppliedOptions> {
  constructor(
    @Inject(WorkspaceJobDispatcher) dispatcher: WorkspaceJobDispatcher,
    @Inject(UpgradeMarkAppliedJobHandler) handler: UpgradeMarkAppliedJobHandler,
  ) {
    super(dispatcher, handler, MARK_APPLIED_REPORT);
  }

  @Option({
    flags: '--version <version>',
    description: `the version the workspaces are at (${snapshotVersions().join(', ')})`,
    required: true,
  })
  parseVersion(value: string): string {
    return value;
  }

  override async run(params: string[], options: MarkAppliedOptions): Promise<void> {
    if (!options.version || !snapshotVersions().includes(options.version)) {
      throw new UsageError(`--version must be one of ${snapshotVersions().join(', ')}; got "${String(options.version).slice(0, 40)}".`);
    }
    if (!options.workspaceId?.length) {
      throw new UsageError(
        'upgrade:mark-applied needs the workspaces named with -w <id>: a baseline is never applied to a whole fleet by default.',
      );
    }
    await super.run(params, options);
  }
}

/** How upgrade:mark-applied reports a workspace: marked (or matching, on a dry run), or refused with each difference. */
const MARK_APPLIED_REPORT: WorkspaceReport<BaselineResult, MarkAppliedOptions> = {
  describe(result, options) {
    if (!result.detail) return [`✖ ${result.workspaceId}: ${result.message}`];
    if (result.detail.status === 'refused') {
      return [`✖ ${result.workspaceId}: refused, ${result.message}`, ...result.detail.differences.map((line) => `  ${line}`)];
    }
    return [
      result.detail.status === 'up-to-date'
        ? `= ${result.workspaceId}: already at ${options.version}`
        : `✔ ${result.workspaceId}: ${options.dryRun ? 'matches' : 'marked at'} ${options.version}`,
    ];
  },

  toJson(result) {
    return {
      id: result.workspaceId,
      status: result.detail?.status ?? 'failed',
      message: result.message,
      differences: result.detail?.differences ?? [],
    };
  },
};
