import { Inject, Injectable } from '@nestjs/common';

import { FAULT_INJECTION, FaultInjection } from '../config/fault-injection';
import { WorkspaceRow } from '../metadata/workspace.repository';
import { upgradeCommandFor } from '../standard-objects/version.constant';
import { Hazard } from '../sync/plan';
import { WorkspaceSyncService } from '../sync/workspace-sync.service';
import { FleetWork } from './workspace-fleet.runner';
import { fleetStatusOf, WorkspaceJobHandler } from './workspace-job.handler';
import { WorkspaceOutcome } from '../sync/sync-result';
import { WorkspaceMeasures } from './workspace-outcome.log';

/** The name of the sync's command and jobs. */
export const SYNC_METADATA_JOB = 'workspace:sync-metadata';

export interface SyncJobOptions {
  dryRun?: boolean;
  check?: boolean;
  force?: boolean;
  allowHazards?: Hazard[];
}

/** Brings one workspace in step with the declarations. */
@Injectable()
export class SyncJobHandler implements WorkspaceJobHandler<WorkspaceOutcome, SyncJobOptions> {
  readonly name = SYNC_METADATA_JOB;

  constructor(
    @Inject(WorkspaceSyncService) private readonly sync: WorkspaceSyncService,
    @Inject(FAULT_INJECTION) private readonly faults: FaultInjection,
  ) {}

  /** The stored fingerprint equals the declared state's: the sync takes its fast path, no query. */
  isSettledByRow(workspace: WorkspaceRow, options: SyncJobOptions): boolean {
    return !options.check && workspace.fingerprint === this.sync.desiredStateFor(workspace).fingerprint;
  }

  async process(workspace: WorkspaceRow, options: SyncJobOptions): Promise<FleetWork<WorkspaceOutcome>> {
    const outcome = await this.sync.sync(workspace, {
      dryRun: options.dryRun,
      check: options.check,
      skipHealthCheck: options.force,
      allowHazards: new Set(options.allowHazards ?? []),
      upgradeCommand: upgradeCommandFor(workspace.version),
      onStatement: this.faults.onStatement,
    });
    return { status: fleetStatusOf(outcome.status), detail: outcome, message: outcome.message };
  }

  measure(outcome: WorkspaceOutcome): WorkspaceMeasures {
    return { status: outcome.status, actions: outcome.plan?.actions.length ?? 0, rowsMoved: 0 };
  }
}
