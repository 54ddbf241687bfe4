import { Inject, Injectable } from '@nestjs/common';

import { CustomMetadataService } from '../custom-metadata/custom-metadata.service';
import { UUID_PATTERN } from '../declarations/identifier.rules';
import { ActualObject } from '../metadata/actual-state';
import { ActualStateRepository } from '../metadata/actual-state.repository';
import { WorkspaceRepository, WorkspaceRow } from '../metadata/workspace.repository';
import { upgradeCommandFor } from '../standard-objects/version.constant';
import { Plan } from '../sync/plan';
import { checkWorkspaceHealth, HealthIssue } from '../sync/workspace-health';
import { WorkspaceSyncService } from '../sync/workspace-sync.service';
import { LedgerEntry, LedgerRepository } from '../upgrade/ledger.repository';
import { nextUpgradeFor, StepOutcome, UpgradeRunner } from '../upgrade/upgrade.runner';
import { FleetOverviewRepository } from './fleet-overview.repository';

/** What a sync and the pending upgrade would do, as their dry runs say: nothing is written. */
export interface PlanPreview {
  /** `upgrade` when the workspace is behind the current version (the upgrade syncs too), else `sync` (with --check). */
  kind: 'sync' | 'upgrade';
  status: string;
  message: string | null;
  /** The upgrade's steps, each as it would run (empty for a sync). */
  steps: StepOutcome[];
  /** Each sync's plan: one for a sync, one per version for an upgrade. */
  plans: Array<{ version: string | null; status: string; message: string | null; plan: Plan | null }>;
}

export interface WorkspaceOutcomeSummary {
  command: string;
  outcome: string;
  status: string;
  message: string | null;
  finishedAt: Date;
}

/**
 * What the console shows of one workspace, each part read through the service that owns it: the
 * objects and fields as the API describes them, the ledger, the health report and the dry runs
 * of a sync and of the pending upgrade.
 */
@Injectable()
export class WorkspaceOverviewService {
  constructor(
    @Inject(WorkspaceRepository) private readonly workspaces: WorkspaceRepository,
    @Inject(CustomMetadataService) private readonly metadata: CustomMetadataService,
    @Inject(LedgerRepository) private readonly ledger: LedgerRepository,
    @Inject(ActualStateRepository) private readonly actualState: ActualStateRepository,
    @Inject(WorkspaceSyncService) private readonly sync: WorkspaceSyncService,
    @Inject(UpgradeRunner) private readonly upgrades: UpgradeRunner,
    @Inject(FleetOverviewRepository) private readonly fleet: FleetOverviewRepository,
  ) {}

  /** The workspace; null when the id names none. */
  async find(workspaceId: string): Promise<WorkspaceRow | null> {
    return UUID_PATTERN.test(workspaceId) ? this.workspaces.findById(workspaceId.toLowerCase()) : null;
  }

  async objects(workspaceId: string): Promise<ActualObject[]> {
    return (await this.metadata.describe(workspaceId))?.objects ?? [];
  }

  async ledgerOf(workspaceId: string): Promise<LedgerEntry[]> {
    return this.ledger.list(workspaceId);
  }

  async outcomesOf(workspaceId: string): Promise<WorkspaceOutcomeSummary[]> {
    return this.fleet.outcomesOf(workspaceId);
  }

  /** Drift between metadata and tables, as `workspace:health` reports it; repairs nothing. */
  async health(workspace: WorkspaceRow): Promise<HealthIssue[]> {
    return checkWorkspaceHealth(await this.actualState.read(workspace.id, workspace.schemaName));
  }

  async planPreview(workspace: WorkspaceRow): Promise<PlanPreview> {
    if (nextUpgradeFor(workspace.version) !== null) {
      const outcome = await this.upgrades.upgradeToLatest(workspace, { dryRun: true });
      return {
        kind: 'upgrade',
        status: outcome.status,
        message: outcome.message,
        steps: outcome.steps,
        plans: outcome.syncs.map(({ version, outcome: sync }) => ({
          version,
          status: sync.status,
          message: sync.message,
          plan: sync.plan,
        })),
      };
    }
    // Compared with the live schema (--check): the preview shows what drift a sync would repair too.
    const outcome = await this.sync.sync(workspace, { dryRun: true, check: true, upgradeCommand: upgradeCommandFor(workspace.version) });
    return {
      kind: 'sync',
      status: outcome.status,
      message: outcome.message,
      steps: [],
      plans: [{ version: null, status: outcome.status, message: outcome.message, plan: outcome.plan }],
    };
  }
}
