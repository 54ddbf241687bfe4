import { randomUUID } from 'node:crypto';

import { qualified } from '../../../database/sql';
import { ActualStateRepository } from '../../../metadata/actual-state.repository';
import { defaultViews } from '../../../records/default-views';
import { RecordRepository } from '../../../records/record.repository';
import { STANDARD_OBJECT_IDS } from '../../../standard-objects/standard-ids.constant';
import { getVersionSnapshot } from '../../../standard-objects/version-snapshots';
import { sharedDesiredState } from '../../../sync/desired-state';
import { StepReport, UpgradeStep, UpgradeStepContext } from '../../upgrade-step';

const NEW_OBJECTS_WITH_VIEWS = [STANDARD_OBJECT_IDS.task];

/**
 * After sync: the objects 0.25 adds that users see (task) get the default view a workspace
 * created at 0.25 has, after the workspace's existing views. An object that has a view already
 * (a rerun, or one made by hand) is left alone.
 */
export const addTaskViews: UpgradeStep = {
  version: '0.25',
  name: 'add-task-views',
  phase: 'after-sync',
  description: 'Give the new task object its default view ("All Tasks")',
  definition: { revision: 1, objects: NEW_OBJECTS_WITH_VIEWS },
  async run(context: UpgradeStepContext): Promise<StepReport> {
    return context.transaction(async (manager) => {
      const { workspace } = context;
      const actual = await new ActualStateRepository(manager).readForPlanning(workspace.id, workspace.schemaName);
      const view = actual.objects.find((object) => !object.isCustom && object.standardId === STANDARD_OBJECT_IDS.view);
      const viewField = actual.objects.find((object) => !object.isCustom && object.standardId === STANDARD_OBJECT_IDS.viewField);
      if (!view || !viewField)
        throw new Error('the workspace has no view or viewField object: its metadata is incomplete; run workspace:health');
      const records = new RecordRepository(manager, workspace.schemaName);
      const desired = sharedDesiredState(getVersionSnapshot('0.25')).objects.filter((object) =>
        NEW_OBJECTS_WITH_VIEWS.includes(object.declared.standardId as (typeof NEW_OBJECTS_WITH_VIEWS)[number]),
      );
      const notes: string[] = [];
      let position = await records.countRows(view.tableName);
      for (const planned of defaultViews(desired, actual.objects)) {
        const objectId = planned.view.objectMetadataId as string;
        const existing: Array<{ count: number }> = await manager.query(
          `SELECT count(*)::int AS "count" FROM ${qualified(workspace.schemaName, view.tableName)} WHERE "objectMetadataId" = $1 AND "deletedAt" IS NULL`,
          [objectId],
        );
        const object = actual.objects.find((candidate) => candidate.id === objectId)!;
        if (existing[0].count > 0) {
          notes.push(`${object.nameSingular} has a view already`);
          continue;
        }
        // The id is the step's, not the table's default: the statements say every value they write.
        const [viewId] = await records.insert(view.tableName, [{ ...planned.view, id: randomUUID(), position }]);
        await records.insert(
          viewField.tableName,
          planned.fields.map((field) => ({ ...field, viewId })),
        );
        position += 1;
        notes.push(`${object.nameSingular}: view "${String(planned.view.name)}" with ${planned.fields.length} field(s)`);
      }
      return { rowsAffected: 0, notes, maxBatchMs: 0 };
    });
  },
};
