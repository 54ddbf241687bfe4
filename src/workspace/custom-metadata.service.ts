import { randomUUID } from 'node:crypto';

import { DataSource } from 'typeorm';

import { DeclaredSchema } from '../declarations/declared-schema';
import { UUID_PATTERN } from '../declarations/identifier.rules';
import { qualified } from '../database/sql';
import { RecordRepository } from '../records/record.repository';
import { STANDARD_OBJECT_IDS } from '../standard-objects/standard-ids.constant';
import { ActualStateRepository } from '../sync/actual-state.repository';
import { CustomFieldInput, CustomMetadataError, CustomMetadataPlanner, CustomObjectInput } from '../sync/custom-metadata.planner';
import { Plan } from '../sync/plan';
import { SyncError } from '../sync/sync.error';
import { PlanApplier } from '../sync/plan.applier';
import { DEFAULT_VIEW_FIELD_SIZE } from './default-views';
import { WorkspaceRepository } from './workspace.repository';

export interface CustomMetadataResult {
  plan: Plan;
}

/**
 * Custom objects and fields of one workspace, planned like a sync and applied in one transaction
 * under the workspace's advisory lock; a new custom object also gets its default view.
 */
export class CustomMetadataService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly declared: DeclaredSchema,
  ) {}

  async createField(workspaceId: string, objectName: string, input: CustomFieldInput): Promise<CustomMetadataResult> {
    return this.apply(workspaceId, async (planner) => planner.planField(objectName, input));
  }

  async createObject(workspaceId: string, input: CustomObjectInput): Promise<CustomMetadataResult> {
    return this.apply(workspaceId, async (planner) => planner.planObject(input, this.declared.customObjectFields), true);
  }

  private async apply(workspaceId: string, plan: (planner: CustomMetadataPlanner) => Promise<Plan>, withView = false): Promise<CustomMetadataResult> {
    if (typeof workspaceId !== 'string' || !UUID_PATTERN.test(workspaceId)) {
      throw new CustomMetadataError('workspaceId', `workspaceId must be a workspace id (a UUID); got "${String(workspaceId).slice(0, 80)}"`);
    }
    return this.dataSource.transaction(async (manager) => {
      const workspaces = new WorkspaceRepository(manager);
      const workspace = await workspaces.findById(workspaceId);
      if (!workspace) {
        throw new CustomMetadataError('workspaceId', `workspace ${workspaceId} does not exist`);
      }
      if (!(await workspaces.tryLock(workspace.id))) {
        // Not the caller's input at fault: the work is refused for now (exit 1, not 2).
        throw new SyncError('LOCKED', `workspace ${workspaceId} is being changed by another runner; try again. Nothing was written.`);
      }
      const actual = await new ActualStateRepository(manager).read(workspace.id, workspace.schemaName);
      const result = await plan(new CustomMetadataPlanner(actual, workspace.version, randomUUID));
      await new PlanApplier(manager, workspace.schemaName).apply(result);
      if (withView) {
        const after = await new ActualStateRepository(manager).read(workspace.id, workspace.schemaName);
        const created = after.objects.find((object) => object.nameSingular === result.actions[0].object)!;
        const viewTable = after.objects.find((object) => !object.isCustom && object.standardId === STANDARD_OBJECT_IDS.view);
        const viewFieldTable = after.objects.find((object) => !object.isCustom && object.standardId === STANDARD_OBJECT_IDS.viewField);
        if (viewTable && viewFieldTable) {
          const records = new RecordRepository(manager, workspace.schemaName);
          const [{ count }] = await manager.query(`SELECT count(*)::int AS count FROM ${qualified(workspace.schemaName, viewTable.tableName)}`);
          const [viewId] = await records.insert(viewTable.tableName, [
            { name: `All ${created.labelPlural}`, objectMetadataId: created.id, type: 'table', key: 'INDEX', icon: created.icon ?? '', position: count },
          ]);
          const order = this.declared.customObjectFields.map((field) => field.name);
          const rank = (name: string) => (order.includes(name) ? order.indexOf(name) : order.length);
          const visible = created.fields
            .filter((field) => !field.isSystem && field.relationType !== 'ONE_TO_MANY')
            .sort((a, b) => rank(a.name) - rank(b.name));
          await records.insert(
            viewFieldTable.tableName,
            visible.map((field, position) => ({ fieldMetadataId: field.id, viewId, isVisible: true, size: DEFAULT_VIEW_FIELD_SIZE, position })),
          );
        }
      }
      return { plan: result };
    });
  }
}
