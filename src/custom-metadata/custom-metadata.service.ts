import { randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { DeclaredSchema } from '../declarations/declared-schema';
import { UUID_PATTERN } from '../declarations/identifier.rules';
import { RecordRepository } from '../records/record.repository';
import { STANDARD_DECLARATIONS } from '../standard-objects/standard-declarations.module';
import { STANDARD_OBJECT_IDS } from '../standard-objects/standard-ids.constant';
import { ActualStateRepository } from '../metadata/actual-state.repository';
import { ActualObject, ActualState, actualFieldColumns } from '../metadata/actual-state';
import { CustomMetadataError } from './custom-metadata.error';
import { CustomFieldInput, CustomObjectInput, FieldUpdateInput, ObjectUpdateInput } from './custom-metadata.input';
import { CustomMetadataPlanner } from './custom-metadata.planner';
import { objectNamed } from './custom-metadata.workspace';
import { Plan } from '../sync/plan';
import { PlanApplier } from '../sync/plan.applier';
import { DEFAULT_VIEW_FIELD_SIZE } from '../records/default-views';
import { WorkspaceRepository, WorkspaceRow } from '../metadata/workspace.repository';

export interface CustomMetadataResult {
  plan: Plan;
}

/**
 * Custom objects and fields of one workspace, planned like a sync and applied in one transaction
 * under the workspace's advisory lock; a new custom object also gets its default view.
 */
@Injectable()
export class CustomMetadataService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(STANDARD_DECLARATIONS) private readonly declared: DeclaredSchema,
  ) {}

  async createField(workspaceId: string, objectName: string, input: CustomFieldInput): Promise<CustomMetadataResult> {
    return this.apply(workspaceId, async (planner) => planner.planField(objectName, input));
  }

  /**
   * The object with its table, shared fields and default view, and the relations of every declared
   * target object to it, in one transaction; with `dryRun`, returns the plan and writes nothing.
   */
  async createObject(workspaceId: string, input: CustomObjectInput, options: { dryRun?: boolean } = {}): Promise<CustomMetadataResult> {
    return this.apply(
      workspaceId,
      async (planner) => planner.planObject(input, this.declared.customObjectFields),
      true,
      options.dryRun === true,
    );
  }

  /**
   * Gives the workspace's custom objects the target relations they lack, those of a target object
   * declared after they were created; with `dryRun`, returns the plan and writes nothing.
   */
  async addMissingTargetRelations(workspaceId: string, options: { dryRun?: boolean } = {}): Promise<CustomMetadataResult> {
    return this.apply(
      workspaceId,
      async (planner) => planner.planMissingTargetRelations(this.declared.customObjectFields),
      false,
      options.dryRun === true,
    );
  }

  /** The workspace with its objects and their fields, as metadata says; null when there is no such workspace. */
  async describe(workspaceId: string): Promise<{ workspace: WorkspaceRow; objects: ActualObject[] } | null> {
    if (!UUID_PATTERN.test(workspaceId)) return null;
    const workspace = await new WorkspaceRepository(this.dataSource.manager).findById(workspaceId);
    if (!workspace) return null;
    return { workspace, objects: await new ActualStateRepository(this.dataSource.manager).objects(workspace.id) };
  }

  async updateObject(workspaceId: string, objectName: string, input: ObjectUpdateInput): Promise<CustomMetadataResult> {
    return this.apply(workspaceId, async (planner) => planner.planObjectUpdate(objectName, input));
  }

  async updateField(workspaceId: string, objectName: string, fieldName: string, input: FieldUpdateInput): Promise<CustomMetadataResult> {
    return this.apply(workspaceId, async (planner) => planner.planFieldUpdate(objectName, fieldName, input));
  }

  /** Refused while the field holds values, unless `force`. */
  async deleteField(
    workspaceId: string,
    objectName: string,
    fieldName: string,
    options: { force?: boolean } = {},
  ): Promise<CustomMetadataResult> {
    return this.apply(workspaceId, async (planner, actual, records) => {
      const object = objectNamed(actual.objects, objectName);
      const field = object?.fields.find((candidate) => candidate.name === fieldName);
      const withData =
        object && field && !field.relationType
          ? await records.countWithValues(
              object.tableName,
              actualFieldColumns(field, object.tableName).map((column) => ({ name: column.name, type: column.type })),
            )
          : 0;
      return planner.planFieldDelete(objectName, fieldName, withData, options.force === true);
    });
  }

  /**
   * Refused while the object holds records, unless `force`. Its relations on target objects go
   * with it; with `dryRun`, returns the plan and writes nothing.
   */
  async deleteObject(
    workspaceId: string,
    objectName: string,
    options: { force?: boolean; dryRun?: boolean } = {},
  ): Promise<CustomMetadataResult> {
    return this.apply(
      workspaceId,
      async (planner, actual, records) => {
        const object = objectNamed(actual.objects, objectName);
        const rows = object?.isCustom ? await records.countRows(object.tableName) : 0;
        return planner.planObjectDelete(objectName, rows, options.force === true);
      },
      false,
      options.dryRun === true,
    );
  }

  private async apply(
    workspaceId: string,
    plan: (planner: CustomMetadataPlanner, actual: ActualState, records: RecordRepository) => Promise<Plan>,
    withView = false,
    dryRun = false,
  ): Promise<CustomMetadataResult> {
    if (typeof workspaceId !== 'string' || !UUID_PATTERN.test(workspaceId)) {
      throw new CustomMetadataError(
        'workspaceId',
        `workspaceId must be a workspace id (a UUID); got "${String(workspaceId).slice(0, 80)}"`,
      );
    }
    return this.dataSource.transaction(async (manager) => {
      const workspaces = new WorkspaceRepository(manager);
      const workspace = UUID_PATTERN.test(workspaceId) ? await workspaces.findById(workspaceId) : null;
      if (!workspace) {
        throw new CustomMetadataError('workspaceId', `workspace ${workspaceId.slice(0, 80)} does not exist`, 'NOT_FOUND');
      }
      if (!(await workspaces.tryLock(workspace.id))) {
        throw new CustomMetadataError('workspaceId', `workspace ${workspaceId} is being changed by another runner; try again`, 'CONFLICT');
      }
      const actual = await new ActualStateRepository(manager).readForPlanning(workspace.id, workspace.schemaName);
      const result = await plan(
        new CustomMetadataPlanner(actual, workspace.version, randomUUID),
        actual,
        new RecordRepository(manager, workspace.schemaName),
      );
      if (dryRun) return { plan: result };
      await new PlanApplier(manager, workspace.schemaName).apply(result);
      if (withView) {
        const after = await new ActualStateRepository(manager).readForPlanning(workspace.id, workspace.schemaName);
        const created = after.objects.find((object) => object.nameSingular === result.actions[0].object)!;
        const viewTable = after.objects.find((object) => !object.isCustom && object.standardId === STANDARD_OBJECT_IDS.view);
        const viewFieldTable = after.objects.find((object) => !object.isCustom && object.standardId === STANDARD_OBJECT_IDS.viewField);
        if (viewTable && viewFieldTable) {
          const records = new RecordRepository(manager, workspace.schemaName);
          // The new view goes after the existing ones.
          const position = await records.countRows(viewTable.tableName);
          const [viewId] = await records.insert(viewTable.tableName, [
            {
              name: `All ${created.labelPlural}`,
              objectMetadataId: created.id,
              type: 'table',
              key: 'INDEX',
              icon: created.icon ?? '',
              position,
            },
          ]);
          const order = this.declared.customObjectFields.map((field) => field.name);
          const rank = (name: string) => (order.includes(name) ? order.indexOf(name) : order.length);
          const visible = created.fields
            .filter((field) => !field.isSystem && field.relationType !== 'ONE_TO_MANY')
            .sort((a, b) => rank(a.name) - rank(b.name));
          await records.insert(
            viewFieldTable.tableName,
            visible.map((field, position) => ({
              fieldMetadataId: field.id,
              viewId,
              isVisible: true,
              size: DEFAULT_VIEW_FIELD_SIZE,
              position,
            })),
          );
        }
      }
      return { plan: result };
    });
  }
}
