import { Inject, Injectable } from '@nestjs/common';

import { WorkspaceRow } from '../metadata/workspace.repository';
import { CURRENT_VERSION } from '../standard-objects/version.constant';
import { LedgerEntry, LedgerRepository } from '../upgrade/ledger.repository';
import { upgradeCommandName } from '../upgrade/upgrade-versions';
import { nextUpgradeFor } from '../upgrade/upgrade.runner';
import { FleetWork } from './workspace-fleet.runner';
import { WorkspaceJobHandler } from './workspace-job.handler';

/** The name of the status report's command and jobs. */
export const UPGRADE_STATUS_JOB = 'upgrade:status';

export interface UpgradeStatusDetail {
  workspace: WorkspaceRow;
  /** The upgrade command the workspace takes next; null when it is at the current version. */
  pending: string | null;
  ledger: LedgerEntry[];
}

/** Reads one workspace's version, next upgrade and ledger; a failed step fails it. */
@Injectable()
export class UpgradeStatusJobHandler implements WorkspaceJobHandler<UpgradeStatusDetail> {
  readonly name = UPGRADE_STATUS_JOB;

  constructor(@Inject(LedgerRepository) private readonly ledger: LedgerRepository) {}

  async process(workspace: WorkspaceRow): Promise<FleetWork<UpgradeStatusDetail>> {
    const ledger = await this.ledger.list(workspace.id);
    const next = workspace.version === CURRENT_VERSION ? null : nextUpgradeFor(workspace.version);
    const failed = ledger.filter((entry) => entry.status === 'FAILED');
    return {
      status: failed.length > 0 ? 'failed' : 'succeeded',
      detail: { workspace, pending: next ? upgradeCommandName(next) : null, ledger },
      message: failed.length > 0 ? `${failed.length} failed step(s)` : null,
    };
  }
}
