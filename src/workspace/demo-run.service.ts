import { Inject, Injectable } from '@nestjs/common';

import { DatabaseService } from '../database/database.service';
import { WorkspaceRepository, WorkspaceRow } from '../metadata/workspace.repository';
import { WorkspaceOutcome } from '../sync/sync-result';
import { HealthIssue } from '../sync/workspace-health';
import { UpgradeOutcome } from '../upgrade/upgrade.runner';
import { SyncJobHandler } from './sync-job.handler';
import { LATEST_UPGRADE_JOB, UpgradeJobHandler, upgradeJobHandlerToken } from './upgrade-job.handler';
import { CreatedWorkspace, WorkspaceCreationService } from './workspace-creation.service';
import { FleetWork } from './workspace-fleet.runner';
import { WorkspaceHealthJobHandler } from './workspace-health-job.handler';

/** The version the demo workspace starts at: the oldest one, so that every upgrade runs. */
export const DEMO_START_VERSION = '0.22';

/** Each stage of a demo run, as it ends. */
export type DemoStage =
  | { stage: 'migrated'; migrations: string[] }
  | { stage: 'created'; created: CreatedWorkspace }
  | { stage: 'upgraded'; workspace: WorkspaceRow; work: FleetWork<UpgradeOutcome> }
  | { stage: 'synced'; workspace: WorkspaceRow; work: FleetWork<WorkspaceOutcome> }
  | { stage: 'checked'; workspace: WorkspaceRow; work: FleetWork<HealthIssue[]> };

/**
 * The main job on one new workspace, in this one process (one start of the database, embedded or
 * not): migrate the core schema, create the workspace at 0.22 with its prefill records, upgrade it
 * to the latest version, sync it against today's declarations compared with the live schema, and
 * check its health. The same handlers as `upgrade`, `workspace:sync-metadata --check` and
 * `workspace:health` do the work; a stage that fails ends the run.
 */
@Injectable()
export class DemoRunService {
  constructor(
    @Inject(DatabaseService) private readonly database: DatabaseService,
    @Inject(WorkspaceCreationService) private readonly creation: WorkspaceCreationService,
    @Inject(upgradeJobHandlerToken(LATEST_UPGRADE_JOB)) private readonly upgrade: UpgradeJobHandler,
    @Inject(SyncJobHandler) private readonly sync: SyncJobHandler,
    @Inject(WorkspaceHealthJobHandler) private readonly health: WorkspaceHealthJobHandler,
  ) {}

  /** Runs every stage, reporting each as it ends; false when one failed (the run stops there). */
  async run(displayName: string, onStage: (stage: DemoStage) => void): Promise<boolean> {
    onStage({ stage: 'migrated', migrations: await this.database.migrate() });
    const created = await this.creation.create({ displayName, version: DEMO_START_VERSION });
    onStage({ stage: 'created', created });
    const id = created.workspace.id;

    let workspace = await this.reload(id);
    const upgraded = await this.upgrade.process(workspace, {});
    onStage({ stage: 'upgraded', workspace, work: upgraded });
    if (upgraded.status !== 'succeeded') return false;

    workspace = await this.reload(id);
    const synced = await this.sync.process(workspace, { check: true });
    onStage({ stage: 'synced', workspace, work: synced });
    if (synced.status !== 'succeeded') return false;

    workspace = await this.reload(id);
    const checked = await this.health.process(workspace);
    onStage({ stage: 'checked', workspace, work: checked });
    return checked.status === 'succeeded';
  }

  private async reload(id: string): Promise<WorkspaceRow> {
    const workspace = await new WorkspaceRepository((await this.database.connect()).manager).findById(id);
    if (!workspace) throw new Error(`the demo workspace ${id} vanished while the demo ran`);
    return workspace;
  }
}
