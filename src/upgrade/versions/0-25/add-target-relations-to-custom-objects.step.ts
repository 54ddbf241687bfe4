import { randomUUID } from 'node:crypto';

import { CustomMetadataPlanner } from '../../../custom-metadata/custom-metadata.planner';
import { ActualStateRepository } from '../../../metadata/actual-state.repository';
import { getVersionSnapshot } from '../../../standard-objects/version-snapshots';
import { PlanApplier } from '../../../sync/plan.applier';
import { StepReport, UpgradeStep, UpgradeStepContext } from '../../upgrade-step';

const shared = getVersionSnapshot('0.25').customObjectFields;

/**
 * After sync: the target objects 0.25 declares (taskTarget, favorite, timelineActivity) reach the
 * custom objects created before it, as they reach one created after it: on each custom object the
 * shared ONE_TO_MANY field, and on each target object the relation, its column, foreign key and
 * index. One transaction; a custom object that already has them is left alone.
 */
export const addTargetRelationsToCustomObjects: UpgradeStep = {
  version: '0.25',
  name: 'add-target-relations-to-custom-objects',
  phase: 'after-sync',
  description: 'Give every existing custom object the relations of the 0.25 target objects (tasks, favorites, timeline activities)',
  definition: {
    revision: 1,
    sharedRelations: shared.filter((field) => field.relation).map((field) => ({ standardId: field.standardId, name: field.name })),
  },
  async run(context: UpgradeStepContext): Promise<StepReport> {
    return context.transaction(async (manager) => {
      const { workspace } = context;
      const actual = await new ActualStateRepository(manager).readForPlanning(workspace.id, workspace.schemaName);
      const plan = new CustomMetadataPlanner(actual, workspace.version, randomUUID).planMissingTargetRelations(shared);
      if (plan.actions.length === 0) {
        return { rowsAffected: 0, notes: ['every custom object has its target relations'], maxBatchMs: 0 };
      }
      await new PlanApplier(manager, workspace.schemaName).apply(plan);
      await context.ledger(manager).appendLog(
        context.entry.id,
        plan.actions.map((action) => ({ object: action.object, relations: action.summary })),
      );
      return { rowsAffected: 0, notes: plan.actions.map((action) => action.summary), maxBatchMs: 0 };
    });
  },
};
